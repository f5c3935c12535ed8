/**
 * pods/exec runs commands inside running containers, with their credentials, mounted Secrets and network position.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { POD_EXEC } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-POD-EXEC',
  title: 'Role can exec into pods',
  severity: 'high',
  category: 'rbac',
  description: 'pods/exec runs commands inside running containers, with their credentials, mounted Secrets and network position.',
  remediation: 'Remove create/get on pods/exec (and */exec or * resources) from roles bound to people or workloads that do not need a shell.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { nsa: ['Prevent containers from allowing command execution'], mitre: ['Execution'], 'nist-800-190': ['4.4.1'] },
  aliases: ['clusterrolePodExecAttach', 'rolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach', 'CKV2_K8S_2', 'C-0002', 'KSV-0053'],
  concepts: [106],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [POD_EXEC]);
  },
});
