/**
 * A Service whose selector matches no pod has no endpoints: traffic to it fails, usually because
 * of a label typo. Reads `spec.selector` (a plain label map) against the pod template labels of
 * the workloads in the Service's namespace. Services without a selector (manual Endpoints) and
 * ExternalName Services are skipped, as are inputs that contain no workload at all.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { inventory } from './inventory.ts';

export default defineCheck({
  id: 'K8S-SERVICE-SELECTS-NOTHING',
  title: 'Service selects no pods',
  severity: 'low',
  category: 'network',
  description: 'The Service selector matches none of the workloads in its namespace, so the Service has no endpoints.',
  remediation: 'Fix `spec.selector` so that it matches the pod template labels of the intended workload, or delete the Service.',
  fields: ['spec.selector', 'spec.type'],
  frameworks: {},
  aliases: ['C-0293', 'dangling-service', 'service-targets-pod'],
  concepts: [132],
  kinds: ['Service'],
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const selector = asObject(spec['selector']);
    if (selector === undefined || Object.keys(selector).length === 0 || spec['type'] === 'ExternalName') return;
    const inv = inventory(ctx.index);
    if (inv.workloadCount === 0) return;
    const ns = ctx.index.namespaceOf(ctx.resource) ?? ctx.index.defaultNamespace;
    if (ctx.index.podsIn(ns).any(selector, true)) return;
    const wanted = Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(',');
    ctx.report(['spec', 'selector'], `Service "${ctx.resource.name}" selector ${wanted} matches no pods in namespace "${ns}"`);
  },
});
