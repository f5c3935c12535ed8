/**
 * The network model: endpoints (pods, plus external IPs a question names), namespaces with their
 * labels, and every NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy compiled
 * once. Invalid objects (bad selectors, CIDRs, ports) are left out with an issue naming them:
 * the API server would have rejected them, so they are not in effect.
 */
import type { ManifestIndex } from '../manifests/index-set.ts';
import { asArray, asObject, asString, isObject } from '../manifests/path.ts';
import type { Resource } from '../manifests/resource.ts';
import { matchesSelector } from '../manifests/selector.ts';
import { parseAddress, parseCidr, type Address, type Cidr } from './ip.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
export type Direction = 'ingress' | 'egress';

export interface PortProto {
  port: number;
  protocol: Protocol;
}

/** A problem with one input object; the object is left out and the analysis goes on. */
export interface NetpolIssue {
  code: 'E_NETPOL_SELECTOR' | 'E_NETPOL_CIDR' | 'E_NETPOL_PORT' | 'E_NETPOL_PEER' | 'E_NETPOL_INVALID';
  /** `NetworkPolicy/ns/name` */
  object: string;
  /** Field path inside the object. */
  path: string;
  message: string;
}

export interface Endpoint {
  index: number;
  type: 'pod' | 'external';
  /** '' for external endpoints. */
  namespace: string;
  name: string;
  /** `ns/name`, or the IP for an external endpoint. */
  key: string;
  labels: Record<string, string>;
  /** Pod IPs as written in status (the IP itself for an external endpoint). */
  ips: string[];
  addresses: Address[];
  /** Container ports by name, for named-port rules resolved on this pod. */
  namedPorts: Map<string, PortProto[]>;
  declaredPorts: PortProto[];
  /** The Pod, or the workload this pod stands for. */
  resource: Resource | undefined;
  /**
   * `hostNetwork: true`: the pod uses the node's network namespace. The Kubernetes docs leave
   * NetworkPolicy behaviour for such pods undefined; as most plugins do, bosun never isolates them
   * and pod/namespace selectors never match them (only ipBlocks, by their IP).
   */
  hostNetwork?: boolean;
  /** `spec.nodeName`: the node a pod runs on (a host-network pod has that node's addresses). */
  nodeName?: string;
}

/** A Node object from the inputs: its labels (for ANP `nodes` peers) and its addresses. */
export interface NodeModel {
  name: string;
  labels: Record<string, string>;
  addresses: Address[];
}

export interface CompiledSelector {
  raw: Record<string, unknown>;
  empty: boolean;
  matches(labels: Record<string, string>): boolean;
}

/** Pods: in `namespace` (when set) and matching both selectors (when set). CIDR: in a block, not in an except. */
export type Peer =
  | { type: 'pods'; namespace?: string; namespaceSelector?: CompiledSelector; podSelector?: CompiledSelector; path: string }
  | { type: 'cidr'; cidrs: Cidr[]; except: Cidr[]; path: string }
  /** ANP/BANP egress `nodes`: traffic to the addresses of the selected Nodes (and host-network pods on them). */
  | { type: 'nodes'; nodeSelector: CompiledSelector; path: string };

export interface PortSpec {
  /** Undefined only for an ANP namedPort: the container port's own protocol applies. */
  protocol: Protocol | undefined;
  port?: number;
  endPort?: number;
  named?: string;
}

export type Action = 'Allow' | 'Deny' | 'Pass';

export interface PolicyRule {
  direction: Direction;
  index: number;
  /** ANP/BANP rule name. */
  name?: string;
  /** NetworkPolicy rules always allow. */
  action: Action;
  /** undefined = every peer (NetworkPolicy rule without from/to). */
  peers: Peer[] | undefined;
  /** undefined = every port and protocol. */
  ports: PortSpec[] | undefined;
  path: string;
}

export interface NetworkPolicyModel {
  kind: 'NetworkPolicy';
  id: string;
  name: string;
  namespace: string;
  podSelector: CompiledSelector;
  types: Record<Direction, boolean>;
  rules: Record<Direction, PolicyRule[]>;
  resource: Resource | undefined;
}

export interface AdminPolicyModel {
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  id: string;
  name: string;
  /** BANP: 0. */
  priority: number;
  subject: Peer & { type: 'pods' };
  rules: Record<Direction, PolicyRule[]>;
  resource: Resource | undefined;
}

