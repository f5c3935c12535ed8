/**
 * Subjects bound to the Dashboard's roles can act through it. Reads `roleRef.name` (a name
 * containing `kubernetes-dashboard`) and `subjects[*]` of RoleBindings and ClusterRoleBindings;
 * the Dashboard's own ServiceAccount (named `kubernetes-dashboard*`) is what the role is for and is skipped.
 */
import { defineCheck } from '../types.ts';
import { bindingSubjects, describeRoleRef, describeSubject, roleRefOf } from './bindings.ts';
import { BINDING_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-DASHBOARD-ACCESS',
  title: 'Subject bound to a Kubernetes Dashboard role',
  severity: 'low',
  category: 'rbac',
  description: 'Users, groups and ServiceAccounts bound to the Dashboard\'s roles can use it to browse and change the cluster.',
  remediation: 'Bind Dashboard roles only to the Dashboard\'s own ServiceAccount; give people their own least-privilege roles.',
  fields: ['roleRef.name', 'subjects[*]'],
  frameworks: { mitre: ['Discovery', 'Lateral movement'] },
  aliases: ['C-0014'],
  concepts: [125],
  kinds: BINDING_KINDS,
  run(ctx) {
    const binding = ctx.resource;
    const ref = roleRefOf(binding);
    if (ref === undefined || !ref.name.includes('kubernetes-dashboard')) return;
    for (const s of bindingSubjects(binding, ctx.index)) {
      if (s.kind === 'ServiceAccount' && s.name.startsWith('kubernetes-dashboard')) continue;
      ctx.report(['subjects', s.index], `${binding.kind} "${binding.name}" binds ${describeSubject(s)} to Dashboard role ${describeRoleRef(ref)}`);
    }
  },
});
