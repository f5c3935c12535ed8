/**
 * Approving CertificateSigningRequests issues client certificates for any user or group the signer allows, including system:masters with some signers.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { CSR_APPROVE } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-CSR-APPROVE',
  title: 'Role can approve certificate signing requests',
  severity: 'high',
  category: 'rbac',
  description: 'Approving CertificateSigningRequests issues client certificates for any user or group the signer allows, including system:masters with some signers.',
  remediation: 'Remove update/patch on certificatesigningrequests/approval from roles that are not the certificate approver.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: { cis: ['5.1.11'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_156', 'C-0280'],
  concepts: [114],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [CSR_APPROVE]);
  },
});