export interface NetpolModel {
  endpoints: Endpoint[];
  pods: Endpoint[];
  byKey: Map<string, Endpoint>;
  namespaces: Map<string, Record<string, string>>;
  /** Node objects in the inputs, by name. */
  nodes: Map<string, NodeModel>;
  policies: NetworkPolicyModel[];
  /** Lowest priority number first. */
  admin: AdminPolicyModel[];
  baseline: AdminPolicyModel[];
  issues: NetpolIssue[];
  /** The objects behind `issues`, by NetpolIssue.object. */
  invalidResources: Map<string, Resource>;
  namespaceResources: Map<string, Resource>;
}

export interface ModelOptions {
  /** External IPs to add as endpoints (for reach/matrix questions about traffic leaving or entering the cluster). */
  externals?: readonly string[];
}

const ANP_GROUP = 'policy.networking.k8s.io';

export function buildNetpolModel(index: ManifestIndex, options: ModelOptions = {}): NetpolModel {
  const model: NetpolModel = { endpoints: [], pods: [], byKey: new Map(), namespaces: new Map(), nodes: new Map(), policies: [], admin: [], baseline: [], issues: [], invalidResources: new Map(), namespaceResources: new Map() };
  for (const ns of index.ofKind('Namespace')) {
    model.namespaces.set(ns.name, { ...ns.labels, 'kubernetes.io/metadata.name': ns.name });
    model.namespaceResources.set(ns.name, ns);
  }
  for (const n of index.ofKind('Node')) model.nodes.set(n.name, nodeModel(n));
  for (const pod of collectPods(index)) addEndpoint(model, pod);
  for (const ip of options.externals ?? []) {
    const address = parseAddress(ip);
    if (address === undefined) throw new Error(`not an IP address: "${ip}"`);
    addEndpoint(model, { type: 'external', namespace: '', name: ip, key: ip, labels: {}, ips: [ip], addresses: [address], namedPorts: new Map(), declaredPorts: [], resource: undefined });
  }
  for (const r of index.ofKind('NetworkPolicy')) {
    const ns = index.namespaceOf(r) ?? index.defaultNamespace;
    ensureNamespace(model, ns);
    const p = compileNetworkPolicy(r, ns, model.issues);
    if (p !== undefined) model.policies.push(p);
    else model.invalidResources.set(`NetworkPolicy/${ns}/${r.name}`, r);
  }
  for (const r of index.ofKind('AdminNetworkPolicy', 'BaselineAdminNetworkPolicy')) {
    if (!r.apiVersion.startsWith(`${ANP_GROUP}/`)) continue;
    const p = compileAdminPolicy(r, model.issues);
    if (p === undefined) {
      model.invalidResources.set(`${r.kind}/${r.name}`, r);
      continue;
    }
    (p.kind === 'AdminNetworkPolicy' ? model.admin : model.baseline).push(p);
  }
  const byPriority = (a: AdminPolicyModel, b: AdminPolicyModel): number => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  model.admin.sort(byPriority);
  model.baseline.sort(byPriority);
  return model;
}

function nodeModel(r: Resource): NodeModel {
  const addresses: Address[] = [];
  for (const raw of asArray(asObject(r.object['status'])?.['addresses'])) {
    const a = parseAddress(asString(asObject(raw)?.['address']) ?? '');
    if (a !== undefined) addresses.push(a);
  }
  return { name: r.name, labels: r.labels, addresses };
}

function ensureNamespace(model: NetpolModel, ns: string): void {
  if (!model.namespaces.has(ns)) model.namespaces.set(ns, { 'kubernetes.io/metadata.name': ns });
}

function addEndpoint(model: NetpolModel, e: Omit<Endpoint, 'index'>): void {
  if (model.byKey.has(e.key)) return;
  const endpoint: Endpoint = { ...e, index: model.endpoints.length };
  model.endpoints.push(endpoint);
  model.byKey.set(endpoint.key, endpoint);
  if (endpoint.type === 'pod') {
    model.pods.push(endpoint);
    ensureNamespace(model, endpoint.namespace);
  }
}

/**
 * Pods from Pod objects, and one representative pod per workload whose pods are not in the
 * inputs themselves (a live cluster lists both a Deployment and its Pods: the Pods win).
 * Finished pods (phase Succeeded/Failed) hold no IP and take no traffic.
 */
