/**
 * escalate on roles/clusterroles lifts the rule that a role can only grant what its author holds: the holder can write any permission into a role.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { ESCALATE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-ESCALATE',
  title: 'Role can escalate roles',
  severity: 'high',
  category: 'rbac',
  description: 'escalate on roles/clusterroles lifts the rule that a role can only grant what its author holds: the holder can write any permission into a role.',
  remediation: 'Remove the escalate verb (and * verbs) on roles and clusterroles.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.8'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_158', 'C-0191', 'KSV-0050'],
  concepts: [111],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [ESCALATE]);
  },
});
