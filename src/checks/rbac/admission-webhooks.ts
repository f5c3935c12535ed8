/**
 * Admission webhooks and policies see and change every object the API server admits: writing them disables policy enforcement or intercepts Secrets.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { ADMISSION_CONFIG_WRITE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-ADMISSION-WEBHOOKS',
  title: 'Role can change admission webhooks or policies',
  severity: 'high',
  category: 'rbac',
  description: 'Admission webhooks and policies see and change every object the API server admits: writing them disables policy enforcement or intercepts Secrets.',
  remediation: 'Grant write access to validating/mutating webhook configurations and admission policies only to the controllers that own them.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.12'], mitre: ['Credential access', 'Persistence'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_155', 'C-0281', 'C-0036', 'C-0039', 'KSV-0114'],
  concepts: [113],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [ADMISSION_CONFIG_WRITE]);
  },
});
