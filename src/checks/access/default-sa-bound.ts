/**
 * Permissions granted to a namespace's `default` ServiceAccount go to every pod there that names
 * no ServiceAccount (CIS 5.1.5). Reads `subjects[*]` of RoleBindings and ClusterRoleBindings;
 * allowed: no ServiceAccount subject named `default`. Kubernetes' own bindings are skipped.
 */
import { bindingSubjects, describeRoleRef, roleRefOf } from '../rbac/bindings.ts';
import { isBuiltInRbacObject } from '../rbac/policy.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-DEFAULT-SA-BOUND',
  title: 'Role bound to a default ServiceAccount',
  severity: 'medium',
  category: 'access',
  description: 'A role bound to the default ServiceAccount is granted to every pod of the namespace that does not name its own ServiceAccount.',
  remediation: 'Create a dedicated ServiceAccount for the workload that needs the role, bind the role to it and set `serviceAccountName` on that workload.',
  fields: ['subjects[*].kind', 'subjects[*].name', 'subjects[*].namespace'],
  frameworks: { cis: ['5.1.5'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_42'],
  concepts: [92],
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  run(ctx) {
    const binding = ctx.resource;
    if (isBuiltInRbacObject(binding)) return;
    const ref = roleRefOf(binding);
    for (const s of bindingSubjects(binding, ctx.index)) {
      if (s.kind !== 'ServiceAccount' || s.name !== 'default') continue;
      ctx.report(['subjects', s.index], `${binding.kind} "${binding.name}" binds ${ref === undefined ? 'a role' : describeRoleRef(ref)} to the default ServiceAccount of namespace "${s.namespace ?? ''}"`);
    }
  },
});
