/**
 * Pods that name no ServiceAccount run as `default`; CIS 5.1.5 asks that the default
 * ServiceAccount of each namespace not mount its token, so such pods get no API credentials by
 * accident. Reads `automountServiceAccountToken` of ServiceAccounts named `default`; allowed: false.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-DEFAULT-SA-AUTOMOUNT',
  title: 'Default ServiceAccount mounts its token',
  severity: 'medium',
  category: 'access',
  description: 'Every pod that names no ServiceAccount uses `default`; when it mounts its token, those pods carry API credentials they were never meant to have.',
  remediation: 'Set `automountServiceAccountToken: false` on the default ServiceAccount of each namespace and give workloads that need the API their own ServiceAccount.',
  fields: ['ServiceAccount.automountServiceAccountToken'],
  frameworks: { cis: ['5.1.5'], 'nist-800-190': ['4.4.2'] },
  aliases: ['CKV_K8S_41', 'C-0189'],
  concepts: [92],
  kinds: ['ServiceAccount'],
  run(ctx) {
    if (ctx.resource.name !== 'default') return;
    if (ctx.resource.object['automountServiceAccountToken'] === false) return;
    ctx.report(['automountServiceAccountToken'], `default ServiceAccount in namespace "${ctx.index.namespaceOf(ctx.resource) ?? ''}" does not set automountServiceAccountToken: false`);
  },
});
