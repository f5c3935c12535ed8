/**
 * system:masters bypasses RBAC altogether and membership cannot be revoked short of rotating the
 * CA, so a binding naming it is a sign the group is in use (CIS 5.1.7). Reads `subjects[*].kind/name`
 * of RoleBindings and ClusterRoleBindings; Kubernetes' own bindings are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportSubjectsNamed } from './bindings.ts';
import { BINDING_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-MASTERS-BINDING',
  title: 'Role bound to the system:masters group',
  severity: 'medium',
  category: 'rbac',
  description: 'Members of system:masters are unrestricted superusers whose access RBAC cannot take away; certificates that carry the group stay valid until they expire.',
  remediation: 'Bind roles to ordinary groups and stop issuing credentials in system:masters (keep it for break-glass only).',
  fields: ['subjects[*].kind', 'subjects[*].name'],
  frameworks: { cis: ['5.1.7'], 'nist-800-190': ['4.4.1'] },
  aliases: ['C-0246', 'KSV-0123'],
  concepts: [123],
  kinds: BINDING_KINDS,
  run(ctx) {
    reportSubjectsNamed(ctx, ['system:masters'], 'unrestricted superusers');
  },
});
