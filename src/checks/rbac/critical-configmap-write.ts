/**
 * Whoever can rewrite the `coredns` ConfigMap redirects cluster DNS (CoreDNS poisoning); whoever
 * can rewrite `aws-auth` maps IAM identities to Kubernetes groups on EKS (system:masters included).
 * Both live in kube-system, so this reads update/patch on configmaps in Roles of kube-system and in
 * ClusterRoles (which a RoleBinding in kube-system can grant); a rule limited by resourceNames
 * counts only when it names one of them. `system:` / rbac-defaults roles are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { CRITICAL_CONFIGMAP_WRITE } from './permissions.ts';

export default defineCheck({
  id: 'K8S-RBAC-CRITICAL-CONFIGMAP-WRITE',
  title: 'Role can change the coredns or aws-auth ConfigMap',
  severity: 'high',
  category: 'rbac',
  description: 'update/patch on kube-system ConfigMaps lets the holder rewrite cluster DNS (coredns) or, on EKS, map any IAM identity to system:masters (aws-auth).',
  remediation: 'Remove update/patch on configmaps from ClusterRoles and kube-system Roles, or restrict the rule with resourceNames to ConfigMaps other than coredns and aws-auth.',
  fields: ['metadata.namespace', 'rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { mitre: ['Lateral movement'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0037', 'KSV-0049', 'KSV-0115'],
  concepts: [119],
  kinds: ['Role', 'ClusterRole'],
  run(ctx) {
    if (ctx.resource.kind === 'Role' && ctx.index.namespaceOf(ctx.resource) !== 'kube-system') return;
    reportRoleGrants(ctx, [CRITICAL_CONFIGMAP_WRITE]);
  },
});
