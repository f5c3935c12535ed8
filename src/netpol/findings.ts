/**
 * NetworkPolicy findings through the core model. Rules as data (`NETPOL_RULES`), one function per
 * rule over the compiled model, so the verdicts and the findings never disagree.
 */
import type { Finding, Severity } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { RuleMeta } from '../core/rule.ts';
import { locate, resourceTarget, type Resource } from '../manifests/resource.ts';
import type { Path } from '../manifests/path.ts';
import { NetpolEvaluator } from './evaluate.ts';
import type { Direction, Endpoint, NetpolModel, NetworkPolicyModel, Peer, PolicyRule } from './model.ts';

const rule = (id: string, severity: Severity, title: string, description: string, remediation: string, fields: string[], aliases: string[] = []): RuleMeta => ({
  id, severity, title, description, remediation, fields, aliases, frameworks: {}, category: 'network',
});

export const NETPOL_RULES = {
  noIngress: rule('NETPOL-POD-NOT-ISOLATED-INGRESS', 'medium', 'Pod accepts traffic from everywhere', 'No NetworkPolicy of type Ingress (and no AdminNetworkPolicy/BaselineAdminNetworkPolicy) selects the pod, so every pod in the cluster and every external address can connect to it.', 'Add a default-deny ingress NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress]`) in the namespace and allow only the traffic the pod needs.', ['NetworkPolicy.spec.podSelector', 'NetworkPolicy.spec.policyTypes'], ['K8S-POD-NO-NETWORKPOLICY', 'C-0260', 'missingNetworkPolicy']),
  noEgress: rule('NETPOL-POD-NOT-ISOLATED-EGRESS', 'low', 'Pod can connect anywhere', 'No NetworkPolicy of type Egress (and no AdminNetworkPolicy/BaselineAdminNetworkPolicy) selects the pod, so it can open connections to every pod and every address, which helps lateral movement and exfiltration.', 'Add a default-deny egress NetworkPolicy in the namespace and allow DNS and the destinations the pod needs.', ['NetworkPolicy.spec.podSelector', 'NetworkPolicy.spec.policyTypes']),
  noDefaultDeny: rule('NETPOL-NAMESPACE-NO-DEFAULT-DENY', 'medium', 'Namespace has no default-deny NetworkPolicy', 'Without a policy that selects every pod (`podSelector: {}`) and allows nothing, a new pod in the namespace starts fully open until someone writes a policy for it.', 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no rules.', ['NetworkPolicy.spec.podSelector', 'NetworkPolicy.spec.policyTypes', 'NetworkPolicy.spec.ingress', 'NetworkPolicy.spec.egress'], ['C-0054']),
  selectsNothing: rule('NETPOL-SELECTS-NOTHING', 'low', 'Network policy selects no pods', 'The policy\'s pod selector (or ANP/BANP subject) matches no pod in the inputs, so it protects nothing; usually a label typo.', 'Fix the selector so that it matches the intended pods, or delete the policy.', ['spec.podSelector', 'spec.subject'], ['dangling-networkpolicy']),
  allowAll: rule('NETPOL-RULE-ALLOWS-ALL', 'medium', 'Network policy rule allows all traffic', 'A rule with no peers (or a peer covering every namespace or every address) and no ports allows everything in that direction, which undoes the isolation the policy creates.', 'Name the peers (podSelector / namespaceSelector with labels) and the ports the traffic needs.', ['spec.ingress[*]', 'spec.egress[*]']),
  egressInternet: rule('NETPOL-EGRESS-TO-INTERNET', 'medium', 'Egress allowed to 0.0.0.0/0', 'An egress rule to 0.0.0.0/0 (or ::/0) lets the selected pods reach any address on the internet, the usual exfiltration and command-and-control path.', 'Allow only the CIDRs of the services the pods call, or route egress through a proxy.', ['spec.egress[*].to[*].ipBlock.cidr', 'spec.egress[*].to[*].networks']),
  portNotExposed: rule('NETPOL-PORT-NOT-EXPOSED', 'low', 'Ingress rule names a port no selected pod exposes', 'The ingress rule allows a port (number or name) that none of the pods the policy selects declares, so the rule is dead or the policy was written for another workload.', 'Fix the port, or declare the container port on the pods.', ['spec.ingress[*].ports[*].port']),
  invalid: rule('NETPOL-INVALID-POLICY', 'high', 'Network policy is invalid', 'The policy has an invalid selector, CIDR, port or peer. The API server rejects it, so the protection it describes is not in effect.', 'Fix the field named in the message.', ['spec']),
} as const;

export const NETPOL_RULE_LIST: readonly RuleMeta[] = Object.values(NETPOL_RULES);

function finding(meta: RuleMeta, r: Resource | undefined, path: Path, message: string, fallback: { kind: string; name: string; namespace?: string }, key = ''): Finding {
  const target = r !== undefined ? resourceTarget(r) : { type: 'resource' as const, apiVersion: fallback.kind === 'Namespace' ? 'v1' : 'networking.k8s.io/v1', kind: fallback.kind, name: fallback.name, ...(fallback.namespace !== undefined && { namespace: fallback.namespace }) };
  const fieldPath = pathText(path);
  const f: Finding = {
    ruleId: meta.id, severity: meta.severity, title: meta.title, message, target, fieldPath, remediation: meta.remediation,
    frameworks: meta.frameworks, aliases: meta.aliases, fingerprint: fingerprint(meta.id, target, fieldPath, key),
  };
  if (r !== undefined) f.location = locate(r, path);
  return f;
}

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function parsePath(text: string): Path {
  const out: Array<string | number> = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** Every NetworkPolicy finding for the model. */
export function networkPolicyFindings(model: NetpolModel, evaluator = new NetpolEvaluator(model)): Finding[] {
  const out: Finding[] = [];
  for (const issue of model.issues) {
    const [kind, a, b] = issue.object.split('/');
    const resource = findResource(model, issue.object);
    out.push(finding(NETPOL_RULES.invalid, resource, parsePath(issue.path), issue.message, b === undefined ? { kind: kind!, name: a! } : { kind: kind!, namespace: a!, name: b }, issue.path));
  }
  out.push(...isolationFindings(model, evaluator));
  out.push(...defaultDenyFindings(model));
  for (const p of model.policies) out.push(...policyFindings(model, evaluator, p));
  out.push(...adminFindings(model, evaluator));
  return out;
}

function findResource(model: NetpolModel, id: string): Resource | undefined {
  return model.invalidResources.get(id);
}

function isolationFindings(model: NetpolModel, ev: NetpolEvaluator): Finding[] {
  const out: Finding[] = [];
  for (const pod of model.pods) {
    const r = pod.resource;
    // A host-network pod cannot be isolated by NetworkPolicy at all: nothing actionable to report here.
    if (r === undefined || r.workload === undefined || pod.hostNetwork === true) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const sel = ev.selectingPolicies(pod, direction);
      const covered = sel.np.length > 0 || [...sel.admin, ...sel.baseline].some((p) => p.rules[direction].length > 0);
      if (covered) continue;
      const meta = direction === 'ingress' ? NETPOL_RULES.noIngress : NETPOL_RULES.noEgress;
      out.push(finding(meta, r, [...r.workload.podMetaPath, 'labels'], `no ${direction} policy selects ${describePod(pod)}: ${direction === 'ingress' ? 'every source can connect to it' : 'it can connect to every destination'}`, { kind: r.kind, name: r.name }));
    }
  }
  return out;
}

function describePod(pod: Endpoint): string {
  const r = pod.resource;
  return r === undefined || r.kind === 'Pod' ? `pod ${pod.key}` : `the pods of ${r.kind} ${pod.key}`;
}

/** A default deny for a direction: a policy selecting every pod of the namespace, of that type, with no rules for it. */
function isDefaultDeny(p: NetworkPolicyModel, direction: Direction): boolean {
  return p.podSelector.empty && p.types[direction] && p.rules[direction].length === 0;
}

function defaultDenyFindings(model: NetpolModel): Finding[] {
  const namespacesWithPods = new Set(model.pods.map((p) => p.namespace));
  const out: Finding[] = [];
  for (const ns of [...namespacesWithPods].sort()) {
    const policies = model.policies.filter((p) => p.namespace === ns);
    const missing = (['ingress', 'egress'] as const).filter((d) => !policies.some((p) => isDefaultDeny(p, d)));
    if (missing.length === 0) continue;
    const nsResource = model.namespaceResources.get(ns);
    out.push(finding(NETPOL_RULES.noDefaultDeny, nsResource, nsResource === undefined ? [] : ['metadata', 'name'], `namespace "${ns}" has no default-deny NetworkPolicy for ${missing.join(' and ')}`, { kind: 'Namespace', name: ns }, missing.join(',')));
  }
  return out;
}

function coversEverything(peer: Peer): boolean {
  if (peer.type === 'cidr') return peer.except.length === 0 && peer.cidrs.some((c) => c.prefix === 0);
  if (peer.type === 'nodes') return false;
  return peer.namespace === undefined && (peer.namespaceSelector?.empty ?? false) && (peer.podSelector === undefined || peer.podSelector.empty);
}

function policyFindings(model: NetpolModel, ev: NetpolEvaluator, p: NetworkPolicyModel): Finding[] {
  const out: Finding[] = [];
  const r = p.resource;
  const fallback = { kind: 'NetworkPolicy', name: p.name, namespace: p.namespace };
  const selected = model.pods.filter((pod) => pod.namespace === p.namespace && p.podSelector.matches(pod.labels));
  if (model.pods.length > 0 && selected.length === 0) {
    out.push(finding(NETPOL_RULES.selectsNothing, r, ['spec', 'podSelector'], `${p.id} selects no pod in namespace "${p.namespace}"`, fallback));
  }
  for (const direction of ['ingress', 'egress'] as const) {
    if (!p.types[direction]) continue;
    for (const rule of p.rules[direction]) {
      const path = parsePath(rule.path);
      if (rule.ports === undefined && (rule.peers === undefined || rule.peers.some(coversEverything))) {
        out.push(finding(NETPOL_RULES.allowAll, r, path, `${p.id} ${rule.path} allows all ${direction} traffic (${rule.peers === undefined ? 'no peers' : 'a peer covering everything'}, no ports)`, fallback, rule.path));
      }
      if (direction === 'egress') out.push(...internetFindings(rule, p.id, r, fallback));
      if (direction === 'ingress' && selected.length > 0) out.push(...unexposedPortFindings(rule, p.id, selected, r, fallback));
    }
  }
  return out;
}

function internetFindings(rule: PolicyRule, id: string, r: Resource | undefined, fallback: { kind: string; name: string; namespace?: string }): Finding[] {
  if (rule.action !== 'Allow') return [];
  return (rule.peers ?? []).flatMap((peer) => {
    if (peer.type !== 'cidr') return [];
    const open = peer.cidrs.find((c) => c.prefix === 0);
    if (open === undefined) return [];
    return [finding(NETPOL_RULES.egressInternet, r, parsePath(peer.path), `${id} ${rule.path} allows egress to ${open.text}${peer.except.length > 0 ? ` (except ${peer.except.map((e) => e.text).join(', ')})` : ''}`, fallback, peer.path)];
  });
}

/** Only when the selected pods declare ports at all: pods may listen on undeclared ports. */
function unexposedPortFindings(rule: PolicyRule, id: string, selected: Endpoint[], r: Resource | undefined, fallback: { kind: string; name: string; namespace?: string }): Finding[] {
  if (!selected.some((pod) => pod.declaredPorts.length > 0)) return [];
  const out: Finding[] = [];
  (rule.ports ?? []).forEach((spec, i) => {
    if (spec.port === undefined && spec.named === undefined) return;
    const exposed = selected.some((pod) =>
      spec.named !== undefined
        ? pod.namedPorts.get(spec.named)?.some((d) => spec.protocol === undefined || d.protocol === spec.protocol) === true
        : pod.declaredPorts.some((d) => d.protocol === spec.protocol && d.port >= spec.port! && d.port <= (spec.endPort ?? spec.port!)),
    );
    if (exposed) return;
    const what = spec.named !== undefined ? `named port "${spec.named}"` : `port ${spec.port}${spec.endPort !== undefined ? `-${spec.endPort}` : ''}/${spec.protocol}`;
    out.push(finding(NETPOL_RULES.portNotExposed, r, [...parsePath(rule.path), 'ports', i], `${id} ${rule.path} allows ${what}, which none of its ${selected.length} selected pod(s) declares`, fallback, `${rule.path}.ports[${i}]`));
  });
  return out;
}

function adminFindings(model: NetpolModel, ev: NetpolEvaluator): Finding[] {
  const out: Finding[] = [];
  for (const p of [...model.admin, ...model.baseline]) {
    const fallback = { kind: p.kind, name: p.name };
    const selects = model.pods.some((pod) => ev.selectingPolicies(pod, 'ingress').admin.includes(p) || ev.selectingPolicies(pod, 'ingress').baseline.includes(p));
    if (model.pods.length > 0 && !selects) out.push(finding(NETPOL_RULES.selectsNothing, p.resource, ['spec', 'subject'], `${p.id} subject selects no pod`, fallback));
    for (const rule of p.rules.egress) out.push(...internetFindings(rule, p.id, p.resource, fallback));
  }
  return out;
}
