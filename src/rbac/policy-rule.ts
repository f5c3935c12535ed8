/**
 * RBAC policy rules as Kubernetes' authorizer reads them (k8s.io/kubernetes pkg/apis/rbac/v1
 * `ResourceMatches`, `NonResourceURLMatches`; plugin/pkg/auth/authorizer/rbac `RuleAllows`): a rule
 * allows a request when one of its apiGroups, resources and verbs matches (`*` matches
 * everything); `*` in resources also matches every subresource and `*\/scale` the scale
 * subresource of every resource, but `pods/*` is no wildcard (it names a subresource `*`, which
 * nothing has: such a rule grants nothing); a non-empty resourceNames restricts the rule to those
 * object names (so it never matches a request without a name: `create`, `list`, `watch` of a
 * collection); nonResourceURLs match exactly, `*` matches every path, and trailing `*`s make a
 * prefix match.
 */

export interface PolicyRule {
  /** Position in `rules` of the role (-1 for rules of a built-in default ClusterRole). */
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
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

export function resourceMatches(ruleResource: string, target: string): boolean {
  if (ruleResource === '*' || ruleResource === target) return true;
  const slash = target.indexOf('/');
  if (slash === -1) return false;
  return ruleResource === `*${target.slice(slash)}`;
}

export function nonResourceURLMatches(ruleURL: string, path: string): boolean {
  if (ruleURL === '*' || ruleURL === path) return true;
  return ruleURL.endsWith('*') && path.startsWith(ruleURL.replace(/\*+$/, ''));
}

/** A request to the API, as the authorizer sees it. */
export type AccessRequest =
  | { type: 'resource'; verb: string; apiGroup: string; resource: string; subresource?: string; name?: string }
  | { type: 'nonResource'; verb: string; path: string };

export function ruleAllows(rule: PolicyRule, req: AccessRequest): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(req.verb)) return false;
  if (req.type === 'nonResource') return rule.nonResourceURLs.some((u) => nonResourceURLMatches(u, req.path));
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(req.apiGroup)) return false;
  const target = req.subresource === undefined || req.subresource === '' ? req.resource : `${req.resource}/${req.subresource}`;
  if (!rule.resources.some((r) => resourceMatches(r, target))) return false;
  return rule.resourceNames.length === 0 || (req.name !== undefined && rule.resourceNames.includes(req.name));
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

export function describeGrant(rule: PolicyRule, grant: { verbs: string[]; resources: string[] }): string {
  return `${grant.verbs.join('/')} on ${grant.resources.join(', ')}${rule.resourceNames.length > 0 ? ` (resourceNames ${rule.resourceNames.join(', ')})` : ''}`;
}

/** `get,list pods (apps) [names a,b]` / `get /metrics`: one rule on one line. */
export function describeRule(rule: PolicyRule): string {
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return `${rule.verbs.join(',')} ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  return `${rule.verbs.join(',')} ${rule.resources.join(',')} (apiGroups ${groups})${rule.resourceNames.length > 0 ? ` resourceNames ${rule.resourceNames.join(',')}` : ''}`;
}
