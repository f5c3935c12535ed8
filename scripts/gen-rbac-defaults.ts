/**
 * Writes src/rbac/bootstrap-policy.ts, Kubernetes' built-in RBAC policy as data, from the
 * kube-apiserver bootstrap-policy test fixtures (kubernetes/kubernetes,
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/): cluster-roles.yaml,
 * cluster-role-bindings.yaml, controller-roles.yaml, controller-role-bindings.yaml,
 * namespace-roles.yaml, namespace-role-bindings.yaml. The fixtures are not in this repository.
 *
 *   node scripts/gen-rbac-defaults.ts FILE[@COMMIT]... > src/rbac/bootstrap-policy.ts
 *
 * Each FILE is a `kind: List` of ClusterRoles, ClusterRoleBindings, Roles or RoleBindings (the
 * kind of each item decides where it goes, not the file name); `@COMMIT` is recorded in the
 * header. The `*-featuregates.yaml` fixtures (every feature gate on) are not what a cluster has
 * by default and should not be given.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import yaml from 'js-yaml';

interface Rule { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] }
interface Role { name: string; namespace?: string; labels: Record<string, string>; aggregationSelectors?: Array<Record<string, string>>; rules: Rule[] }
interface Subject { kind: string; name: string; namespace?: string }
interface Binding { name: string; namespace?: string; roleRef: { kind: string; name: string }; subjects: Subject[] }

/**
 * Default ClusterRoleBindings the newest cluster-role-bindings.yaml at hand may predate: added
 * only when the fixtures lack a binding of that name. Both are in the bootstrap policy's
 * clusterRoleBindings() since Kubernetes 1.22 (system:monitoring) and 1.21
 * (system:service-account-issuer-discovery, ServiceAccountIssuerDiscovery GA).
 */
const SUPPLEMENTARY_CLUSTER_ROLE_BINDINGS: Binding[] = [
  { name: 'system:monitoring', roleRef: { kind: 'ClusterRole', name: 'system:monitoring' }, subjects: [{ kind: 'Group', name: 'system:monitoring' }] },
  { name: 'system:service-account-issuer-discovery', roleRef: { kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] },
];

const DEFAULTS_LABEL = 'kubernetes.io/bootstrapping';

function fail(message: string): never {
  process.stderr.write(`gen-rbac-defaults: ${message}\n`);
  process.exit(2);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what}: expected a mapping`);
  return v as Record<string, unknown>;
}

function strs(v: unknown, what: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${what}: expected a list of strings`);
  return v as string[];
}

