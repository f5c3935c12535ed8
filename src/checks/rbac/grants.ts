/** The shared body of the Role/ClusterRole permission checks: one finding per rule that grants the permission. */
import type { CheckContext } from '../types.ts';
import { describeGrant, grantedBy, isBuiltInRbacObject, policyRules, roleLabel, type Permission } from './policy.ts';

export function reportRoleGrants(ctx: CheckContext, permissions: readonly Permission[]): void {
  const role = ctx.resource;
  if (isBuiltInRbacObject(role)) return;
  for (const rule of policyRules(role.object)) {
    for (const permission of permissions) {
      const grant = grantedBy(rule, permission);
      if (grant === undefined) continue;
      ctx.report(['rules', rule.index, 'verbs'], `${roleLabel(role)} rule ${rule.index} can ${permission.label}: ${describeGrant(rule, grant)}`, { key: permission.label });
    }
  }
}
