/**
 * system:authenticated is every identity the API server accepts: all users, all ServiceAccounts of
 * all namespaces and, on some managed clusters, any account of the cloud provider. Reads
 * `subjects[*].kind/name` of RoleBindings and ClusterRoleBindings; Kubernetes' own bindings
 * (system:discovery, system:basic-user …) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportSubjectsNamed } from './bindings.ts';
import { BINDING_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-AUTHENTICATED-BINDING',
  title: 'Role bound to all authenticated users',
  severity: 'high',
  category: 'rbac',
  description: 'A binding to system:authenticated grants its role to every user and every ServiceAccount in the cluster, so one compromised pod gets it too.',
  remediation: 'Bind the role to the specific users, groups or ServiceAccounts that need it.',
  fields: ['subjects[*].kind', 'subjects[*].name'],
  frameworks: { 'nist-800-190': ['4.4.2'] },
  aliases: ['C-0265', 'KSV-01011'],
  concepts: [122],
  kinds: BINDING_KINDS,
  run(ctx) {
    reportSubjectsNamed(ctx, ['system:authenticated'], 'every authenticated identity');
  },
});
