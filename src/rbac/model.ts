/**
 * The RBAC model of a manifest set or a cluster: roles (with `aggregationRule` resolved to a
 * fixpoint, and Kubernetes' default ClusterRoles and kube-system/kube-public Roles filling in what
 * the inputs lack), bindings (the default ones too, where the inputs lack a binding of that name)
 * resolved to their roles, the ServiceAccounts that exist and the pods that run as each.
 * Bindings to missing roles and cyclic aggregation are issues; the rest is still analysed.
 */
import type { ManifestIndex } from '../manifests/index-set.ts';
import { asArray, asObject, asString } from '../manifests/path.ts';
import type { Resource } from '../manifests/resource.ts';
import { matchesSelector } from '../manifests/selector.ts';
import { DEFAULT_CLUSTER_ROLE_BINDINGS, DEFAULT_CLUSTER_ROLES, DEFAULT_ROLE_BINDINGS, DEFAULT_ROLES, defaultClusterRoleObject, type DefaultBinding } from './defaults.ts';
import type { PolicyRule } from './policy-rule.ts';

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface RbacSubject {
  kind: SubjectKind;
  name: string;
  /** ServiceAccounts only. */
  namespace?: string;
}

export interface RoleModel {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** After aggregation. */
  rules: PolicyRule[];
  /** `input` (from the manifests or the cluster) or `default` (Kubernetes' bootstrap policy). */
  origin: 'input' | 'default';
  /** For aggregated ClusterRoles: the roles whose rules it took. */
  aggregatedFrom?: string[];
  resource?: Resource;
}

export interface BindingModel {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: Array<RbacSubject & { index: number }>;
  /** Undefined when the role is neither in the inputs nor a default ClusterRole. */
  role: RoleModel | undefined;
  origin: 'input' | 'default';
  /** Kubernetes' own binding (`system:` name or the rbac-defaults label). */
  builtIn: boolean;
  resource?: Resource;
}

export interface ServiceAccountModel {
  namespace: string;
  name: string;
  resource?: Resource;
  /** Pods and workloads running as this account. */
  workloads: Resource[];
  /** Legacy token Secrets of this account found in the inputs (names only; values are never read). */
  tokenSecrets: string[];
}

export interface RbacIssue {
  code: 'E_RBAC_MISSING_ROLE' | 'E_RBAC_AGGREGATION_CYCLE' | 'E_RBAC_INVALID';
  object: string;
  message: string;
}

export interface RbacModel {
  /** By `ClusterRole/<name>` and `Role/<ns>/<name>`. */
  roles: Map<string, RoleModel>;
  bindings: BindingModel[];
  /** By `<ns>/<name>`. */
  serviceAccounts: Map<string, ServiceAccountModel>;
  namespaces: string[];
  issues: RbacIssue[];
}

export interface RbacModelOptions {
  /** Add Kubernetes' default ClusterRoles, and Roles of kube-system and kube-public, the inputs lack (default true). */
  defaultRoles?: boolean;
  /**
   * Add the default ClusterRoleBindings and RoleBindings the inputs lack (by name), such as
   * cluster-admin → system:masters and the controllers' bindings to their ServiceAccounts in
   * kube-system (default true).
   */
  defaultBindings?: boolean;
}

export function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole/${name}` : `Role/${namespace ?? ''}/${name}`;
}

export function subjectKey(s: RbacSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace ?? ''}/${s.name}` : `${s.kind}:${s.name}`;
}

