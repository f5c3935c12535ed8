/**
 * create on serviceaccounts/token mints tokens for ServiceAccounts, so the holder gets their permissions.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { SA_TOKEN_CREATE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-SA-TOKEN-CREATE',
  title: 'Role can create service account tokens',
  severity: 'high',
  category: 'rbac',
  description: 'create on serviceaccounts/token mints tokens for ServiceAccounts, so the holder gets their permissions.',
  remediation: 'Remove create on serviceaccounts/token, or restrict it with resourceNames to the ServiceAccounts concerned.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.13'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0282'],
  concepts: [115],
  kinds: ROLE_KINDS,
  enabledByDefault: false,
  run(ctx) {
    reportRoleGrants(ctx, [SA_TOKEN_CREATE]);
  },
});
