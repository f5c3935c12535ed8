/**
 * Rule entries Kubernetes' RBAC authorizer can never match (it compares exact strings; see
 * src/rbac/policy-rule.ts): upper-case verbs or resources (requests name them in lower case),
 * `pods/*` (only `*` and `*\/subresource` are wildcards), an API group with a version or a slash
 * (`apps/v1`), and `v1` or `core` for the core group (which is ""). Such an entry grants nothing:
 * the role does less than its author meant, and the usual "fix" is a broader wildcard.
 * Reads `rules[*].apiGroups`, `rules[*].resources`, `rules[*].verbs` of every Role and ClusterRole.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { roleLabel } from './policy.ts';

/** Why an entry of `field` never matches a request, or undefined when it may. */
function neverMatches(field: 'verbs' | 'resources' | 'apiGroups', entry: string): string | undefined {
  if (entry === '*') return undefined;
  if (entry !== entry.toLowerCase()) return `${field} are matched exactly and requests name them in lower case`;
  if (field === 'resources') {
    const slash = entry.indexOf('/');
    if (slash !== -1 && entry.slice(slash + 1) === '*' && entry.slice(0, slash) !== '*') return 'RBAC has no `resource/*` wildcard: only `*` and `*/subresource`';
  }
  if (field === 'apiGroups') {
    if (entry === 'v1' || entry === 'core') return 'the core API group is "" (an empty string)';
    if (entry.includes('/')) return 'an API group has no version or slash (`apps`, not `apps/v1`)';
  }
  return undefined;
}

export default defineCheck({
  id: 'K8S-RBAC-INEFFECTIVE-RULE',
  title: 'Role rule entry that never matches',
  severity: 'low',
  category: 'rbac',
  description: 'The RBAC authorizer compares verbs, resources and API groups as exact strings. An entry such as `GET`, `Pods`, `pods/*`, `apps/v1` or `core` matches no request, so the rule grants less than it says, and the usual reaction to "forbidden" is a broader wildcard.',
  remediation: 'Write verbs and resources in lower case, `*/subresource` or the subresources by name instead of `resource/*`, and API groups without versions (`""` for the core group).',
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs'],
  frameworks: {},
  aliases: [],
  concepts: [],
  kinds: ['Role', 'ClusterRole'],
  run(ctx) {
    const role = ctx.resource;
    asArray(role.object['rules']).forEach((raw, i) => {
      const rule = asObject(raw);
      if (rule === undefined) return;
      for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
        asArray(rule[field]).forEach((entry, j) => {
          if (typeof entry !== 'string') return;
          const why = neverMatches(field, entry);
          if (why !== undefined) ctx.report(['rules', i, field, j], `${roleLabel(role)} rule ${i} ${field} entry "${entry}" matches nothing: ${why}`, { key: `${field}/${j}` });
        });
      }
    });
  },
});
