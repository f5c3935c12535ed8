/**
 * Verdicts with Kubernetes semantics, per direction: the source's egress and the destination's
 * ingress, each decided by the tiers in order: AdminNetworkPolicy (by priority, first matching
 * rule; Allow/Deny final, Pass skips to the next tier), NetworkPolicy (isolation by any selecting
 * policy of that type, then the union of their rules), BaselineAdminNetworkPolicy (first matching
 * rule), else allowed. A connection is allowed when both directions are.
 *
 * Peer membership is precomputed per peer as one byte per endpoint, so a verdict costs a few
 * array reads per selecting rule and never allocates unless a trace is asked for.
 */
import { cidrContains, sameAddress } from './ip.ts';
import type { AdminPolicyModel, Direction, Endpoint, NetpolModel, NetworkPolicyModel, Peer, PolicyRule, PortProto, PortSpec } from './model.ts';

/** One rule that decided (or contributed to) a verdict. */
export interface RuleRef {
  /** `NetworkPolicy/ns/name`, `AdminNetworkPolicy/name`, `BaselineAdminNetworkPolicy/name`. */
  policy: string;
  /** `spec.ingress[0]` */
  rule: string;
  /** ANP/BANP rule name. */
  name?: string;
  action: 'Allow' | 'Deny' | 'Pass';
}

export type Tier = 'admin' | 'networkpolicy' | 'baseline' | 'default';

export interface DirectionVerdict {
  direction: Direction;
  allowed: boolean;
  tier: Tier;
  /** Rules that matched, in evaluation order (for NetworkPolicy: every matching rule). */
  rules: RuleRef[];
  /** NetworkPolicies isolating the pod in this direction. */
  isolatedBy: string[];
  /** One sentence for humans. */
  reason: string;
}

export interface ConnectionVerdict {
  allowed: boolean;
  /** Undefined when the source is external (no egress policy applies). */
  egress: DirectionVerdict | undefined;
  /** Undefined when the destination is external. */
  ingress: DirectionVerdict | undefined;
}

interface Selecting {
  admin: AdminPolicyModel[];
  np: NetworkPolicyModel[];
  baseline: AdminPolicyModel[];
}

interface Trace {
  tier: Tier;
  rules: RuleRef[];
  isolatedBy: string[];
}

export class NetpolEvaluator {
  readonly model: NetpolModel;
  private readonly peerSets = new Map<Peer, Uint8Array>();
  private readonly selecting: Array<Record<Direction, Selecting> | undefined> = [];

  constructor(model: NetpolModel) {
    this.model = model;
  }

  /** The verdict of `subject`'s `direction` for traffic with `other` (source for ingress, destination for egress). */
  allowed(direction: Direction, subject: Endpoint, other: Endpoint, traffic: PortProto): boolean {
    return this.evaluate(direction, subject, other, traffic, undefined);
  }

  explain(direction: Direction, subject: Endpoint, other: Endpoint, traffic: PortProto): DirectionVerdict {
    const trace: Trace = { tier: 'default', rules: [], isolatedBy: [] };
    const allowed = this.evaluate(direction, subject, other, traffic, trace);
    return { direction, allowed, tier: trace.tier, rules: trace.rules, isolatedBy: trace.isolatedBy, reason: describeVerdict(direction, subject, allowed, trace) };
  }

  connectionAllowed(from: Endpoint, to: Endpoint, traffic: PortProto): boolean {
    if (from.type === 'pod' && !this.evaluate('egress', from, to, traffic, undefined)) return false;
    return to.type !== 'pod' || this.evaluate('ingress', to, from, traffic, undefined);
  }

  connection(from: Endpoint, to: Endpoint, traffic: PortProto): ConnectionVerdict {
    const egress = from.type === 'pod' ? this.explain('egress', from, to, traffic) : undefined;
    const ingress = to.type === 'pod' ? this.explain('ingress', to, from, traffic) : undefined;
    return { allowed: (egress?.allowed ?? true) && (ingress?.allowed ?? true), egress, ingress };
  }

  /** The policies that select `pod` in `direction`, per tier. */
  selectingPolicies(pod: Endpoint, direction: Direction): Selecting {
    let entry = this.selecting[pod.index];
    if (entry === undefined && pod.hostNetwork === true) {
      const none: Selecting = { admin: [], np: [], baseline: [] };
      entry = { ingress: none, egress: none };
      this.selecting[pod.index] = entry;
    }
    if (entry === undefined) {
      const nsLabels = this.model.namespaces.get(pod.namespace) ?? {};
      const subjectOf = (p: AdminPolicyModel): boolean => p.subject.namespaceSelector!.matches(nsLabels) && (p.subject.podSelector === undefined || p.subject.podSelector.matches(pod.labels));
      const admin = this.model.admin.filter(subjectOf);
      const baseline = this.model.baseline.filter(subjectOf);
      const np = this.model.policies.filter((p) => p.namespace === pod.namespace && p.podSelector.matches(pod.labels));
      entry = {
        ingress: { admin, baseline, np: np.filter((p) => p.types.ingress) },
        egress: { admin, baseline, np: np.filter((p) => p.types.egress) },
      };
      this.selecting[pod.index] = entry;
    }
    return entry[direction];
  }

