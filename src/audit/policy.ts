/**
 * `bosun audit policy`: the Kubernetes audit Policy (audit.k8s.io/v1) that gives the loaded
 * rules exactly what they read, and the kube-apiserver flags that send it to bosun.
 *
 * Per rule: the resources it is limited to (positive `ka.target.resource` tests), the stages it
 * looks at, and the level it needs: RequestResponse when it reads the response object,
 * Request when it reads the request object, Metadata otherwise. Secrets are never logged above
 * Metadata (their bodies are the secret). Stages no rule reads are omitted.
 */
import type { Expr } from './condition.ts';
import type { AuditRule } from './loader.ts';

type Level = 'Metadata' | 'Request' | 'RequestResponse';
const LEVEL_RANK: Record<Level, number> = { Metadata: 0, Request: 1, RequestResponse: 2 };
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;

/** API group of the resources the rules name; others are assumed core ("") and flagged. */
const GROUPS: Record<string, string> = {
  pods: '',
  services: '',
  configmaps: '',
  secrets: '',
  namespaces: '',
  serviceaccounts: '',
  nodes: '',
  persistentvolumes: '',
  persistentvolumeclaims: '',
  endpoints: '',
  events: '',
  deployments: 'apps',
  daemonsets: 'apps',
  statefulsets: 'apps',
  replicasets: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  roles: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  ingresses: 'networking.k8s.io',
  networkpolicies: 'networking.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  leases: 'coordination.k8s.io',
};

interface RuleNeeds {
  /** undefined: every resource. */
  resources: Set<string> | undefined;
  stages: Set<string> | undefined;
  level: Level;
}

function fieldsOf(e: Expr, out: { fields: Set<string>; resources: Set<string>; constrainedResources: boolean; stages: Set<string>; constrainedStages: boolean }, negated: boolean): void {
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const x of e.items) fieldsOf(x, out, negated);
      return;
    case 'not':
      fieldsOf(e.item, out, !negated);
      return;
    case 'macro':
      if (e.body !== undefined) fieldsOf(e.body, out, negated);
      return;
    case 'check': {
      let o = e.left;
      while (o.kind === 'transform') o = o.arg;
      out.fields.add(o.arg === undefined ? o.name : `${o.name}[${o.arg}]`);
      const values = e.value?.kind === 'list' ? e.value.values : e.value?.kind === 'string' ? [e.value.value] : [];
      const positive = !negated && (e.op === '=' || e.op === '==' || e.op === 'in' || e.op === 'intersects');
      if (positive && o.name === 'ka.target.resource') {
        out.constrainedResources = true;
        for (const v of values) out.resources.add(v);
      }
      if (positive && (o.name === 'ka.stage' || (o.name.endsWith('.value') && (o.arg === '/stage' || o.arg === 'stage')))) {
        out.constrainedStages = true;
        for (const v of values) out.stages.add(v);
      }
    }
  }
}

/**
 * What a condition is without looking at an event: `jevt.rawtime exists` is always true and
 * `jevt.rawtime=0` never (the upstream always-true/never-true macros), so rules switched off
 * through those macros need nothing from the audit log.
 */
export function staticValue(e: Expr): boolean | undefined {
  switch (e.kind) {
    case 'and': {
      const vs = e.items.map(staticValue);
      if (vs.includes(false)) return false;
      return vs.every((v) => v === true) ? true : undefined;
    }
    case 'or': {
      const vs = e.items.map(staticValue);
      if (vs.includes(true)) return true;
      return vs.every((v) => v === false) ? false : undefined;
    }
    case 'not': {
      const v = staticValue(e.item);
      return v === undefined ? undefined : !v;
    }
    case 'macro':
      return e.body === undefined ? undefined : staticValue(e.body);
    case 'check': {
      if (e.left.kind !== 'field' || !/^(jevt|json)\.rawtime$/.test(e.left.name)) return undefined;
      if (e.op === 'exists') return true;
      if ((e.op === '=' || e.op === '==') && e.value?.kind === 'string' && e.value.value === '0') return false;
      return undefined;
    }
  }
}

export function ruleNeeds(rule: AuditRule): RuleNeeds {
  const acc = { fields: new Set<string>(), resources: new Set<string>(), constrainedResources: false, stages: new Set<string>(), constrainedStages: false };
  fieldsOf(rule.expr, acc, false);
  for (const t of rule.output.tokens) acc.fields.add(t.arg === undefined ? t.def.name : `${t.def.name}[${String(t.arg)}]`);
  let level: Level = 'Metadata';
  for (const f of acc.fields) {
    if (f === 'ka.resp.name' || f === 'ka.target.pod.name' || f.includes('/responseObject') || f.startsWith('jevt.obj') || f.startsWith('json.obj')) level = 'RequestResponse';
    else if ((f.startsWith('ka.req.') || f.includes('/requestObject') || f === 'ka.sourceips') && LEVEL_RANK[level] < LEVEL_RANK.Request) level = 'Request';
  }
  return { resources: acc.constrainedResources ? acc.resources : undefined, stages: acc.constrainedStages ? acc.stages : undefined, level };
}

