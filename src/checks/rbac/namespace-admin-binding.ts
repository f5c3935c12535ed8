/**
 * A RoleBinding to cluster-admin or admin (or a role with `*` on apiGroups, resources and verbs)
 * makes its subjects administrators of the namespace: every Secret, every pod, and the right to
 * hand out the same to others. Reads `roleRef` (resolved against the inputs, else the default
 * ClusterRoles) and `subjects[*]`; Kubernetes' own bindings and `system:` subjects are skipped.
 */
import { defineCheck } from '../types.ts';
import { administrativeGrant, describeRoleRef, describeSubject } from './bindings.ts';

export default defineCheck({
  id: 'K8S-RBAC-NAMESPACE-ADMIN-BINDING',
  title: 'Namespace binding to an administrative role',
  severity: 'high',
  category: 'rbac',
  description: 'A RoleBinding to cluster-admin, admin or a full-wildcard role gives full control of the namespace: its Secrets, its pods and its RBAC.',
  remediation: 'Bind a Role that grants only the verbs and resources the subject needs (edit or view for people, a dedicated Role for workloads).',
  fields: ['roleRef.kind', 'roleRef.name', 'subjects[*]'],
  frameworks: { nsa: ['Administrative Roles'], 'nist-800-190': ['4.4.1'] },
  aliases: ['rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole', 'C-0035', 'KSV-0111'],
  concepts: [102],
  kinds: ['RoleBinding'],
  run(ctx) {
    const binding = ctx.resource;
    const grant = administrativeGrant(binding, ctx.index);
    if (grant === undefined) return;
    ctx.report(['roleRef', 'name'], `RoleBinding "${binding.name}" grants ${describeRoleRef(grant.role.ref)} in namespace "${ctx.index.namespaceOf(binding) ?? ''}" to ${grant.subjects.map(describeSubject).join(', ')}`);
  },
});
