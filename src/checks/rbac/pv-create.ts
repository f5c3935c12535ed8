/**
 * A PersistentVolume can be a hostPath: whoever creates PVs can mount node directories into pods.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { PV_CREATE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-PV-CREATE',
  title: 'Role can create persistent volumes',
  severity: 'medium',
  category: 'rbac',
  description: 'A PersistentVolume can be a hostPath: whoever creates PVs can mount node directories into pods.',
  remediation: 'Leave PersistentVolume creation to storage provisioners; users claim storage through PersistentVolumeClaims.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.9'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0278'],
  concepts: [116],
  kinds: ROLE_KINDS,
  enabledByDefault: false,
  run(ctx) {
    reportRoleGrants(ctx, [PV_CREATE]);
  },
});
