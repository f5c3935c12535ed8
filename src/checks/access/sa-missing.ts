/**
 * A pod naming a ServiceAccount that does not exist is rejected by the API server (or, for
 * controllers, never gets its pods created). Reads `spec.serviceAccountName` / `spec.serviceAccount`
 * and looks the account up among the inputs; `default` (created by Kubernetes) is never missing.
 * Manifest sets are often partial, hence low.
 */
import { defineCheck } from '../types.ts';
import { serviceAccountName, serviceAccountOf, serviceAccountPath } from './service-account.ts';

export default defineCheck({
  id: 'K8S-SA-MISSING',
  title: 'Referenced ServiceAccount not found',
  severity: 'low',
  category: 'access',
  description: 'The workload names a ServiceAccount that is not among the scanned manifests; if it does not exist in the cluster either, the pods are never created.',
  remediation: 'Add the ServiceAccount to the manifests (or fix the name in `spec.serviceAccountName`).',
  fields: ['spec.serviceAccountName', 'spec.serviceAccount'],
  frameworks: {},
  aliases: ['C-0307', 'non-existent-service-account'],
  concepts: [93],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const name = serviceAccountName(w);
    if (name === 'default' || serviceAccountOf(ctx.index, ctx.resource, w) !== undefined) return;
    ctx.report(serviceAccountPath(w), `ServiceAccount "${name}" is not defined in namespace "${ctx.index.namespaceOf(ctx.resource) ?? ''}" in the inputs`);
  },
});