export function describeSubject(s: RbacSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`;
}

/** Groups and users that stand for "everyone" or "all-powerful": reported even though they start with `system:`. */
export const SPECIAL_PRINCIPALS: ReadonlySet<string> = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:masters']);

/** Kubernetes' own identities (`system:` users and groups other than the special principals). */
export function isSystemSubject(s: RbacSubject): boolean {
  return s.kind !== 'ServiceAccount' && s.name.startsWith('system:') && !SPECIAL_PRINCIPALS.has(s.name);
}

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

function readRules(object: Record<string, unknown>): PolicyRule[] {
  return asArray(object['rules']).flatMap((raw, index) => {
    const r = asObject(raw);
    if (r === undefined) return [];
    return [{ index, apiGroups: strings(r['apiGroups']), resources: strings(r['resources']), verbs: strings(r['verbs']), resourceNames: strings(r['resourceNames']), nonResourceURLs: strings(r['nonResourceURLs']) }];
  });
}

function isBuiltIn(name: string, labels: Record<string, string>): boolean {
  return name.startsWith('system:') || labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

export function buildRbacModel(index: ManifestIndex, options: RbacModelOptions = {}): RbacModel {
  const model: RbacModel = { roles: new Map(), bindings: [], serviceAccounts: new Map(), namespaces: index.namespaces(), issues: [] };
  const aggregation = new Map<string, Array<Record<string, unknown>>>();
  for (const r of index.ofKind('Role', 'ClusterRole')) {
    const kind = r.kind as 'Role' | 'ClusterRole';
    const namespace = kind === 'Role' ? (index.namespaceOf(r) ?? index.defaultNamespace) : undefined;
    const role: RoleModel = { kind, name: r.name, ...(namespace !== undefined && { namespace }), labels: r.labels, rules: readRules(r.object), origin: 'input', resource: r };
    model.roles.set(roleKey(kind, namespace, r.name), role);
    const selectors = asArray(asObject(r.object['aggregationRule'])?.['clusterRoleSelectors']).flatMap((s) => (asObject(s) === undefined ? [] : [asObject(s)!]));
    if (kind === 'ClusterRole' && selectors.length > 0) aggregation.set(role.name, selectors);
  }
  if (options.defaultRoles !== false) {
    for (const d of [...DEFAULT_CLUSTER_ROLES, ...DEFAULT_ROLES]) {
      const kind = d.namespace === undefined ? 'ClusterRole' : 'Role';
      const key = roleKey(kind, d.namespace, d.name);
      if (model.roles.has(key)) continue;
      const obj = defaultClusterRoleObject(d);
      model.roles.set(key, { kind, name: d.name, ...(d.namespace !== undefined && { namespace: d.namespace }), labels: { ...d.labels }, rules: readRules(obj).map((x) => ({ ...x, index: -1 })), origin: 'default' });
      if (kind === 'ClusterRole' && d.aggregationSelectors !== undefined) aggregation.set(d.name, d.aggregationSelectors.map((matchLabels) => ({ matchLabels: { ...matchLabels } })));
    }
  }
  aggregate(model, aggregation);
  readBindings(model, index, options);
  readServiceAccounts(model, index);
  return model;
}

function ruleId(r: PolicyRule): string {
  return JSON.stringify([r.apiGroups, r.resources, r.verbs, r.resourceNames, r.nonResourceURLs]);
}

/**
 * What the ClusterRole aggregation controller converges to: each aggregated role holds its own
 * rules plus the rules of every ClusterRole its selectors match, to a fixpoint (so chains such as
 * admin ⊇ edit ⊇ view resolve, and a cycle ends instead of looping).
 */
function aggregate(model: RbacModel, aggregation: Map<string, Array<Record<string, unknown>>>): void {
  const clusterRoles = [...model.roles.values()].filter((r) => r.kind === 'ClusterRole');
  const members = new Map<string, RoleModel[]>();
  for (const [name, selectors] of aggregation) {
    members.set(name, clusterRoles.filter((c) => c.name !== name && selectors.some((s) => matchesSelector(s, c.labels))));
  }
  reportCycles(model, members);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, from] of members) {
      const role = model.roles.get(roleKey('ClusterRole', undefined, name))!;
      const seen = new Set(role.rules.map(ruleId));
      for (const m of from) {
        for (const rule of m.rules) {
          const id = ruleId(rule);
          if (seen.has(id)) continue;
          seen.add(id);
          role.rules.push({ ...rule, index: -1 });
          changed = true;
        }
      }
      role.aggregatedFrom = from.map((m) => m.name);
    }
  }
}

function reportCycles(model: RbacModel, members: Map<string, RoleModel[]>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const key = [...cycle].slice(0, -1).sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        model.issues.push({ code: 'E_RBAC_AGGREGATION_CYCLE', object: `ClusterRole/${name}`, message: `ClusterRole aggregation cycle: ${cycle.join(' → ')}; each role in it holds the union of the cycle's rules` });
      }
      return;
    }
    state.set(name, 'visiting');
    for (const m of members.get(name) ?? []) if (members.has(m.name)) visit(m.name, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of members.keys()) visit(name, []);
}

