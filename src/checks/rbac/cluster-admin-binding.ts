/**
 * A ClusterRoleBinding to cluster-admin (or `admin`, or any ClusterRole with `*` on apiGroups,
 * resources and verbs) gives its subjects the whole cluster. Reads `roleRef` (resolved against the
 * inputs, else the default ClusterRoles) and `subjects[*]`; Kubernetes' own bindings (`system:`
 * names, rbac-defaults label) and `system:` subjects are skipped. One finding per binding, at roleRef.
 */
import { defineCheck } from '../types.ts';
import { administrativeGrant, describeRoleRef, describeSubject } from './bindings.ts';

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
    const grant = administrativeGrant(binding, ctx.index);
    if (grant === undefined) return;
    ctx.report(['roleRef', 'name'], `ClusterRoleBinding "${binding.name}" grants ${describeRoleRef(grant.role.ref)} cluster-wide to ${grant.subjects.map(describeSubject).join(', ')}`);
  },
});
