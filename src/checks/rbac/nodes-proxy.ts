/**
 * nodes/proxy reaches the kubelet API directly: it runs commands in any pod on the node and bypasses admission and audit of the API server.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { NODES_PROXY } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-NODES-PROXY',
  title: 'Role can use nodes/proxy',
  severity: 'high',
  category: 'rbac',
  description: 'nodes/proxy reaches the kubelet API directly: it runs commands in any pod on the node and bypasses admission and audit of the API server.',
  remediation: 'Remove nodes/proxy (and nodes/* or * resources) from the role; monitoring agents can read metrics from nodes/metrics instead.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.10'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV2_K8S_2', 'C-0279', 'KSV-0047'],
  concepts: [108],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [NODES_PROXY]);
  },
});