function collectPods(index: ManifestIndex): Array<Omit<Endpoint, 'index'>> {
  const owned = new Set<string>();
  const ownersOf = (r: Resource): string[] =>
    asArray(r.metadata['ownerReferences']).flatMap((o) => {
      const ref = asObject(o);
      const kind = asString(ref?.['kind']);
      const name = asString(ref?.['name']);
      return kind === undefined || name === undefined ? [] : [`${kind}/${index.namespaceOf(r) ?? ''}/${name}`];
    });
  const workloads = index.all.filter((r) => r.workload !== undefined);
  for (const r of workloads) for (const o of ownersOf(r)) owned.add(o);
  const out: Array<Omit<Endpoint, 'index'>> = [];
  for (const r of workloads) {
    const ns = index.namespaceOf(r) ?? index.defaultNamespace;
    if (r.kind === 'Pod') {
      const phase = asString(asObject(r.object['status'])?.['phase']);
      if (phase === 'Succeeded' || phase === 'Failed') continue;
    } else if (r.kind === 'PodTemplate' || owned.has(`${r.kind}/${ns}/${r.name}`) || ownersOf(r).length > 0) {
      continue; // its pods (or its owner) stand for it
    }
    out.push(podEndpoint(r, ns));
  }
  return out;
}

function podEndpoint(r: Resource, ns: string): Omit<Endpoint, 'index'> {
  const w = r.workload!;
  const addresses: Address[] = [];
  const status = asObject(r.object['status']);
  const ips = new Set<string>();
  const podIP = asString(status?.['podIP']);
  if (r.kind === 'Pod' && podIP !== undefined) ips.add(podIP);
  if (r.kind === 'Pod') for (const p of asArray(status?.['podIPs'])) { const ip = asString(asObject(p)?.['ip']); if (ip !== undefined) ips.add(ip); }
  for (const ip of ips) { const a = parseAddress(ip); if (a !== undefined) addresses.push(a); }
  const namedPorts = new Map<string, PortProto[]>();
  const declaredPorts: PortProto[] = [];
  for (const c of w.containers) {
    if (c.group !== 'containers') continue;
    for (const raw of asArray(c.container['ports'])) {
      const p = asObject(raw);
      const port = p?.['containerPort'];
      if (typeof port !== 'number') continue;
      const protocol = parseProtocol(p!['protocol']) ?? 'TCP';
      declaredPorts.push({ port, protocol });
      const name = asString(p!['name']);
      if (name === undefined) continue;
      let list = namedPorts.get(name);
      if (list === undefined) namedPorts.set(name, (list = []));
      list.push({ port, protocol });
    }
  }
  return { type: 'pod', namespace: ns, name: r.name, key: `${ns}/${r.name}`, labels: w.labels, ips: [...ips], addresses, namedPorts, declaredPorts, resource: r, ...(w.podSpec['hostNetwork'] === true && { hostNetwork: true }), ...(asString(w.podSpec['nodeName']) !== undefined && { nodeName: asString(w.podSpec['nodeName'])! }) };
}

export function parseProtocol(value: unknown): Protocol | undefined {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value) ? (value as Protocol) : undefined;
}

