/**
 * RBAC policy rules as Kubernetes' authorizer reads them (k8s.io/apiserver rbac/v1 `RuleAllows`):
 * a rule allows a request when one of its apiGroups, resources and verbs matches (`*` matches
 * everything); `*` in resources also matches every subresource, `pods/*` matches every
 * subresource of pods, `*\/scale` matches the scale subresource of every resource; a non-empty
 * resourceNames restricts the rule to those object names (and never matches `create`/`list`).
 */
import { asArray, asObject } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';

export interface PolicyRule {
  /** Position in `rules` of the role (-1 for rules of a built-in default ClusterRole). */
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

/** What a check looks for: any of `verbs` on any of `targets` (`[apiGroup, resource or resource/subresource]`). */
export interface Permission {
  label: string;
  verbs: readonly string[];
  targets: ReadonlyArray<readonly [string, string]>;
  /**
   * How a rule restricted by resourceNames counts: `'any'` = still a grant (exec into named pods
   * is still exec); a list = a grant only when it names one of these objects; unset = not a grant
   * (naming the objects is the narrowing peers recommend).
   */
  names?: 'any' | readonly string[];
}

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

export function policyRules(object: Record<string, unknown>): PolicyRule[] {
  return asArray(object['rules']).flatMap((raw, index) => {
    const r = asObject(raw);
    if (r === undefined) return [];
    return [{ index, apiGroups: strings(r['apiGroups']), resources: strings(r['resources']), verbs: strings(r['verbs']), resourceNames: strings(r['resourceNames']) }];
  });
}

export function resourceMatches(ruleResource: string, target: string): boolean {
  if (ruleResource === '*' || ruleResource === target) return true;
  const slash = target.indexOf('/');
  if (slash === -1) return false;
  return ruleResource === `${target.slice(0, slash)}/*` || ruleResource === `*${target.slice(slash)}`;
}

function namesAllow(rule: PolicyRule, permission: Permission): boolean {
  if (rule.resourceNames.length === 0) return true;
  if (permission.names === 'any') return true;
  if (permission.names === undefined) return false;
  return rule.resourceNames.some((n) => permission.names!.includes(n));
}

/** The verbs and resources of `permission` that `rule` grants, or undefined when it grants none. */
export function grantedBy(rule: PolicyRule, permission: Permission): { verbs: string[]; resources: string[] } | undefined {
  if (!namesAllow(rule, permission)) return undefined;
  const verbs = permission.verbs.filter((v) => rule.verbs.includes('*') || rule.verbs.includes(v));
  if (verbs.length === 0) return undefined;
  const resources = new Set<string>();
  for (const [group, resource] of permission.targets) {
    const groupOk = rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
    if (groupOk && rule.resources.some((r) => resourceMatches(r, resource))) resources.add(resource);
  }
  return resources.size === 0 ? undefined : { verbs, resources: [...resources] };
}

/** `*` on apiGroups, resources and verbs with no resourceNames: everything cluster-admin has. */
export function isFullWildcard(rule: PolicyRule): boolean {
  return rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.verbs.includes('*') && rule.resourceNames.length === 0;
}

/** Built-in objects Kubernetes creates and reconciles itself: `system:` names or the rbac-defaults label. */
export function isBuiltInRbacObject(r: Resource): boolean {
  return r.name.startsWith('system:') || r.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

export function describeGrant(rule: PolicyRule, grant: { verbs: string[]; resources: string[] }): string {
  return `${grant.verbs.join('/')} on ${grant.resources.join(', ')}${rule.resourceNames.length > 0 ? ` (resourceNames ${rule.resourceNames.join(', ')})` : ''}`;
}

export function roleLabel(r: Resource): string {
  return `${r.kind} "${r.name}"`;
}

