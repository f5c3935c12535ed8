/**
 * Writing services/status sets load-balancer IPs (CVE-2020-8554) and writing Endpoints or EndpointSlices points a Service at other addresses: both intercept traffic.
 * Reads `rules[*]` of every Role and ClusterRole (apiGroups, resources, verbs, resourceNames);
 * roles Kubernetes manages itself (`system:` names, rbac-defaults label) are skipped.
 */
import { defineCheck } from '../types.ts';
import { reportRoleGrants } from './grants.ts';
import { TRAFFIC_REDIRECT } from './permissions.ts';
import { ROLE_KINDS } from './policy.ts';

export default defineCheck({
  id: 'K8S-RBAC-TRAFFIC-REDIRECT',
  title: 'Role can redirect Service traffic',
  severity: 'medium',
  category: 'rbac',
  description: 'Writing services/status sets load-balancer IPs (CVE-2020-8554) and writing Endpoints or EndpointSlices points a Service at other addresses: both intercept traffic.',
  remediation: 'Grant write access to services/status, endpoints and endpointslices only to the controllers that manage them.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs', 'rules[*].resourceNames'],
  frameworks: {},
  aliases: ['CKV2_K8S_4', 'KSV-0056'],
  concepts: [120],
  kinds: ROLE_KINDS,
  run(ctx) {
    reportRoleGrants(ctx, [TRAFFIC_REDIRECT]);
  },
});
