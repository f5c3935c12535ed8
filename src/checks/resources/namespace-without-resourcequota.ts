/**
 * A ResourceQuota caps what all pods of a namespace may use together; without one a single
 * team or compromised account can consume the cluster. Looks for a ResourceQuota in each
 * Namespace declared in the manifest set.
 */
import { defineCheck } from '../types.ts';
import { namespacesHolding } from './namespace-objects.ts';

export default defineCheck({
  id: 'K8S-NAMESPACE-NO-RESOURCEQUOTA',
  title: 'Namespace has no ResourceQuota',
  severity: 'low',
  category: 'resources',
  description: 'Without a ResourceQuota the pods of one namespace can consume all cluster capacity (CPU, memory, object counts).',
  remediation: 'Add a ResourceQuota to the namespace bounding `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory` and object counts.',
  fields: ['kind: ResourceQuota, metadata.namespace'],
  frameworks: { nsa: ['4.0'] },
  aliases: ['KSV-0040'],
  concepts: [48],
  kinds: ['Namespace'],
  enabledByDefault: false,
  run(ctx) {
    if (namespacesHolding(ctx.index, 'ResourceQuota').has(ctx.resource.name)) return;
    ctx.report(['metadata', 'name'], `namespace "${ctx.resource.name}" has no ResourceQuota`);
  },
});
