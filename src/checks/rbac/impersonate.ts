/**
 * impersonate lets the holder act as another user, group or ServiceAccount, with all of its permissions (system:masters included).
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { IMPERSONATE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-IMPERSONATE',
  title: 'Role can impersonate users, groups or service accounts',
  severity: 'high',
  category: 'rbac',
  description: 'impersonate lets the holder act as another user, group or ServiceAccount, with all of its permissions (system:masters included).',
  remediation: 'Remove impersonate, or restrict it with resourceNames to the identities the subject must act as (never system:masters).',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.8'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV2_K8S_3', 'C-0065', 'C-0191', 'KSV-0043', 'KSV-0050'],
  concepts: [110],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [IMPERSONATE]);
  },
});