function readBindings(model: RbacModel, index: ManifestIndex, options: RbacModelOptions): void {
  const present = new Set<string>();
  for (const b of index.ofKind('RoleBinding', 'ClusterRoleBinding')) {
    const kind = b.kind as BindingModel['kind'];
    const namespace = kind === 'RoleBinding' ? (index.namespaceOf(b) ?? index.defaultNamespace) : undefined;
    const id = kind === 'RoleBinding' ? `RoleBinding/${namespace}/${b.name}` : `ClusterRoleBinding/${b.name}`;
    present.add(id);
    const ref = asObject(b.object['roleRef']);
    const refKind = asString(ref?.['kind']);
    const refName = asString(ref?.['name']);
    if (refKind === undefined || refName === undefined || (refKind !== 'Role' && refKind !== 'ClusterRole') || (kind === 'ClusterRoleBinding' && refKind === 'Role')) {
      model.issues.push({ code: 'E_RBAC_INVALID', object: id, message: `${id}: roleRef must name a ClusterRole${kind === 'RoleBinding' ? ' or a Role' : ''}; the binding is left out` });
      continue;
    }
    const role = model.roles.get(roleKey(refKind, namespace, refName));
    if (role === undefined) model.issues.push({ code: 'E_RBAC_MISSING_ROLE', object: id, message: `${id}: ${refKind} "${refName}"${refKind === 'Role' ? ` in namespace "${namespace}"` : ''} is neither in the inputs nor a Kubernetes default; the binding grants nothing until it exists` });
    const subjects = asArray(b.object['subjects']).flatMap((raw, i): Array<RbacSubject & { index: number }> => {
      const s = asObject(raw);
      const sk = asString(s?.['kind']);
      const name = asString(s?.['name']);
      if (name === undefined || (sk !== 'User' && sk !== 'Group' && sk !== 'ServiceAccount')) {
        model.issues.push({ code: 'E_RBAC_INVALID', object: id, message: `${id}: subjects[${i}] needs kind User, Group or ServiceAccount and a name; it is left out` });
        return [];
      }
      if (sk !== 'ServiceAccount') return [{ kind: sk, name, index: i }];
      const saNs = asString(s!['namespace']) ?? namespace;
      if (saNs === undefined) {
        model.issues.push({ code: 'E_RBAC_INVALID', object: id, message: `${id}: subjects[${i}] ServiceAccount "${name}" needs a namespace in a ClusterRoleBinding; it is left out` });
        return [];
      }
      return [{ kind: sk, name, namespace: saNs, index: i }];
    });
    model.bindings.push({ kind, name: b.name, ...(namespace !== undefined && { namespace }), roleRef: { kind: refKind, name: refName }, subjects, role, origin: 'input', builtIn: isBuiltIn(b.name, b.labels), resource: b });
  }
  if (options.defaultBindings === false) return;
  const addDefault = (kind: BindingModel['kind'], d: DefaultBinding): void => {
    if (present.has(kind === 'RoleBinding' ? `RoleBinding/${d.namespace}/${d.name}` : `ClusterRoleBinding/${d.name}`)) return;
    const role = model.roles.get(roleKey(d.roleKind, d.namespace, d.role));
    if (role === undefined) return;
    const subjects = d.subjects.map((s, index) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace ?? d.namespace ?? '', index } : { kind: s.kind, name: s.name, index }));
    model.bindings.push({ kind, name: d.name, ...(d.namespace !== undefined && { namespace: d.namespace }), roleRef: { kind: d.roleKind, name: d.role }, subjects, role, origin: 'default', builtIn: true });
  };
  for (const d of DEFAULT_CLUSTER_ROLE_BINDINGS) addDefault('ClusterRoleBinding', d);
  for (const d of DEFAULT_ROLE_BINDINGS) addDefault('RoleBinding', d);
}

function readServiceAccounts(model: RbacModel, index: ManifestIndex): void {
  const get = (namespace: string, name: string): ServiceAccountModel => {
    const key = `${namespace}/${name}`;
    let sa = model.serviceAccounts.get(key);
    if (sa === undefined) model.serviceAccounts.set(key, (sa = { namespace, name, workloads: [], tokenSecrets: [] }));
    return sa;
  };
  for (const ns of model.namespaces) get(ns, 'default');
  for (const r of index.ofKind('ServiceAccount')) get(index.namespaceOf(r) ?? index.defaultNamespace, r.name).resource = r;
  for (const r of index.all) {
    if (r.workload === undefined || r.kind === 'PodTemplate') continue;
    const spec = r.workload.podSpec;
    const name = asString(spec['serviceAccountName']) ?? asString(spec['serviceAccount']) ?? 'default';
    get(index.namespaceOf(r) ?? index.defaultNamespace, name).workloads.push(r);
  }
  for (const s of index.ofKind('Secret')) {
    if (s.object['type'] !== 'kubernetes.io/service-account-token') continue;
    const account = s.annotations['kubernetes.io/service-account.name'];
    if (account !== undefined) get(index.namespaceOf(s) ?? index.defaultNamespace, account).tokenSecrets.push(s.name);
  }
  for (const b of model.bindings) for (const s of b.subjects) if (s.kind === 'ServiceAccount') get(s.namespace!, s.name);
}