export interface PolicyOptions {
  /** URL of `bosun audit serve` for the webhook kubeconfig. */
  webhookUrl?: string;
}

function q(s: string): string {
  return JSON.stringify(s);
}

/** The Policy document, the webhook kubeconfig and the flags, as one commented YAML text. */
export function renderAuditPolicy(rules: readonly AuditRule[], options: PolicyOptions = {}): string {
  const byLevel = new Map<Level, Set<string>>([['Metadata', new Set()], ['Request', new Set()], ['RequestResponse', new Set()]]);
  let everything: Level | undefined;
  const stages = new Set<string>();
  let allStages = false;
  for (const r of rules) {
    if (!r.enabled || staticValue(r.expr) === false) continue;
    const n = ruleNeeds(r);
    if (n.stages === undefined) allStages = true;
    else for (const s of n.stages) stages.add(s);
    if (n.resources === undefined) {
      if (everything === undefined || LEVEL_RANK[n.level] > LEVEL_RANK[everything]) everything = n.level;
    } else for (const res of n.resources) byLevel.get(n.level)!.add(res);
  }
  // A resource needed at several levels takes the highest.
  for (const res of byLevel.get('RequestResponse')!) {
    byLevel.get('Request')!.delete(res);
    byLevel.get('Metadata')!.delete(res);
  }
  for (const res of byLevel.get('Request')!) byLevel.get('Metadata')!.delete(res);
  // Secrets: bodies are secret material; Metadata at most.
  let secretsCapped = false;
  for (const lvl of ['Request', 'RequestResponse'] as const) {
    if (byLevel.get(lvl)!.delete('secrets')) secretsCapped = true;
  }
  const omit = allStages ? ['RequestReceived'] : STAGES.filter((s) => !stages.has(s));
  const lines: string[] = [];
  lines.push('# Audit policy generated by `bosun audit policy` for the loaded rules.');
  lines.push('# kube-apiserver flags (webhook backend, batches to bosun audit serve):');
  lines.push('#   --audit-policy-file=/etc/kubernetes/audit/bosun-policy.yaml');
  lines.push('#   --audit-webhook-config-file=/etc/kubernetes/audit/bosun-webhook.kubeconfig');
  lines.push('#   --audit-webhook-mode=batch --audit-webhook-batch-max-wait=5s');
  lines.push('# or the log backend, scanned with `bosun audit scan`:');
  lines.push('#   --audit-log-path=/var/log/kubernetes/audit/audit.log --audit-log-format=json --audit-log-maxsize=100 --audit-log-maxbackup=5');
  lines.push('apiVersion: audit.k8s.io/v1');
  lines.push('kind: Policy');
  if (omit.length > 0) lines.push(`omitStages: [${omit.map(q).join(', ')}]`);
  lines.push('rules:');
  lines.push('  # Secrets: metadata only; their request and response bodies are the secret.');
  lines.push('  - level: Metadata');
  lines.push('    resources:');
  lines.push('      - group: ""');
  lines.push('        resources: ["secrets"]');
  lines.push('      - group: "authentication.k8s.io"');
  lines.push('        resources: ["tokenreviews"]');
  for (const lvl of ['RequestResponse', 'Request', 'Metadata'] as const) {
    const res = [...byLevel.get(lvl)!].filter((r) => r !== 'secrets').sort();
    if (res.length === 0) continue;
    const groups = new Map<string, string[]>();
    for (const r of res) {
      const base = r.split('/')[0]!;
      const g = GROUPS[base] ?? '';
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    lines.push(`  - level: ${lvl}`);
    lines.push('    resources:');
    for (const [g, rs] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`      - group: ${q(g)}`);
      const withSubs = rs.flatMap((r) => (r.includes('/') ? [r] : [r, `${r}/*`]));
      lines.push(`        resources: [${withSubs.map(q).join(', ')}]`);
    }
  }
  if (everything !== undefined) {
    lines.push('  # Rules that look at every resource.');
    lines.push(`  - level: ${everything}`);
  } else {
    lines.push('  # Nothing else is read by the rules.');
    lines.push('  - level: None');
  }
  if (secretsCapped) lines.push('# Note: some rules read request bodies of secrets; they are kept at Metadata on purpose.');
  let text = `${lines.join('\n')}\n`;
  if (options.webhookUrl !== undefined) {
    text += [
      '---',
      '# bosun-webhook.kubeconfig (for --audit-webhook-config-file)',
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: bosun',
      '    cluster:',
      `      server: ${q(options.webhookUrl)}`,
      'contexts:',
      '  - name: bosun',
      '    context: { cluster: bosun, user: bosun }',
      'current-context: bosun',
      'users:',
      '  - name: bosun',
      '    user: {}   # add `token: …` when bosun audit serve runs with a token',
      '',
    ].join('\n');
  }
  return text;
}
