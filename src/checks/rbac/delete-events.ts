/**
 * Deleting Events or pod logs removes the traces an attacker leaves behind.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { DELETE_EVIDENCE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-DELETE-EVENTS',
  title: 'Role can delete events or pod logs',
  severity: 'medium',
  category: 'rbac',
  description: 'Deleting Events or pod logs removes the traces an attacker leaves behind.',
  remediation: 'Remove delete/deletecollection on events and pods/log.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { mitre: ['Defense evasion'] },
  aliases: ['C-0031', 'KSV-0042'],
  concepts: [118],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [DELETE_EVIDENCE]);
  },
});
