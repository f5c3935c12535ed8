/**
 * A ClusterRoleBinding to cluster-admin (or `admin`, or any ClusterRole with `*` on apiGroups,
 * resources and verbs) gives its subjects the whole cluster. Reads `roleRef` (resolved against the
 * inputs, else the default ClusterRoles) and `subjects[*]`; Kubernetes' own bindings (`system:`
 * names, rbac-defaults label) and `system:` subjects are skipped. One finding per binding, at roleRef.
 */
import { defineCheck } from '../types.ts';
import { bindingSubjects, describeRoleRef, describeSubject, isAdministrativeRole, isSystemSubject, resolveRole } from './bindings.ts';
import { isBuiltInRbacObject } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-CLUSTER-ADMIN-BINDING',
  title: 'Cluster-wide binding to cluster-admin',
  severity: 'critical',
  category: 'rbac',
  description: 'cluster-admin (or admin bound cluster-wide, or a full-wildcard ClusterRole) can do anything anywhere: every subject bound to it can take over the cluster.',
  remediation: 'Bind a ClusterRole that grants only what the subject needs, or a Role in the namespaces where it works; keep cluster-admin for break-glass accounts.',
  fields: ['roleRef.kind', 'roleRef.name', 'subjects[*]'],
  frameworks: { cis: ['5.1.1'], nsa: ['Administrative Roles'], mitre: ['Privilege escalation'], 'nist-800-190': ['4.4.1'] },
  aliases: ['clusterrolebindingClusterAdmin', 'C-0185', 'C-0035', 'KSV-0111', 'cluster-admin-role-binding'],
  concepts: [101],
  kinds: ['ClusterRoleBinding'],
  run(ctx) {
    const binding = ctx.resource;
    if (isBuiltInRbacObject(binding)) return;
    const role = resolveRole(binding, ctx.index);
    if (role === undefined) return;
    if (!isAdministrativeRole(role)) return;
    const subjects = bindingSubjects(binding, ctx.index).filter((s) => !isSystemSubject(s));
    if (subjects.length === 0) return;
    ctx.report(['roleRef', 'name'], `ClusterRoleBinding "${binding.name}" grants ${describeRoleRef(role.ref)} cluster-wide to ${subjects.map(describeSubject).join(', ')}`);
  },
});
