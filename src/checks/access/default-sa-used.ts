/**
 * A workload that names no ServiceAccount shares `default` with every other such pod of the
 * namespace, so permissions meant for one reach all. Reads `spec.serviceAccountName` (and the
 * deprecated `spec.serviceAccount`); allowed: a name other than `default`. Off by default:
 * harmless when the token is not mounted and the default account has no bindings.
 */
import { defineCheck } from '../types.ts';
import { serviceAccountName, serviceAccountPath } from './service-account.ts';

export default defineCheck({
  id: 'K8S-DEFAULT-SA-USED',
  title: 'Workload uses the default ServiceAccount',
  severity: 'low',
  category: 'access',
  description: 'Pods without their own ServiceAccount all share the namespace\'s default one, so an RBAC grant for one of them reaches all.',
  remediation: 'Create a ServiceAccount per workload and set `spec.serviceAccountName`.',
  fields: ['spec.serviceAccountName', 'spec.serviceAccount'],
  frameworks: { cis: ['5.1.5'] },
  aliases: ['ServiceAccountName', 'default-service-account'],
  concepts: [92],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (serviceAccountName(w) !== 'default') return;
    ctx.report(serviceAccountPath(w), 'the pod runs as the default ServiceAccount');
  },
});
