/**
 * delete on Secrets, pods, Services, namespaces and workload controllers lets the holder take applications down.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { DELETE_CRITICAL } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-DELETE-CRITICAL',
  title: 'Role can delete critical resources',
  severity: 'medium',
  category: 'rbac',
  description: 'delete on Secrets, pods, Services, namespaces and workload controllers lets the holder take applications down.',
  remediation: 'Remove delete/deletecollection on these resources from roles that only need to read or update them.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { mitre: ['Impact'] },
  aliases: ['C-0007'],
  concepts: [117],
  kinds: ROLE_KINDS,
  enabledByDefault: false,
  run(ctx) {
    reportRoleGrants(ctx, [DELETE_CRITICAL]);
  },
});
