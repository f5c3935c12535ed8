/**
 * system:anonymous (the user of unauthenticated requests) and system:unauthenticated (their group)
 * are anyone who can reach the API server. Reads `subjects[*].kind/name` of RoleBindings and
 * ClusterRoleBindings; Kubernetes' own bindings (system:public-info-viewer …) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportSubjectsNamed } from './bindings.ts';
import { BINDING_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-ANONYMOUS-BINDING',
  title: 'Role bound to anonymous users',
  severity: 'critical',
  category: 'rbac',
  description: 'A binding to system:anonymous or system:unauthenticated grants its role to anyone who can reach the API server, without credentials.',
  remediation: 'Remove system:anonymous and system:unauthenticated from the subjects; bind the role to authenticated identities that need it.',
  fields: ['subjects[*].kind', 'subjects[*].name'],
  frameworks: { 'nist-800-190': ['4.4.2'] },
  aliases: ['BindingsToSystemAnonymous', 'C-0262', 'KSV-0122'],
  concepts: [121],
  kinds: BINDING_KINDS,
  run(ctx) {
    reportSubjectsNamed(ctx, ['system:anonymous', 'system:unauthenticated'], 'anyone, unauthenticated');
  },
});
