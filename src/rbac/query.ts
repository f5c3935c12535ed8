/**
 * Questions to the RBAC model: who can do X (`whoCan`), can S do X (`canI`), and everything a
 * subject holds (`grantsOf`). A RoleBinding grants its role's rules inside its namespace only,
 * never on cluster-scoped resources or non-resource URLs; a ClusterRoleBinding grants them
 * everywhere. A ServiceAccount is the user `system:serviceaccount:<ns>:<name>` in the groups
 * `system:serviceaccounts`, `system:serviceaccounts:<ns>` and `system:authenticated`; every
 * authenticated user is in `system:authenticated`.
 */
import { BosunError } from '../core/errors.ts';
import { describeRule, ruleAllows, type AccessRequest, type PolicyRule } from './policy-rule.ts';
import { describeSubject, subjectKey, type BindingModel, type RbacModel, type RbacSubject, type RoleModel } from './model.ts';

/** What is asked: a verb on a resource (optionally in a namespace, on a named object) or on a non-resource URL. */
export interface AccessQuery {
  verb: string;
  /** `pods`, `pods/exec`, `deployments.apps`, `deployments.apps/scale`, or a non-resource URL starting with `/`. */
  resource: string;
  /** Undefined = in every namespace (cluster-wide grants), or the resource is cluster-scoped. */
  namespace?: string;
  name?: string;
}

/** One way a subject holds a permission: binding → role → rule. */
export interface Grant {
  subject: RbacSubject;
  /** The binding subject that matched (a group the subject is in, for example). */
  via: RbacSubject;
  binding: { kind: string; name: string; namespace?: string; origin: 'input' | 'default'; builtIn: boolean };
  role: { kind: string; name: string; origin: 'input' | 'default' };
  rule: PolicyRule;
  /** Undefined = cluster-wide. */
  namespace?: string;
  /** One line: `ClusterRoleBinding/x → ClusterRole/y rule 0: get,list pods (apiGroups core)`. */
  chain: string;
}

/** Core and well-known resources → API group, and whether they are cluster-scoped. */
const KNOWN: Record<string, { group: string; cluster?: true }> = {
  pods: { group: '' }, services: { group: '' }, endpoints: { group: '' }, configmaps: { group: '' }, secrets: { group: '' },
  serviceaccounts: { group: '' }, persistentvolumeclaims: { group: '' }, replicationcontrollers: { group: '' }, events: { group: '' },
  limitranges: { group: '' }, resourcequotas: { group: '' }, podtemplates: { group: '' }, bindings: { group: '' },
  namespaces: { group: '', cluster: true }, nodes: { group: '', cluster: true }, persistentvolumes: { group: '', cluster: true },
  componentstatuses: { group: '', cluster: true }, users: { group: '', cluster: true }, groups: { group: '', cluster: true },
  deployments: { group: 'apps' }, daemonsets: { group: 'apps' }, statefulsets: { group: 'apps' }, replicasets: { group: 'apps' }, controllerrevisions: { group: 'apps' },
  jobs: { group: 'batch' }, cronjobs: { group: 'batch' },
  horizontalpodautoscalers: { group: 'autoscaling' },
  roles: { group: 'rbac.authorization.k8s.io' }, rolebindings: { group: 'rbac.authorization.k8s.io' },
  clusterroles: { group: 'rbac.authorization.k8s.io', cluster: true }, clusterrolebindings: { group: 'rbac.authorization.k8s.io', cluster: true },
  networkpolicies: { group: 'networking.k8s.io' }, ingresses: { group: 'networking.k8s.io' }, ingressclasses: { group: 'networking.k8s.io', cluster: true },
  poddisruptionbudgets: { group: 'policy' }, endpointslices: { group: 'discovery.k8s.io' }, leases: { group: 'coordination.k8s.io' },
  certificatesigningrequests: { group: 'certificates.k8s.io', cluster: true },
  validatingwebhookconfigurations: { group: 'admissionregistration.k8s.io', cluster: true }, mutatingwebhookconfigurations: { group: 'admissionregistration.k8s.io', cluster: true },
  validatingadmissionpolicies: { group: 'admissionregistration.k8s.io', cluster: true }, validatingadmissionpolicybindings: { group: 'admissionregistration.k8s.io', cluster: true },
  customresourcedefinitions: { group: 'apiextensions.k8s.io', cluster: true }, storageclasses: { group: 'storage.k8s.io', cluster: true },
  csidrivers: { group: 'storage.k8s.io', cluster: true }, volumeattachments: { group: 'storage.k8s.io', cluster: true },
  priorityclasses: { group: 'scheduling.k8s.io', cluster: true }, runtimeclasses: { group: 'node.k8s.io', cluster: true },
  tokenreviews: { group: 'authentication.k8s.io', cluster: true }, subjectaccessreviews: { group: 'authorization.k8s.io', cluster: true },
  selfsubjectaccessreviews: { group: 'authorization.k8s.io', cluster: true }, localsubjectaccessreviews: { group: 'authorization.k8s.io' },
  adminnetworkpolicies: { group: 'policy.networking.k8s.io', cluster: true }, baselineadminnetworkpolicies: { group: 'policy.networking.k8s.io', cluster: true },
  '*': { group: '*' },
};