function readRule(raw: unknown, what: string): Rule {
  const r = obj(raw, what);
  const known = new Set(['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs']);
  for (const k of Object.keys(r)) if (!known.has(k)) fail(`${what}: unexpected field ${k}`);
  const out: Rule = { verbs: strs(r['verbs'], `${what}.verbs`) ?? fail(`${what}: no verbs`) };
  for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    const v = strs(r[k], `${what}.${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** A list field (absent = empty), or a clean failure naming it. */
function listField(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : fail(`${what}: expected a list`);
}

function readRole(item: Record<string, unknown>, what: string): Role {
  const meta = obj(item['metadata'], `${what}.metadata`);
  const name = typeof meta['name'] === 'string' ? meta['name'] : fail(`${what}: no name`);
  const labels = obj(meta['labels'] ?? {}, `${what}.labels`) as Record<string, string>;
  const role: Role = { name, labels, rules: listField(item['rules'], `${name}.rules`).map((r, i) => readRule(r, `${name}.rules[${i}]`)) };
  if (typeof meta['namespace'] === 'string') role.namespace = meta['namespace'];
  if (item['aggregationRule'] !== undefined) {
    const selectors = obj(item['aggregationRule'], `${name}.aggregationRule`)['clusterRoleSelectors'];
    role.aggregationSelectors = listField(selectors, `${name}.aggregationRule.clusterRoleSelectors`).map((s, i) => {
      const sel = obj(s, `${name}.clusterRoleSelectors[${i}]`);
      if (Object.keys(sel).some((k) => k !== 'matchLabels')) fail(`${name}: only matchLabels selectors are supported`);
      return obj(sel['matchLabels'], `${name}.matchLabels`) as Record<string, string>;
    });
  }
  return role;
}

function readBinding(item: Record<string, unknown>, what: string): Binding {
  const meta = obj(item['metadata'], `${what}.metadata`);
  const name = typeof meta['name'] === 'string' ? meta['name'] : fail(`${what}: no name`);
  const ref = obj(item['roleRef'], `${name}.roleRef`);
  const binding: Binding = {
    name,
    roleRef: { kind: String(ref['kind']), name: String(ref['name']) },
    subjects: listField(item['subjects'], `${name}.subjects`).map((raw, i) => {
      const s = obj(raw, `${name}.subjects[${i}]`);
      const kind = String(s['kind']);
      if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') fail(`${name}.subjects[${i}]: kind ${kind}`);
      return { kind, name: String(s['name']), ...(typeof s['namespace'] === 'string' && { namespace: s['namespace'] }) };
    }),
  };
  if (typeof meta['namespace'] === 'string') binding.namespace = meta['namespace'];
  return binding;
}

const args = process.argv.slice(2);
if (args.length === 0) fail('usage: node scripts/gen-rbac-defaults.ts FILE[@COMMIT]... > src/rbac/bootstrap-policy.ts');

const clusterRoles: Role[] = [];
const roles: Role[] = [];
const clusterRoleBindings: Binding[] = [];
const roleBindings: Binding[] = [];
const sources: string[] = [];
for (const arg of args) {
  const at = arg.lastIndexOf('@');
  const file = at > 0 ? arg.slice(0, at) : arg;
  const commit = at > 0 ? arg.slice(at + 1) : undefined;
  const doc = obj(yaml.load(readFileSync(file, 'utf8')), file);
  const items = Array.isArray(doc['items']) ? doc['items'] : fail(`${file}: not a List`);
  const counts = new Map<string, number>();
  items.forEach((raw, i) => {
    const item = obj(raw, `${file} items[${i}]`);
    const kind = String(item['kind']);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (kind === 'ClusterRole') clusterRoles.push(readRole(item, `${file} items[${i}]`));
    else if (kind === 'Role') roles.push(readRole(item, `${file} items[${i}]`));
    else if (kind === 'ClusterRoleBinding') clusterRoleBindings.push(readBinding(item, `${file} items[${i}]`));
    else if (kind === 'RoleBinding') roleBindings.push(readBinding(item, `${file} items[${i}]`));
    else fail(`${file} items[${i}]: unexpected kind ${kind}`);
  });
  sources.push(`${basename(file)}${commit !== undefined ? ` @ ${commit}` : ''} (${[...counts].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')})`);
}
for (const [kind, objects] of [['ClusterRole', clusterRoles], ['Role', roles], ['ClusterRoleBinding', clusterRoleBindings], ['RoleBinding', roleBindings]] as const) {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.namespace ?? ''}/${o.name}`;
    if (seen.has(key)) fail(`${kind} ${key} appears twice in the inputs`);
    seen.add(key);
  }
}
const supplemented: string[] = [];
for (const b of SUPPLEMENTARY_CLUSTER_ROLE_BINDINGS) {
  if (clusterRoleBindings.some((x) => x.name === b.name)) continue;
  clusterRoleBindings.push(b);
  supplemented.push(b.name);
}

const byName = <T extends { name: string; namespace?: string }>(a: T, b: T): number => (a.namespace ?? '').localeCompare(b.namespace ?? '') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
clusterRoles.sort(byName);
roles.sort(byName);
clusterRoleBindings.sort(byName);
roleBindings.sort(byName);

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const list = (xs: string[]): string => `[${xs.map(q).join(', ')}]`;
const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : q(k));
const record = (r: Record<string, string>): string => `{ ${Object.entries(r).map(([k, v]) => `${key(k)}: ${q(v)}`).join(', ')} }`;

function labelsText(labels: Record<string, string>): string {
  if (labels[DEFAULTS_LABEL] !== 'rbac-defaults') return record(labels);
  const rest = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== DEFAULTS_LABEL));
  return Object.keys(rest).length === 0 ? 'D' : `{ ...D, ${Object.entries(rest).map(([k, v]) => `${key(k)}: ${q(v)}`).join(', ')} }`;
}

function ruleText(r: Rule): string {
  const parts: string[] = [];
  for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'] as const) if (r[k] !== undefined) parts.push(`${k}: ${list(r[k])}`);
  return `{ ${parts.join(', ')} }`;
}

function roleText(r: Role): string {
  const head = [`name: ${q(r.name)}`, ...(r.namespace !== undefined ? [`namespace: ${q(r.namespace)}`] : []), `labels: ${labelsText(r.labels)}`];
  if (r.aggregationSelectors !== undefined) head.push(`aggregationSelectors: [${r.aggregationSelectors.map(record).join(', ')}]`);
  if (r.rules.length === 0) return `  { ${head.join(', ')}, rules: [] },`;
  return [`  {`, `    ${head.join(', ')},`, `    rules: [`, ...r.rules.map((x) => `      ${ruleText(x)},`), `    ],`, `  },`].join('\n');
}

function subjectText(s: Subject): string {
  return `{ kind: ${q(s.kind)}, name: ${q(s.name)}${s.namespace !== undefined ? `, namespace: ${q(s.namespace)}` : ''} }`;
}

function bindingText(b: Binding): string {
  const head = [`name: ${q(b.name)}`, ...(b.namespace !== undefined ? [`namespace: ${q(b.namespace)}`] : []), `roleRef: { kind: ${q(b.roleRef.kind)}, name: ${q(b.roleRef.name)} }`];
  return `  { ${head.join(', ')}, subjects: [${b.subjects.map(subjectText).join(', ')}] },`;
}

const out: string[] = [
  '/**',
  " * Kubernetes' built-in RBAC policy (the kube-apiserver bootstrap policy,",
  ' * plugin/pkg/auth/authorizer/rbac/bootstrappolicy), as data. GENERATED by',
  ' * scripts/gen-rbac-defaults.ts from the policy\'s test fixtures in kubernetes/kubernetes',
  ' * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/); do not edit by hand.',
  ' *',
  ' * Sources (file @ kubernetes/kubernetes commit):',
  ...sources.map((s) => ` * - ${s}`),
  ...(supplemented.length > 0 ? [` * - added because the bindings fixture above predates them: ClusterRoleBindings ${supplemented.join(', ')}`] : []),
  ' * Default feature gates only (the *-featuregates.yaml fixtures are not used).',
  ' */',
  '',
  'export interface BootstrapRule { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] }',
  'export interface BootstrapRole {',
  '  name: string;',
  '  /** Roles only. */',
  '  namespace?: string;',
  '  labels: Record<string, string>;',
  '  /** `aggregationRule.clusterRoleSelectors[].matchLabels` of an aggregated ClusterRole. */',
  '  aggregationSelectors?: Array<Record<string, string>>;',
  '  rules: BootstrapRule[];',
  '}',
  "export interface BootstrapSubject { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }",
  'export interface BootstrapBinding {',
  '  name: string;',
  '  /** RoleBindings only. */',
  '  namespace?: string;',
  "  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };",
  '  subjects: BootstrapSubject[];',
  '}',
  '',
  "const D: Record<string, string> = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };",
  '',
  '/** cluster-roles.yaml and controller-roles.yaml, by name. */',
  'export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapRole[] = [',
  ...clusterRoles.map(roleText),
  '];',
  '',
  '/** cluster-role-bindings.yaml and controller-role-bindings.yaml, by name. */',
  'export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly BootstrapBinding[] = [',
  ...clusterRoleBindings.map(bindingText),
  '];',
  '',
  '/** namespace-roles.yaml (kube-system, kube-public), by namespace and name. */',
  'export const BOOTSTRAP_ROLES: readonly BootstrapRole[] = [',
  ...roles.map(roleText),
  '];',
  '',
  '/** namespace-role-bindings.yaml, by namespace and name. */',
  'export const BOOTSTRAP_ROLE_BINDINGS: readonly BootstrapBinding[] = [',
  ...roleBindings.map(bindingText),
  '];',
  '',
];
process.stdout.write(out.join('\n'));
