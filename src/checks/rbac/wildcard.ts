/**
 * A `*` in a rule grants every current and future resource, verb or API group (CRDs included),
 * so a role grows silently. Reads `rules[*].apiGroups`, `rules[*].resources` and `rules[*].verbs`
 * of every Role and ClusterRole; allowed: explicit names. `system:` / rbac-defaults roles are skipped.
 * A `*` in verbs or resources is high; a `*` in apiGroups alone (named resources) is medium.
 */
import { defineCheck } from '../types.ts';
import { isBuiltInRbacObject, policyRules, roleLabel } from './policy.ts';

const FIELDS = ['verbs', 'resources', 'apiGroups'] as const;

export default defineCheck({
  id: 'K8S-RBAC-WILDCARD',
  title: 'Wildcard in role rules',
  severity: 'high',
  alsoReports: ['medium'],
  category: 'rbac',
  description: 'A wildcard grants every verb, resource or API group, including ones added later by new Kubernetes versions and CRDs; a role with `*` verbs on `*` resources is cluster-admin within its scope.',
  remediation: 'List the verbs, resources and apiGroups the subject needs instead of `*`.',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs'],
  frameworks: { cis: ['5.1.3'], mitre: ['Privilege escalation'], 'nist-800-190': ['4.4.1'] },
  aliases: ['CKV_K8S_49', 'C-0187', 'KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112', 'wildcard-in-rules'],
  concepts: [103],
  kinds: ['Role', 'ClusterRole'],
  run(ctx) {
    const role = ctx.resource;
    if (isBuiltInRbacObject(role)) return;
    for (const rule of policyRules(role.object)) {
      const wild = FIELDS.filter((f) => rule[f].includes('*'));
      for (const field of wild) {
        const severity = wild.includes('verbs') || wild.includes('resources') ? 'high' : 'medium';
        ctx.report(['rules', rule.index, field], `${roleLabel(role)} rule ${rule.index} uses "*" in ${field}`, { severity });
      }
    }
  },
});