class Invalid extends Error {
  readonly code: NetpolIssue['code'];
  readonly path: string;
  constructor(code: NetpolIssue['code'], path: string, message: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** A metav1.LabelSelector, validated as the API server does (operators, values present or absent). */
export function compileSelector(raw: unknown, path: string): CompiledSelector {
  if (raw === null || raw === undefined) raw = {};
  if (!isObject(raw)) throw new Invalid('E_NETPOL_SELECTOR', path, 'a label selector must be an object');
  const ml = raw['matchLabels'];
  if (ml !== undefined && ml !== null && !isObject(ml)) throw new Invalid('E_NETPOL_SELECTOR', `${path}.matchLabels`, 'matchLabels must be a map');
  const exprs = raw['matchExpressions'];
  if (exprs !== undefined && exprs !== null && !Array.isArray(exprs)) throw new Invalid('E_NETPOL_SELECTOR', `${path}.matchExpressions`, 'matchExpressions must be a list');
  asArray(exprs).forEach((e, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const expr = asObject(e);
    const op = asString(expr?.['operator']);
    if (expr === undefined || asString(expr['key']) === undefined || asString(expr['key']) === '') throw new Invalid('E_NETPOL_SELECTOR', at, 'a match expression needs a key');
    if (op === undefined || !OPERATORS.has(op)) throw new Invalid('E_NETPOL_SELECTOR', `${at}.operator`, `"${String(expr['operator'])}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
    const values = asArray(expr['values']);
    if ((op === 'In' || op === 'NotIn') && values.length === 0) throw new Invalid('E_NETPOL_SELECTOR', `${at}.values`, `operator ${op} needs at least one value`);
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) throw new Invalid('E_NETPOL_SELECTOR', `${at}.values`, `operator ${op} takes no values`);
  });
  const selector = raw;
  const empty = (ml === undefined || ml === null || Object.keys(ml).length === 0) && asArray(exprs).length === 0;
  return { raw: selector, empty, matches: empty ? () => true : (labels) => matchesSelector(selector, labels) };
}

function compileCidr(text: unknown, path: string): Cidr {
  const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
  if (cidr === undefined) throw new Invalid('E_NETPOL_CIDR', path, `"${String(text)}" is not a valid CIDR`);
  return cidr;
}

function compileNetworkPolicy(r: Resource, namespace: string, issues: NetpolIssue[]): NetworkPolicyModel | undefined {
  const id = `NetworkPolicy/${namespace}/${r.name}`;
  try {
    const spec = asObject(r.object['spec']) ?? {};
    const types = networkPolicyTypes(spec);
    const rules = { ingress: [] as PolicyRule[], egress: [] as PolicyRule[] };
    for (const direction of ['ingress', 'egress'] as const) {
      const peerKey = direction === 'ingress' ? 'from' : 'to';
      asArray(spec[direction]).forEach((raw, i) => {
        const path = `spec.${direction}[${i}]`;
        const rule = asObject(raw) ?? {};
        const peersRaw = asArray(rule[peerKey]);
        const portsRaw = asArray(rule['ports']);
        rules[direction].push({
          direction,
          index: i,
          action: 'Allow',
          peers: peersRaw.length === 0 ? undefined : peersRaw.map((p, j) => networkPolicyPeer(p, `${path}.${peerKey}[${j}]`, namespace)),
          ports: portsRaw.length === 0 ? undefined : portsRaw.map((p, j) => networkPolicyPort(p, `${path}.ports[${j}]`)),
          path,
        });
      });
    }
    return { kind: 'NetworkPolicy', id, name: r.name, namespace, podSelector: compileSelector(spec['podSelector'], 'spec.podSelector'), types, rules, resource: r };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    issues.push({ code: err.code, object: id, path: err.path, message: `${id}: ${err.path}: ${err.message}; the policy is left out (the API server would reject it)` });
    return undefined;
  }
}

/**
 * policyTypes as written; when absent, Ingress plus Egress iff `spec.egress` is a non-empty list
 * (networking/v1 `SetDefaults_NetworkPolicy`: `egress: []` alone gives an ingress-only policy).
 */
export function policyTypesOf(spec: Record<string, unknown>): Record<Direction, boolean> {
  const declared = asArray(spec['policyTypes']).map(String);
  if (Array.isArray(spec['policyTypes']) && declared.length > 0) return { ingress: declared.includes('Ingress'), egress: declared.includes('Egress') };
  return { ingress: true, egress: asArray(spec['egress']).length > 0 };
}

function networkPolicyTypes(spec: Record<string, unknown>): Record<Direction, boolean> {
  for (const t of asArray(spec['policyTypes'])) if (t !== 'Ingress' && t !== 'Egress') throw new Invalid('E_NETPOL_INVALID', 'spec.policyTypes', `"${String(t)}" is not a policy type (Ingress, Egress)`);
  return policyTypesOf(spec);
}

function networkPolicyPeer(raw: unknown, path: string, namespace: string): Peer {
  const peer = asObject(raw) ?? {};
  const ipBlock = asObject(peer['ipBlock']);
  const hasPod = peer['podSelector'] !== undefined && peer['podSelector'] !== null;
  const hasNs = peer['namespaceSelector'] !== undefined && peer['namespaceSelector'] !== null;
  if (ipBlock !== undefined) {
    if (hasPod || hasNs) throw new Invalid('E_NETPOL_PEER', path, 'ipBlock cannot be combined with podSelector or namespaceSelector');
    const cidr = compileCidr(ipBlock['cidr'], `${path}.ipBlock.cidr`);
    const except = asArray(ipBlock['except']).map((e, k) => compileCidr(e, `${path}.ipBlock.except[${k}]`));
    except.forEach((e, k) => {
      if (e.family !== cidr.family || e.prefix <= cidr.prefix || !cidrWithinOuter(e, cidr)) throw new Invalid('E_NETPOL_CIDR', `${path}.ipBlock.except[${k}]`, `"${e.text}" must be a strict subset of cidr "${cidr.text}"`);
    });
    return { type: 'cidr', cidrs: [cidr], except, path };
  }
  if (!hasPod && !hasNs) throw new Invalid('E_NETPOL_PEER', path, 'a peer needs podSelector, namespaceSelector or ipBlock');
  const out: Peer = { type: 'pods', path };
  if (hasPod) out.podSelector = compileSelector(peer['podSelector'], `${path}.podSelector`);
  if (hasNs) out.namespaceSelector = compileSelector(peer['namespaceSelector'], `${path}.namespaceSelector`);
  else out.namespace = namespace;
  return out;
}

function cidrWithinOuter(inner: Cidr, outer: Cidr): boolean {
  const bits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return inner.base >> bits === outer.base >> bits;
}

function networkPolicyPort(raw: unknown, path: string): PortSpec {
  const p = asObject(raw) ?? {};
  const protocolRaw = p['protocol'];
  const protocol = protocolRaw === undefined || protocolRaw === null ? 'TCP' : parseProtocol(protocolRaw);
  if (protocol === undefined) throw new Invalid('E_NETPOL_PORT', `${path}.protocol`, `"${String(protocolRaw)}" is not a protocol (TCP, UDP, SCTP)`);
  const port = p['port'];
  const endPort = p['endPort'];
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) throw new Invalid('E_NETPOL_PORT', `${path}.endPort`, 'endPort needs a numeric port');
    return { protocol };
  }
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    if (endPort !== undefined && endPort !== null) throw new Invalid('E_NETPOL_PORT', `${path}.endPort`, 'endPort cannot be used with a named port');
    if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port) || !/[a-z]/.test(port)) throw new Invalid('E_NETPOL_PORT', `${path}.port`, `"${port}" is not a valid port name`);
    return { protocol, named: port };
  }
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Invalid('E_NETPOL_PORT', `${path}.port`, `${String(port)} is not a port number (1-65535)`);
  if (endPort === undefined || endPort === null) return { protocol, port: n };
  if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < n || endPort > 65535) throw new Invalid('E_NETPOL_PORT', `${path}.endPort`, `endPort ${String(endPort)} must be a port number >= port ${n}`);
  return { protocol, port: n, endPort };
}

const ACTIONS = new Set(['Allow', 'Deny', 'Pass']);

function compileAdminPolicy(r: Resource, issues: NetpolIssue[]): AdminPolicyModel | undefined {
  const kind = r.kind as AdminPolicyModel['kind'];
  const id = `${kind}/${r.name}`;
  try {
    const spec = asObject(r.object['spec']) ?? {};
    let priority = 0;
    if (kind === 'BaselineAdminNetworkPolicy' && r.name !== 'default') throw new Invalid('E_NETPOL_INVALID', 'metadata.name', 'a BaselineAdminNetworkPolicy must be named "default" (the cluster has only one)');
    if (kind === 'AdminNetworkPolicy') {
      const p = spec['priority'];
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 1000) throw new Invalid('E_NETPOL_INVALID', 'spec.priority', `priority must be an integer 0-1000, not ${JSON.stringify(p)}`);
      priority = p;
    }
    const subject = adminSubject(asObject(spec['subject']), 'spec.subject');
    const rules = { ingress: [] as PolicyRule[], egress: [] as PolicyRule[] };
    for (const direction of ['ingress', 'egress'] as const) {
      const peerKey = direction === 'ingress' ? 'from' : 'to';
      asArray(spec[direction]).forEach((raw, i) => {
        const path = `spec.${direction}[${i}]`;
        const rule = asObject(raw) ?? {};
        const action = asString(rule['action']);
        if (action === undefined || !ACTIONS.has(action) || (kind === 'BaselineAdminNetworkPolicy' && action === 'Pass')) {
          throw new Invalid('E_NETPOL_INVALID', `${path}.action`, `"${String(rule['action'])}" is not a valid action (${kind === 'AdminNetworkPolicy' ? 'Allow, Deny, Pass' : 'Allow, Deny'})`);
        }
        const peers = asArray(rule[peerKey]);
        if (peers.length === 0) throw new Invalid('E_NETPOL_PEER', `${path}.${peerKey}`, 'a rule needs at least one peer');
        const ports = asArray(rule['ports']);
        const ruleName = asString(rule['name']);
        rules[direction].push({
          direction,
          index: i,
          ...(ruleName !== undefined && { name: ruleName }),
          action: action as Action,
          peers: peers.flatMap((p, j) => adminPeer(p, `${path}.${peerKey}[${j}]`, direction)),
          ports: ports.length === 0 ? undefined : ports.map((p, j) => adminPort(p, `${path}.ports[${j}]`)),
          path,
        });
      });
    }
    return { kind, id, name: r.name, priority, subject, rules, resource: r };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    issues.push({ code: err.code, object: id, path: err.path, message: `${id}: ${err.path}: ${err.message}; the policy is left out (the API server would reject it)` });
    return undefined;
  }
}

function adminSubject(subject: Record<string, unknown> | undefined, path: string): Peer & { type: 'pods' } {
  if (subject?.['namespaces'] !== undefined) return { type: 'pods', namespaceSelector: compileSelector(subject['namespaces'], `${path}.namespaces`), path };
  const pods = asObject(subject?.['pods']);
  if (pods !== undefined) {
    return { type: 'pods', namespaceSelector: compileSelector(pods['namespaceSelector'], `${path}.pods.namespaceSelector`), podSelector: compileSelector(pods['podSelector'], `${path}.pods.podSelector`), path };
  }
  throw new Invalid('E_NETPOL_INVALID', path, 'subject needs namespaces or pods');
}

/** ANP/BANP peers. `nodes` (egress only) selects Node objects by label: see NetpolEvaluator. */
function adminPeer(raw: unknown, path: string, direction: Direction): Peer[] {
  const peer = asObject(raw) ?? {};
  if (peer['namespaces'] !== undefined) return [{ type: 'pods', namespaceSelector: compileSelector(peer['namespaces'], `${path}.namespaces`), path }];
  const pods = asObject(peer['pods']);
  if (pods !== undefined) {
    return [{ type: 'pods', namespaceSelector: compileSelector(pods['namespaceSelector'], `${path}.pods.namespaceSelector`), podSelector: compileSelector(pods['podSelector'], `${path}.pods.podSelector`), path }];
  }
  if (peer['networks'] !== undefined && direction === 'egress') {
    const cidrs = asArray(peer['networks']).map((c, k) => compileCidr(c, `${path}.networks[${k}]`));
    return [{ type: 'cidr', cidrs, except: [], path }];
  }
  if (peer['nodes'] !== undefined && direction === 'egress') return [{ type: 'nodes', nodeSelector: compileSelector(peer['nodes'], `${path}.nodes`), path }];
  throw new Invalid('E_NETPOL_PEER', path, `a ${direction} peer needs ${direction === 'egress' ? 'namespaces, pods, nodes or networks' : 'namespaces or pods'}`);
}

function adminPort(raw: unknown, path: string): PortSpec {
  const p = asObject(raw) ?? {};
  const number = asObject(p['portNumber']);
  const range = asObject(p['portRange']);
  const named = asString(p['namedPort']);
  const proto = (o: Record<string, unknown>, at: string): Protocol => {
    const v = o['protocol'];
    if (v === undefined || v === null) return 'TCP';
    const parsed = parseProtocol(v);
    if (parsed === undefined) throw new Invalid('E_NETPOL_PORT', at, `"${String(v)}" is not a protocol (TCP, UDP, SCTP)`);
    return parsed;
  };
  const portNum = (v: unknown, at: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) throw new Invalid('E_NETPOL_PORT', at, `${String(v)} is not a port number (1-65535)`);
    return v;
  };
  if (number !== undefined) return { protocol: proto(number, `${path}.portNumber.protocol`), port: portNum(number['port'], `${path}.portNumber.port`) };
  if (range !== undefined) {
    const start = portNum(range['start'], `${path}.portRange.start`);
    const end = portNum(range['end'], `${path}.portRange.end`);
    if (end < start) throw new Invalid('E_NETPOL_PORT', `${path}.portRange.end`, `end ${end} is below start ${start}`);
    return { protocol: proto(range, `${path}.portRange.protocol`), port: start, endPort: end };
  }
  if (named !== undefined) return { protocol: undefined, named };
  throw new Invalid('E_NETPOL_PORT', path, 'a port needs portNumber, portRange or namedPort');
}
