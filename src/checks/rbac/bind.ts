/**
 * bind lets the holder grant roles it does not hold; writing (Cluster)RoleBindings lets it attach itself or others to existing roles.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { BIND, MANAGE_BINDINGS } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-BIND',
  title: 'Role can bind roles or change role bindings',
  severity: 'high',
  category: 'rbac',
  description: 'bind lets the holder grant roles it does not hold; writing (Cluster)RoleBindings lets it attach itself or others to existing roles.',
  remediation: 'Remove bind (or restrict it with resourceNames to the roles that may be handed out) and write access to rolebindings/clusterrolebindings.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.8'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_157', 'CKV2_K8S_1', 'C-0191', 'KSV-0050', 'KSV-0051', 'KSV-0052', 'KSV-0055'],
  concepts: [112],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [BIND, MANAGE_BINDINGS]);
  },
});