  private evaluate(direction: Direction, subject: Endpoint, other: Endpoint, traffic: PortProto, trace: Trace | undefined): boolean {
    if (subject.type !== 'pod') return true;
    const sel = this.selectingPolicies(subject, direction);
    const dest = direction === 'ingress' ? subject : other;
    let passed = false;
    for (const policy of sel.admin) {
      for (const rule of policy.rules[direction]) {
        if (!this.ruleMatches(rule, other, traffic, dest)) continue;
        if (trace !== undefined) trace.rules.push(ref(policy.id, rule));
        if (rule.action === 'Pass') {
          passed = true;
          break;
        }
        if (trace !== undefined) trace.tier = 'admin';
        return rule.action === 'Allow';
      }
      if (passed) break;
    }
    if (sel.np.length > 0) {
      if (trace !== undefined) {
        trace.tier = 'networkpolicy';
        trace.isolatedBy = sel.np.map((p) => p.id);
      }
      let allowed = false;
      for (const policy of sel.np) {
        for (const rule of policy.rules[direction]) {
          if (!this.ruleMatches(rule, other, traffic, dest)) continue;
          if (trace === undefined) return true;
          allowed = true;
          trace.rules.push(ref(policy.id, rule));
        }
      }
      return allowed;
    }
    for (const policy of sel.baseline) {
      for (const rule of policy.rules[direction]) {
        if (!this.ruleMatches(rule, other, traffic, dest)) continue;
        if (trace !== undefined) {
          trace.tier = 'baseline';
          trace.rules.push(ref(policy.id, rule));
        }
        return rule.action === 'Allow';
      }
    }
    return true;
  }

  private ruleMatches(rule: PolicyRule, other: Endpoint, traffic: PortProto, dest: Endpoint): boolean {
    if (rule.ports !== undefined && !rule.ports.some((p) => portMatches(p, traffic, dest))) return false;
    if (rule.peers === undefined) return true;
    for (const peer of rule.peers) if (this.peerMatches(peer, other)) return true;
    return false;
  }

  peerMatches(peer: Peer, e: Endpoint): boolean {
    return this.peerSet(peer)[e.index] === 1;
  }

  /** One byte per endpoint: 1 when the peer matches it. */
  private peerSet(peer: Peer): Uint8Array {
    let set = this.peerSets.get(peer);
    if (set === undefined) {
      set = new Uint8Array(this.model.endpoints.length);
      for (const e of this.model.endpoints) set[e.index] = this.computePeer(peer, e) ? 1 : 0;
      this.peerSets.set(peer, set);
    }
    return set;
  }

  /**
   * The verdicts of `subject`'s `direction` against every endpoint at once (1 = allowed), the
   * same tiers as `allowed()` computed rule by rule over typed arrays: what the matrix uses.
   */
  row(direction: Direction, subject: Endpoint, traffic: PortProto): Uint8Array {
    const n = this.model.endpoints.length;
    const out = new Uint8Array(n);
    if (subject.type !== 'pod') return out.fill(1);
    const sel = this.selectingPolicies(subject, direction);
    // 0 undecided, 1 decided by the admin tier, 2 passed on by the admin tier.
    const state = new Uint8Array(n);
    const matched = new Uint8Array(n);
    for (const policy of sel.admin) {
      for (const rule of policy.rules[direction]) {
        this.ruleRow(rule, direction, subject, traffic, matched);
        for (let e = 0; e < n; e++) {
          if (state[e] !== 0 || matched[e] === 0) continue;
          if (rule.action === 'Pass') state[e] = 2;
          else {
            state[e] = 1;
            out[e] = rule.action === 'Allow' ? 1 : 0;
          }
        }
      }
    }
    if (sel.np.length > 0) {
      for (const policy of sel.np) {
        for (const rule of policy.rules[direction]) {
          this.ruleRow(rule, direction, subject, traffic, matched);
          for (let e = 0; e < n; e++) if (state[e] !== 1 && matched[e] === 1) out[e] = 1;
        }
      }
      return out;
    }
    // Baseline tier: 3 marks "decided here".
    for (const policy of sel.baseline) {
      for (const rule of policy.rules[direction]) {
        this.ruleRow(rule, direction, subject, traffic, matched);
        for (let e = 0; e < n; e++) {
          if (state[e] === 1 || state[e] === 3 || matched[e] === 0) continue;
          state[e] = 3;
          out[e] = rule.action === 'Allow' ? 1 : 0;
        }
      }
    }
    for (let e = 0; e < n; e++) if (state[e] !== 1 && state[e] !== 3) out[e] = 1;
    return out;
  }

