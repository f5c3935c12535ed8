/**
 * A Prometheus-operator ServiceMonitor whose selector matches no Service scrapes nothing, and
 * the missing metrics go unnoticed. Reads `spec.selector` (a LabelSelector) against Service
 * labels in the namespaces of `spec.namespaceSelector` (`any: true`, `matchNames`, else the
 * ServiceMonitor's own namespace). Skipped when the inputs contain no Service at all.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { matchesSelector } from '../../manifests/selector.ts';
import { defineCheck } from '../types.ts';
import { inventory, type Labelled } from './inventory.ts';

export default defineCheck({
  id: 'K8S-SERVICEMONITOR-SELECTS-NOTHING',
  title: 'ServiceMonitor selects no Service',
  severity: 'low',
  category: 'network',
  description: 'The ServiceMonitor selector matches no Service in the namespaces it watches, so Prometheus scrapes nothing for it.',
  remediation: 'Fix `spec.selector` or `spec.namespaceSelector` so that they match the labels and namespace of the Service to scrape.',
  fields: ['spec.selector', 'spec.namespaceSelector'],
  frameworks: {},
  aliases: ['dangling-servicemonitor'],
  concepts: [137],
  kinds: ['ServiceMonitor'],
  enabledByDefault: false,
  run(ctx) {
    const inv = inventory(ctx.index);
    if (inv.serviceCount === 0) return;
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const selector = asObject(spec['selector']) ?? {};
    if (candidates(spec, inv.services, ctx.index.namespaceOf(ctx.resource) ?? ctx.index.defaultNamespace).some((s) => matchesSelector(selector, s.labels))) return;
    ctx.report(['spec', 'selector'], `ServiceMonitor "${ctx.resource.name}" selects no Service`);
  },
});

function candidates(spec: Record<string, unknown>, services: Map<string, Labelled[]>, ownNamespace: string): Labelled[] {
  const nsSelector = asObject(spec['namespaceSelector']) ?? {};
  if (nsSelector['any'] === true) return [...services.values()].flat();
  const names = asArray(nsSelector['matchNames']).map(String);
  return (names.length > 0 ? names : [ownNamespace]).flatMap((ns) => services.get(ns) ?? []);
}
