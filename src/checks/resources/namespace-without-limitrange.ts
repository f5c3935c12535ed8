/**
 * A LimitRange gives containers default requests and limits and caps what one container may
 * ask for; a namespace without one accepts unbounded pods. Looks for a LimitRange in each
 * Namespace declared in the manifest set (namespaces only referenced are not judged: their
 * LimitRange may live elsewhere).
 */
import { defineCheck } from '../types.ts';
import { namespacesHolding } from './namespace-objects.ts';

export default defineCheck({
  id: 'K8S-NAMESPACE-NO-LIMITRANGE',
  title: 'Namespace has no LimitRange',
  severity: 'low',
  category: 'resources',
  description: 'Without a LimitRange, pods that omit resources run unbounded and a single container may request a whole node.',
  remediation: 'Add a LimitRange to the namespace with `default`, `defaultRequest` and `max` for cpu and memory.',
  fields: ['kind: LimitRange, metadata.namespace'],
  frameworks: { nsa: ['4.1'] },
  aliases: ['KSV-0039'],
  concepts: [47],
  kinds: ['Namespace'],
  enabledByDefault: false,
  run(ctx) {
    if (namespacesHolding(ctx.index, 'LimitRange').has(ctx.resource.name)) return;
    ctx.report(['metadata', 'name'], `namespace "${ctx.resource.name}" has no LimitRange`);
  },
});
