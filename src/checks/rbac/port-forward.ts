/**
 * pods/portforward tunnels into any port of a pod, past NetworkPolicies and Service exposure.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { POD_PORT_FORWARD } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-PORT-FORWARD',
  title: 'Role can port-forward to pods',
  severity: 'medium',
  category: 'rbac',
  description: 'pods/portforward tunnels into any port of a pod, past NetworkPolicies and Service exposure.',
  remediation: 'Remove create/get on pods/portforward from roles that do not need it.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: {},
  aliases: ['C-0063'],
  concepts: [109],
  kinds: ROLE_KINDS,
  enabledByDefault: false,
  run(ctx) {
    reportRoleGrants(ctx, [POD_PORT_FORWARD]);
  },
});