  /** `into[e]` = 1 when the rule matches traffic between `subject` and endpoint e. */
  private ruleRow(rule: PolicyRule, direction: Direction, subject: Endpoint, traffic: PortProto, into: Uint8Array): void {
    const n = into.length;
    if (rule.peers === undefined) into.fill(1);
    else {
      into.fill(0);
      for (const peer of rule.peers) {
        const set = this.peerSet(peer);
        for (let e = 0; e < n; e++) into[e]! |= set[e]!;
      }
    }
    if (rule.ports === undefined) return;
    const ports = rule.ports;
    if (direction === 'ingress' || !ports.some((p) => p.named !== undefined)) {
      // The destination is fixed (ingress) or no port needs it: one answer for the whole row.
      if (!ports.some((p) => portMatches(p, traffic, subject))) into.fill(0);
      return;
    }
    const endpoints = this.model.endpoints;
    for (let e = 0; e < n; e++) if (into[e] === 1 && !ports.some((p) => portMatches(p, traffic, endpoints[e]!))) into[e] = 0;
  }

  private computePeer(peer: Peer, pod: Endpoint): boolean {
    if (peer.type === 'cidr') return cidrPeerMatches(peer, pod);
    if (peer.type === 'nodes') return this.nodePeerMatches(peer, pod);
    if (pod.type !== 'pod' || pod.hostNetwork === true) return false;
    if (peer.namespace !== undefined && pod.namespace !== peer.namespace) return false;
    if (peer.namespaceSelector !== undefined && !peer.namespaceSelector.matches(this.model.namespaces.get(pod.namespace) ?? {})) return false;
    return peer.podSelector === undefined || peer.podSelector.matches(pod.labels);
  }

  /**
   * An ANP `nodes` peer matches an endpoint at a selected Node's address (an external IP a
   * question names) and a host-network pod scheduled on a selected Node. Ordinary pods never
   * match: their IPs are not the node's. Nodes come from Node objects in the inputs.
   */
  private nodePeerMatches(peer: Peer & { type: 'nodes' }, e: Endpoint): boolean {
    const nodes = this.model.nodes;
    if (e.type === 'pod') {
      if (e.hostNetwork !== true) return false;
      const node = e.nodeName === undefined ? undefined : nodes.get(e.nodeName);
      if (node !== undefined) return peer.nodeSelector.matches(node.labels);
    }
    for (const node of nodes.values()) {
      if (!peer.nodeSelector.matches(node.labels)) continue;
      if (e.addresses.some((a) => node.addresses.some((n) => sameAddress(a, n)))) return true;
    }
    return false;
  }
}

/**
 * A pod whose IP is unknown (a workload template) matches only a block that covers every
 * address (`0.0.0.0/0`, `::/0`) with no exceptions: whatever IP it gets is inside.
 */
function cidrPeerMatches(peer: Peer & { type: 'cidr' }, e: Endpoint): boolean {
  if (e.addresses.length === 0) return peer.except.length === 0 && peer.cidrs.some((c) => c.prefix === 0);
  return e.addresses.some((a) => peer.cidrs.some((c) => cidrContains(c, a)) && !peer.except.some((x) => cidrContains(x, a)));
}

/** Named ports resolve on the destination pod of the connection; external endpoints declare none. */
export function portMatches(spec: PortSpec, traffic: PortProto, dest: Endpoint): boolean {
  if (spec.named !== undefined) {
    if (spec.protocol !== undefined && spec.protocol !== traffic.protocol) return false;
    const declared = dest.namedPorts.get(spec.named);
    return declared !== undefined && declared.some((p) => p.port === traffic.port && p.protocol === traffic.protocol);
  }
  if (spec.protocol !== traffic.protocol) return false;
  if (spec.port === undefined) return true;
  return spec.endPort === undefined ? spec.port === traffic.port : traffic.port >= spec.port && traffic.port <= spec.endPort;
}

function ref(policy: string, rule: PolicyRule): RuleRef {
  return { policy, rule: rule.path, ...(rule.name !== undefined && { name: rule.name }), action: rule.action };
}

function describeVerdict(direction: Direction, subject: Endpoint, allowed: boolean, trace: Trace): string {
  const what = `${direction} of ${subject.key}`;
  const rule = (r: RuleRef): string => `${r.policy} ${r.rule}${r.name !== undefined ? ` "${r.name}"` : ''}`;
  const passes = trace.rules.filter((r) => r.action === 'Pass');
  const passNote = passes.length > 0 ? ` after ${rule(passes[0]!)} passed it on` : '';
  switch (trace.tier) {
    case 'admin':
      return `${what} ${allowed ? 'allowed' : 'denied'} by ${rule(trace.rules[trace.rules.length - 1]!)}`;
    case 'networkpolicy':
      return allowed
        ? `${what} allowed by ${trace.rules.filter((r) => r.action !== 'Pass').map(rule).join(', ')}${passNote}`
        : `${what} denied: isolated by ${trace.isolatedBy.join(', ')} and no rule allows it${passNote}`;
    case 'baseline':
      return `${what} ${allowed ? 'allowed' : 'denied'} by ${rule(trace.rules[trace.rules.length - 1]!)}${passNote}`;
    case 'default':
      return `${what} allowed: no policy isolates it${passNote}`;
  }
}
