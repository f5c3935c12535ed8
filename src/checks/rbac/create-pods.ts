/**
 * Whoever can create pods (directly or through Deployments, Jobs …) can run them as any ServiceAccount of the namespace and with any host access admission allows.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { CREATE_WORKLOADS } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-CREATE-PODS',
  title: 'Role can create pods or workloads',
  severity: 'high',
  category: 'rbac',
  description: 'Whoever can create pods (directly or through Deployments, Jobs …) can run them as any ServiceAccount of the namespace and with any host access admission allows.',
  remediation: 'Grant create on pods and workload controllers only to deployment tooling; give people read access and deploy through CI.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.4'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0188', 'KSV-0048', 'access-to-create-pods'],
  concepts: [105],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [CREATE_WORKLOADS]);
  },
});