const ALIASES: Record<string, string> = { po: 'pods', svc: 'services', cm: 'configmaps', sa: 'serviceaccounts', ns: 'namespaces', no: 'nodes', deploy: 'deployments', ds: 'daemonsets', sts: 'statefulsets', rs: 'replicasets', netpol: 'networkpolicies', pvc: 'persistentvolumeclaims', pv: 'persistentvolumes', csr: 'certificatesigningrequests', crd: 'customresourcedefinitions', ing: 'ingresses', cj: 'cronjobs' };

export interface ParsedQuery {
  request: AccessRequest;
  /** Cluster-scoped resources and non-resource URLs are granted by ClusterRoleBindings only. */
  clusterScoped: boolean;
}

/** `pods/exec`, `deployments.apps/scale`, `widgets.example.com`, `*`, `/metrics`. */
export function parseQuery(q: AccessQuery): ParsedQuery {
  if (q.verb === '') throw new BosunError('E_USAGE', 'a verb is needed (get, list, create, update, patch, delete, watch, impersonate, bind, escalate, * …)');
  if (q.resource.startsWith('/')) return { request: { type: 'nonResource', verb: q.verb, path: q.resource }, clusterScoped: true };
  const slash = q.resource.indexOf('/');
  const main = slash === -1 ? q.resource : q.resource.slice(0, slash);
  const subresource = slash === -1 ? undefined : q.resource.slice(slash + 1);
  if (main === '' || subresource === '') throw new BosunError('E_USAGE', `"${q.resource}" is not RESOURCE[.GROUP][/SUBRESOURCE]`);
  const dot = main.indexOf('.');
  const plural = ALIASES[main] ?? (dot === -1 ? main : main.slice(0, dot)).toLowerCase();
  const known = KNOWN[plural];
  const apiGroup = dot === -1 ? (known?.group ?? '') : main.slice(dot + 1);
  const req: AccessRequest = { type: 'resource', verb: q.verb, apiGroup, resource: plural, ...(subresource !== undefined && { subresource }), ...(q.name !== undefined && { name: q.name }) };
  return { request: req, clusterScoped: known?.cluster === true && (dot === -1 || apiGroup === known.group) };
}

function bindingRef(b: BindingModel): Grant['binding'] {
  return { kind: b.kind, name: b.name, ...(b.namespace !== undefined && { namespace: b.namespace }), origin: b.origin, builtIn: b.builtIn };
}

function roleRef(r: RoleModel): Grant['role'] {
  return { kind: r.kind, name: r.kind === 'Role' ? `${r.namespace}/${r.name}` : r.name, origin: r.origin };
}

export function describeChain(b: BindingModel, role: RoleModel, rule: PolicyRule): string {
  const bName = b.kind === 'RoleBinding' ? `RoleBinding/${b.namespace}/${b.name}` : `ClusterRoleBinding/${b.name}`;
  const rName = role.kind === 'Role' ? `Role/${role.namespace}/${role.name}` : `ClusterRole/${role.name}`;
  const rulePart = rule.index >= 0 ? `rule ${rule.index}` : 'rule';
  return `${bName}${b.origin === 'default' ? ' (Kubernetes default)' : ''} → ${rName}${role.origin === 'default' ? ' (Kubernetes default)' : ''} ${rulePart}: ${describeRule(rule)}`;
}

