/**
 * Reading RBAC objects of the inputs for the checks. How a rule matches a request (wildcards,
 * subresources, resourceNames) lives in src/rbac/policy-rule.ts, shared with `bosun rbac`.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';
import type { PolicyRule } from '../../rbac/policy-rule.ts';
export { describeGrant, grantedBy, isFullWildcard, resourceMatches, type Permission, type PolicyRule } from '../../rbac/policy-rule.ts';

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Per role object: the RBAC checks and the binding joins read the same rules many times. */
const rulesCache = new WeakMap<object, readonly PolicyRule[]>();

export function policyRules(object: Record<string, unknown>): readonly PolicyRule[] {
  let rules = rulesCache.get(object);
  if (rules === undefined) rulesCache.set(object, (rules = Object.freeze(parseRules(object))));
  return rules;
}

function parseRules(object: Record<string, unknown>): PolicyRule[] {
  return asArray(object['rules']).flatMap((raw, index) => {
    const r = asObject(raw);
    if (r === undefined) return [];
    return [{ index, apiGroups: strings(r['apiGroups']), resources: strings(r['resources']), verbs: strings(r['verbs']), resourceNames: strings(r['resourceNames']), nonResourceURLs: strings(r['nonResourceURLs']) }];
  });
}

/** Built-in objects Kubernetes creates and reconciles itself: `system:` names or the rbac-defaults label. */
export function isBuiltInRbacObject(r: Resource): boolean {
  return r.name.startsWith('system:') || r.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

export function roleLabel(r: Resource): string {
  return `${r.kind} "${r.name}"`;
}

