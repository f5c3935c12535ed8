/**
 * get, list or watch on Secrets hands out every credential stored in them, including service account tokens of more privileged identities.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { SECRETS_READ } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-SECRETS-READ',
  title: 'Role can read Secrets',
  severity: 'high',
  category: 'rbac',
  description: 'get, list or watch on Secrets hands out every credential stored in them, including service account tokens of more privileged identities.',
  remediation: 'Remove get/list/watch on secrets, or restrict the rule with resourceNames to the Secrets the subject needs.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.2'], mitre: ['Credential access'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV2_K8S_5', 'C-0015', 'C-0186', 'KSV-0041', 'KSV-0113', 'access-to-secrets'],
  concepts: [104],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [SECRETS_READ]);
  },
});