/** Does binding `b` grant `parsed` in `namespace` (undefined = everywhere)? The rules that do. */
function grantingRules(b: BindingModel, parsed: ParsedQuery, namespace: string | undefined): PolicyRule[] {
  if (b.role === undefined) return [];
  if (b.kind === 'RoleBinding') {
    if (parsed.clusterScoped) return [];
    if (namespace !== undefined && b.namespace !== namespace) return [];
  }
  return b.role.rules.filter((r) => ruleAllows(r, parsed.request));
}

export interface WhoCanResult {
  query: AccessQuery;
  /** One entry per subject, sorted; each with every granting chain, and for a ServiceAccount the pods and workloads that run as it (`Deployment/web`). */
  subjects: Array<{ subject: RbacSubject; grants: Grant[]; usedBy?: string[] }>;
}

/**
 * Every subject named by a binding that grants the request. With a namespace, RoleBindings of
 * that namespace and ClusterRoleBindings; without one, every binding, each grant saying its scope.
 */
export function whoCan(model: RbacModel, query: AccessQuery): WhoCanResult {
  const parsed = parseQuery(query);
  const bySubject = new Map<string, { subject: RbacSubject; grants: Grant[] }>();
  for (const b of model.bindings) {
    const rules = grantingRules(b, parsed, query.namespace);
    if (rules.length === 0) continue;
    for (const s of b.subjects) {
      const subject: RbacSubject = s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace! } : { kind: s.kind, name: s.name };
      const key = subjectKey(subject);
      let entry = bySubject.get(key);
      if (entry === undefined) bySubject.set(key, (entry = { subject, grants: [] }));
      for (const rule of rules) entry.grants.push(makeGrant(subject, subject, b, rule));
    }
  }
  const subjects: WhoCanResult['subjects'] = [...bySubject.values()].sort((a, b) => compareSubjects(a.subject, b.subject));
  for (const entry of subjects) {
    if (entry.subject.kind !== 'ServiceAccount') continue;
    const workloads = model.serviceAccounts.get(`${entry.subject.namespace}/${entry.subject.name}`)?.workloads ?? [];
    if (workloads.length > 0) entry.usedBy = workloads.map((w) => `${w.kind}/${w.name}`);
  }
  return { query, subjects };
}

/**
 * A Grant whose descriptive parts (binding, role, chain text) are built on first read: a broad
 * query can match thousands of grants and most callers read only a few.
 */
class LazyGrant implements Grant {
  readonly subject: RbacSubject;
  readonly via: RbacSubject;
  readonly rule: PolicyRule;
  readonly namespace?: string;
  private readonly b: BindingModel;
  private text: string | undefined;
  constructor(subject: RbacSubject, via: RbacSubject, b: BindingModel, rule: PolicyRule) {
    this.subject = subject;
    this.via = via;
    this.rule = rule;
    if (b.namespace !== undefined) this.namespace = b.namespace;
    this.b = b;
  }
  get binding(): Grant['binding'] {
    return bindingRef(this.b);
  }
  get role(): Grant['role'] {
    return roleRef(this.b.role!);
  }
  get chain(): string {
    return (this.text ??= describeChain(this.b, this.b.role!, this.rule));
  }
  toJSON(): Grant {
    return { subject: this.subject, via: this.via, binding: this.binding, role: this.role, rule: this.rule, ...(this.namespace !== undefined && { namespace: this.namespace }), chain: this.chain };
  }
}

function makeGrant(subject: RbacSubject, via: RbacSubject, b: BindingModel, rule: PolicyRule): Grant {
  return new LazyGrant(subject, via, b, rule);
}

const KIND_ORDER: Record<string, number> = { User: 0, Group: 1, ServiceAccount: 2 };
export function compareSubjects(a: RbacSubject, b: RbacSubject): number {
  return KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
}

