/**
 * Escalation paths: a graph whose nodes are subjects (and `cluster-admin`) and whose edges say
 * "whoever is A can become B", derived from A's grants:
 *
 * - create pods or workloads in N → every ServiceAccount of N (a pod may name any of them);
 * - update/patch workloads in N → every ServiceAccount of N (the pod template names the account);
 * - update/patch pods/ephemeralcontainers in N → the ServiceAccounts of the pods running there;
 * - create serviceaccounts/token in N → those ServiceAccounts;
 * - exec/attach into pods in N → the ServiceAccounts of the pods running there;
 * - read Secrets in N → ServiceAccounts whose legacy token Secrets are in N;
 * - impersonate users/groups/serviceaccounts → those identities (group system:masters is cluster-admin);
 * - bind or escalate ClusterRoles plus create ClusterRoleBindings → cluster-admin (the same
 *   inside one namespace gives its admin role, hence its ServiceAccounts);
 * - nodes/proxy → every ServiceAccount with running pods (the kubelet runs commands in them);
 * - `*` on `*` through a ClusterRoleBinding → cluster-admin.
 *
 * resourceNames narrow an edge to the named objects. One breadth-first search backwards from the
 * target gives every start node its shortest path.
 */
import { BosunError } from '../core/errors.ts';
import { describeSubject, isSystemSubject, subjectKey, type RbacModel, type RbacSubject, type ServiceAccountModel } from './model.ts';
import { CREATE_WORKLOADS, ESCALATE, IMPERSONATE, NODES_PROXY, POD_ATTACH, POD_EXEC, SA_TOKEN_CREATE, SECRETS_READ } from './permissions.ts';
import { grantedBy, isFullWildcard, ruleAllows, type Permission, type PolicyRule } from './policy-rule.ts';
import { grantsOf, parseSubject, type Grant } from './query.ts';
import { reportableSubjects } from './risks.ts';

export const CLUSTER_ADMIN = 'cluster-admin';

export interface PathStep {
  from: string;
  to: string;
  /** Why: the permission and the chain that grants it. */
  how: string;
}

export interface EscalationPath {
  from: string;
  to: string;
  steps: PathStep[];
}

export interface PathsResult {
  target: string;
  paths: EscalationPath[];
}

interface Edge {
  to: string;
  how: string;
}

const UPDATE_WORKLOADS: Permission = {
  label: 'change workloads',
  verbs: ['update', 'patch'],
  targets: [['', 'replicationcontrollers'], ['apps', 'deployments'], ['apps', 'daemonsets'], ['apps', 'statefulsets'], ['apps', 'replicasets'], ['batch', 'jobs'], ['batch', 'cronjobs']],
};
const EPHEMERAL_CONTAINERS: Permission = { label: 'add ephemeral containers', verbs: ['update', 'patch'], targets: [['', 'pods/ephemeralcontainers']], names: 'any' };
const BIND_ANY: Permission = { label: 'bind roles', verbs: ['bind'], targets: [['rbac.authorization.k8s.io', 'clusterroles']], names: ['cluster-admin', 'admin'] };
const BIND_ALL: Permission = { label: 'bind roles', verbs: ['bind'], targets: [['rbac.authorization.k8s.io', 'clusterroles'], ['rbac.authorization.k8s.io', 'roles']] };

function nodeLabel(key: string): string {
  return key === CLUSTER_ADMIN ? 'cluster-admin' : key;
}

function saKey(namespace: string, name: string): string {
  return subjectKey({ kind: 'ServiceAccount', namespace, name });
}

/** Namespaces a grant covers: its RoleBinding's, or all of them. */
function scopeNamespaces(model: RbacModel, g: Grant): string[] {
  return g.namespace !== undefined ? [g.namespace] : model.namespaces;
}

function scopeText(g: Grant): string {
  return g.namespace !== undefined ? `in namespace ${g.namespace}` : 'cluster-wide';
}

