/**
 * pods/attach connects to the main process of a running container, which for shells is the same as exec.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { POD_ATTACH } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-POD-ATTACH',
  title: 'Role can attach to pods',
  severity: 'high',
  category: 'rbac',
  description: 'pods/attach connects to the main process of a running container, which for shells is the same as exec.',
  remediation: 'Remove create/get on pods/attach (and */attach or * resources) from roles that do not need it.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { 'nist-800-190': ['4.4.1'] },
  aliases: ['clusterrolePodExecAttach', 'rolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach', 'KSV-0054'],
  concepts: [107],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [POD_ATTACH]);
  },
});