/** The binding subjects that stand for `subject`: itself, the groups it is in, and for a ServiceAccount its user name. */
export function identityOf(subject: RbacSubject, extraGroups: readonly string[] = []): RbacSubject[] {
  if (subject.kind === 'Group') return [subject];
  const out: RbacSubject[] = [subject];
  const groups = new Set(extraGroups);
  if (subject.kind === 'ServiceAccount') {
    out.push({ kind: 'User', name: `system:serviceaccount:${subject.namespace}:${subject.name}` });
    groups.add('system:serviceaccounts');
    groups.add(`system:serviceaccounts:${subject.namespace}`);
  }
  if (subject.kind !== 'User' || subject.name !== 'system:anonymous') groups.add('system:authenticated');
  else groups.add('system:unauthenticated');
  for (const g of groups) out.push({ kind: 'Group', name: g });
  return out;
}

/** `User:alice`, `Group:devs`, `ServiceAccount:ns/name` (or `sa:ns/name`, `system:serviceaccount:ns:name`); a bare name is a User. */
export function parseSubject(text: string): RbacSubject {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(text);
  if (sa !== null) return { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]! };
  const colon = text.indexOf(':');
  const kind = colon === -1 ? '' : text.slice(0, colon);
  const rest = colon === -1 ? text : text.slice(colon + 1);
  switch (kind.toLowerCase()) {
    case 'user':
      return { kind: 'User', name: rest };
    case 'group':
      return { kind: 'Group', name: rest };
    case 'serviceaccount':
    case 'sa': {
      const slash = rest.indexOf('/');
      if (slash <= 0 || slash === rest.length - 1) throw new BosunError('E_USAGE', `"${text}": write ServiceAccount:NAMESPACE/NAME`);
      return { kind: 'ServiceAccount', namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
    }
    default:
      if (text === '') throw new BosunError('E_USAGE', 'a subject is needed (User:NAME, Group:NAME, ServiceAccount:NS/NAME)');
      return { kind: 'User', name: text };
  }
}

/** Subject-key → (binding, binding subject) for every binding, built once per model. */
const bindingIndex = new WeakMap<RbacModel, Map<string, Array<{ binding: BindingModel; via: RbacSubject }>>>();

function bindingsNaming(model: RbacModel, s: RbacSubject): Array<{ binding: BindingModel; via: RbacSubject }> {
  let idx = bindingIndex.get(model);
  if (idx === undefined) {
    idx = new Map();
    for (const b of model.bindings) {
      for (const sub of b.subjects) {
        const via: RbacSubject = sub.kind === 'ServiceAccount' ? { kind: sub.kind, name: sub.name, namespace: sub.namespace! } : { kind: sub.kind, name: sub.name };
        const key = subjectKey(via);
        let list = idx.get(key);
        if (list === undefined) idx.set(key, (list = []));
        list.push({ binding: b, via });
      }
    }
    bindingIndex.set(model, idx);
  }
  return idx.get(subjectKey(s)) ?? [];
}

/** Every rule the subject holds, through every binding that names it or a group it is in. */
export function grantsOf(model: RbacModel, subject: RbacSubject, extraGroups: readonly string[] = []): Grant[] {
  const out: Grant[] = [];
  for (const id of identityOf(subject, extraGroups)) {
    for (const { binding, via } of bindingsNaming(model, id)) {
      if (binding.role === undefined) continue;
      for (const rule of binding.role.rules) out.push(makeGrant(subject, via, binding, rule));
    }
  }
  return out;
}

export interface CanResult {
  subject: RbacSubject;
  query: AccessQuery;
  allowed: boolean;
  /** The chains that grant it (empty when denied). */
  grants: Grant[];
}

/** Can `subject` do it? Without a namespace, only grants that hold in every namespace count. */
export function canI(model: RbacModel, subject: RbacSubject, query: AccessQuery, extraGroups: readonly string[] = []): CanResult {
  const parsed = parseQuery(query);
  const grants: Grant[] = [];
  for (const id of identityOf(subject, extraGroups)) {
    for (const { binding, via } of bindingsNaming(model, id)) {
      if (binding.kind === 'RoleBinding' && query.namespace === undefined) continue;
      for (const rule of grantingRules(binding, parsed, query.namespace)) grants.push(makeGrant(subject, via, binding, rule));
    }
  }
  return { subject, query, allowed: grants.length > 0, grants };
}

export { describeSubject };
