/**
 * A pod whose ServiceAccount is bound to an administrative role (cluster-admin, admin, a
 * full-wildcard role) or to takeover permissions (read Secrets, create pods, exec, impersonate,
 * bind/escalate, nodes/proxy, webhooks, CSR approval, token creation) hands them to whoever
 * compromises the container. Joins the workload → its ServiceAccount (`spec.serviceAccountName`,
 * default `default`) → RoleBindings of its namespace and ClusterRoleBindings → their roles (from
 * the inputs, else the default ClusterRoles). Pods that do not mount the token are skipped.
 */
import { tokenAutomount, serviceAccountName, serviceAccountPath } from '../access/service-account.ts';
import { defineCheck } from '../types.ts';
import { describeRoleRef } from './bindings.ts';
import { grantsToServiceAccount } from './service-account-grants.ts';

export default defineCheck({
  id: 'K8S-RBAC-WORKLOAD-SA-TAKEOVER',
  title: 'Workload ServiceAccount holds administrative or takeover permissions',
  severity: 'high',
  alsoReports: ['critical'],
  category: 'rbac',
  description: 'The pod mounts a token of a ServiceAccount that can administer the cluster or namespace, or escalate (read Secrets, create pods, exec, impersonate …): compromising the container compromises what the account controls.',
  remediation: 'Give the workload its own ServiceAccount bound to a Role with only the verbs and resources it uses, or set `automountServiceAccountToken: false` if it does not call the API.',
  fields: ['spec.serviceAccountName', 'spec.automountServiceAccountToken', 'RoleBinding.subjects', 'ClusterRoleBinding.subjects', 'roleRef', 'rules'],
  frameworks: { mitre: ['Credential access'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0267', 'C-0272', 'C-0053'],
  concepts: [124],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    const namespace = ctx.index.namespaceOf(ctx.resource);
    if (namespace === undefined || !tokenAutomount(ctx.index, ctx.resource, w).mounted) return;
    const account = serviceAccountName(w);
    for (const g of grantsToServiceAccount(ctx.index, namespace, account)) {
      const scope = g.binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace "${ctx.index.namespaceOf(g.binding) ?? ''}"`;
      ctx.report(serviceAccountPath(w), `ServiceAccount "${account}" has ${g.what} ${scope} through ${g.binding.kind} "${g.binding.name}" → ${describeRoleRef(g.role.ref)}`, {
        severity: g.clusterWideAdmin ? 'critical' : 'high',
        key: `${g.binding.kind}/${g.binding.namespace ?? ''}/${g.binding.name}`,
      });
    }
  },
});