function edgesOf(model: RbacModel, subject: RbacSubject, knownSubjects: RbacSubject[], accountsByNs: Map<string, ServiceAccountModel[]>): Edge[] {
  const grants = grantsOf(model, subject);
  const edges: Edge[] = [];
  const add = (to: string, how: string): void => {
    if (to !== subjectKey(subject)) edges.push({ to, how });
  };
  const names = (rule: PolicyRule): Set<string> | undefined => (rule.resourceNames.length === 0 ? undefined : new Set(rule.resourceNames));
  const has = (rule: PolicyRule, p: Permission): boolean => grantedBy(rule, p) !== undefined;
  const canCreateClusterBindings = grants.some((g) => g.namespace === undefined && ruleAllows(g.rule, { type: 'resource', verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }));
  for (const g of grants) {
    const rule = g.rule;
    const via = g.chain;
    if (g.namespace === undefined && isFullWildcard(rule)) add(CLUSTER_ADMIN, `holds * on * cluster-wide via ${via}`);
    if (g.namespace === undefined && canCreateClusterBindings && (has(rule, ESCALATE) || has(rule, BIND_ANY))) add(CLUSTER_ADMIN, `can bind ClusterRole cluster-admin to itself (create clusterrolebindings + ${has(rule, ESCALATE) ? 'escalate' : 'bind'}) via ${via}`);
    if (g.namespace === undefined && has(rule, NODES_PROXY)) {
      for (const sa of model.serviceAccounts.values()) if (sa.workloads.length > 0) add(saKey(sa.namespace, sa.name), `can use nodes/proxy to run commands in the pods of ${sa.namespace}/${sa.name} via ${via}`);
    }
    if (g.namespace === undefined && grantedBy(rule, { ...IMPERSONATE, names: 'any' }) !== undefined) {
      const only = names(rule);
      for (const kind of ['users', 'groups'] as const) {
        if (!ruleAllows({ ...rule, resourceNames: [] }, { type: 'resource', verb: 'impersonate', apiGroup: '', resource: kind })) continue;
        for (const s of knownSubjects) {
          if (s.kind !== (kind === 'users' ? 'User' : 'Group') || (only !== undefined && !only.has(s.name))) continue;
          add(subjectKey(s), `can impersonate ${describeSubject(s)} via ${via}`);
        }
      }
    }
    const createsPods = has(rule, CREATE_WORKLOADS);
    const bindsRoles = g.namespace !== undefined && (has(rule, ESCALATE) || has(rule, BIND_ALL));
    const mintsTokens = has(rule, SA_TOKEN_CREATE);
    const execs = has(rule, POD_EXEC) || has(rule, POD_ATTACH) || has(rule, EPHEMERAL_CONTAINERS);
    const changesWorkloads = has(rule, UPDATE_WORKLOADS);
    const readsSecrets = has(rule, SECRETS_READ);
    const impersonatesSAs = grantedBy(rule, { ...IMPERSONATE, names: 'any' }) !== undefined && ruleAllows({ ...rule, resourceNames: [] }, { type: 'resource', verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts' });
    if (!createsPods && !changesWorkloads && !bindsRoles && !mintsTokens && !execs && !readsSecrets && !impersonatesSAs) continue;
    for (const ns of scopeNamespaces(model, g)) {
      const accounts = accountsByNs.get(ns) ?? [];
      if (createsPods) for (const sa of accounts) add(saKey(ns, sa.name), `can create pods ${scopeText(g)} running as ServiceAccount ${ns}/${sa.name} via ${via}`);
      if (changesWorkloads) for (const sa of accounts) add(saKey(ns, sa.name), `can change a workload's pod template ${scopeText(g)} to run as ServiceAccount ${ns}/${sa.name} via ${via}`);
      const bindInNs = bindsRoles && grants.some((o) => (o.namespace === undefined || o.namespace === ns) && ruleAllows(o.rule, { type: 'resource', verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings' }));
      if (bindInNs) for (const sa of accounts) add(saKey(ns, sa.name), `can bind the admin role in namespace ${ns} to itself and then run pods as ${ns}/${sa.name} via ${via}`);
      if (mintsTokens) {
        const only = names(rule);
        for (const sa of accounts) if (only === undefined || only.has(sa.name)) add(saKey(ns, sa.name), `can create tokens for ServiceAccount ${ns}/${sa.name} via ${via}`);
      }
      if (execs) {
        const only = names(rule);
        for (const sa of accounts) {
          if (sa.workloads.some((w) => only === undefined || (w.kind === 'Pod' && only.has(w.name)))) add(saKey(ns, sa.name), `can run commands in pods running as ${ns}/${sa.name} (exec, attach or ephemeral containers) via ${via}`);
        }
      }
      if (readsSecrets) {
        const only = names(rule);
        for (const sa of accounts) if (sa.tokenSecrets.some((s) => only === undefined || only.has(s))) add(saKey(ns, sa.name), `can read the token Secret of ServiceAccount ${ns}/${sa.name} via ${via}`);
      }
      if (impersonatesSAs) {
        const only = names(rule);
        for (const sa of accounts) if (only === undefined || only.has(sa.name)) add(saKey(ns, sa.name), `can impersonate ServiceAccount ${ns}/${sa.name} via ${via}`);
      }
    }
  }
  return edges;
}

export interface PathsOptions {
  /** `cluster-admin` (default) or a subject: `User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`. */
  to?: string;
  /** Only paths starting at this subject. */
  from?: string;
}

/** The escalation graph: every node's outgoing edges (first edge per target kept). */
export function escalationGraph(model: RbacModel): Map<string, Edge[]> {
  const subjects = new Map<string, RbacSubject>();
  const addSubject = (s: RbacSubject): void => void subjects.set(subjectKey(s), s);
  for (const b of model.bindings) for (const s of b.subjects) addSubject(s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace! } : { kind: s.kind, name: s.name });
  for (const sa of model.serviceAccounts.values()) addSubject({ kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name });
  addSubject({ kind: 'Group', name: 'system:masters' });
  const known = [...subjects.values()];
  const accountsByNs = new Map<string, ServiceAccountModel[]>();
  for (const sa of model.serviceAccounts.values()) {
    let list = accountsByNs.get(sa.namespace);
    if (list === undefined) accountsByNs.set(sa.namespace, (list = []));
    list.push(sa);
  }
  const graph = new Map<string, Edge[]>();
  for (const [key, s] of subjects) {
    const seen = new Set<string>();
    graph.set(key, edgesOf(model, s, known, accountsByNs).filter((e) => (seen.has(e.to) ? false : (seen.add(e.to), true))));
  }
  return graph;
}

export function escalationPaths(model: RbacModel, options: PathsOptions = {}): PathsResult {
  const target = options.to === undefined || options.to === CLUSTER_ADMIN ? CLUSTER_ADMIN : subjectKey(parseSubject(options.to));
  const graph = escalationGraph(model);
  if (target !== CLUSTER_ADMIN && !graph.has(target)) throw new BosunError('E_USAGE', `--to ${options.to}: no such subject in the inputs`);
  // Backwards breadth-first search: next hop towards the target for every node that reaches it.
  const reverse = new Map<string, Array<{ from: string; how: string }>>();
  for (const [from, edges] of graph) for (const e of edges) {
    let list = reverse.get(e.to);
    if (list === undefined) reverse.set(e.to, (list = []));
    list.push({ from, how: e.how });
  }
  const next = new Map<string, { to: string; how: string }>();
  const queue = [target];
  const seen = new Set([target]);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const { from, how } of reverse.get(node) ?? []) {
      if (seen.has(from)) continue;
      seen.add(from);
      next.set(from, { to: node, how });
      queue.push(from);
    }
  }
  const starts = new Set<string>();
  if (options.from !== undefined) starts.add(subjectKey(parseSubject(options.from)));
  else {
    for (const { subject } of reportableSubjects(model)) starts.add(subjectKey(subject));
    for (const sa of model.serviceAccounts.values()) if (sa.workloads.length > 0) starts.add(saKey(sa.namespace, sa.name));
  }
  const paths: EscalationPath[] = [];
  for (const start of [...starts].sort()) {
    if (start === target || !next.has(start)) continue;
    const subject = parseSubject(start);
    if (options.from === undefined && isSystemSubject(subject)) continue;
    const steps: PathStep[] = [];
    for (let node = start; node !== target; ) {
      const hop = next.get(node)!;
      steps.push({ from: nodeLabel(node), to: nodeLabel(hop.to), how: hop.how });
      node = hop.to;
    }
    paths.push({ from: start, to: nodeLabel(target), steps });
  }
  return { target: nodeLabel(target), paths };
}

export const PATH_FORMATS = ['table', 'json', 'dot'] as const;
export type PathFormat = (typeof PATH_FORMATS)[number];

export function renderPaths(result: PathsResult, format: PathFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'dot') return renderDot(result);
  if (result.paths.length === 0) return `no escalation path to ${result.target}\n`;
  const out: string[] = [];
  for (const p of result.paths) {
    out.push(`${p.from} → ${p.to} (${p.steps.length} step${p.steps.length === 1 ? '' : 's'})`);
    p.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s.from} → ${s.to}: ${s.how}`));
    out.push('');
  }
  out.push(`${result.paths.length} path${result.paths.length === 1 ? '' : 's'} to ${result.target}`);
  return `${out.join('\n')}\n`;
}

function renderDot(result: PathsResult): string {
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const edges = new Map<string, PathStep>();
  for (const p of result.paths) for (const s of p.steps) edges.set(`${s.from}\u0000${s.to}`, s);
  const nodes = new Set<string>([result.target]);
  for (const s of edges.values()) {
    nodes.add(s.from);
    nodes.add(s.to);
  }
  const lines = ['digraph escalation {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of [...nodes].sort()) lines.push(`  ${q(n)}${n === result.target ? ' [style=filled, fillcolor="#f4cccc"]' : ''};`);
  for (const s of edges.values()) {
    const short = s.how.replace(/ via .*$/, '');
    lines.push(`  ${q(s.from)} -> ${q(s.to)} [label=${q(short)}, tooltip=${q(s.how)}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
