/**
 * `npm run bench:rbac`: a deterministic set of 1,000 roles and 5,000 bindings (RoleBindings in
 * 100 namespaces, ClusterRoleBindings, users, groups, service accounts, aggregated ClusterRoles,
 * default-role references), then 100 `who-can` queries (mixed verbs, resources, subresources,
 * namespaces), 100 `can` queries and the escalation paths. Baseline in the same run: one pass
 * over every rule of every binding doing a verb comparison only. Prints per-query times and peak
 * RSS. Target: each who-can query ≤ 10 ms. Not a test: nothing here asserts a time.
 */
import { loadManifests } from '../src/manifests/load.ts';
import { ManifestIndex } from '../src/manifests/index-set.ts';
import { buildRbacModel, canI, escalationPaths, whoCan, type AccessQuery } from '../src/rbac/index.ts';

const ROLES = 1000;
const BINDINGS = 5000;
const NAMESPACES = 100;
const RESOURCES: Array<[string, string]> = [['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['', 'services'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['batch', 'jobs'], ['networking.k8s.io', 'networkpolicies'], ['', 'pods/exec'], ['', 'pods/log'], ['rbac.authorization.k8s.io', 'rolebindings'], ['example.com', 'widgets']];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

function objects(): unknown[] {
  const docs: unknown[] = [];
  for (let n = 0; n < NAMESPACES; n++) docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
  for (let i = 0; i < ROLES; i++) {
    const rules = [0, 1, 2].map((k) => {
      const [group, resource] = pick(RESOURCES, i * 3 + k);
      return { apiGroups: [group], resources: [resource], verbs: VERBS.slice(0, 1 + ((i + k) % VERBS.length)), ...(i % 17 === 0 && { resourceNames: [`obj-${i}`] }) };
    });
    if (i % 50 === 0) rules.push({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    const cluster = i % 4 === 0;
    docs.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: cluster ? 'ClusterRole' : 'Role',
      metadata: { name: `role-${i}`, ...(cluster ? { labels: { 'example.com/aggregate-to-ops': i % 8 === 0 ? 'true' : 'false' } } : { namespace: `ns-${i % NAMESPACES}` }) },
      rules,
    });
  }
  docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'ops' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } });
  for (let b = 0; b < BINDINGS; b++) {
    const roleIndex = (b * 7) % ROLES;
    const roleIsCluster = roleIndex % 4 === 0;
    const clusterBinding = roleIsCluster && b % 10 === 0;
    const ns = roleIsCluster ? `ns-${b % NAMESPACES}` : `ns-${roleIndex % NAMESPACES}`;
    const roleRef = b % 97 === 0 ? { kind: 'ClusterRole', name: pick(['edit', 'view', 'admin', 'ops'], b) } : { kind: roleIsCluster ? 'ClusterRole' : 'Role', name: `role-${roleIndex}` };
    const subjects = [
      { kind: 'User', name: `user-${b % 700}` },
      { kind: 'Group', name: `group-${b % 90}` },
      { kind: 'ServiceAccount', name: `sa-${b % 40}`, namespace: `ns-${(b * 3) % NAMESPACES}` },
    ].slice(0, 1 + (b % 3));
    docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: clusterBinding ? 'ClusterRoleBinding' : 'RoleBinding', metadata: { name: `binding-${b}`, ...(!clusterBinding && { namespace: ns }) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...(clusterBinding && roleRef.kind === 'Role' ? { kind: 'ClusterRole', name: 'view' } : roleRef) }, subjects });
  }
  return docs;
}

function queries(): AccessQuery[] {
  return Array.from({ length: 100 }, (_, i) => {
    const [group, resource] = pick(RESOURCES, i * 5);
    const res = group === '' ? resource : `${resource.split('/')[0]}.${group}${resource.includes('/') ? `/${resource.split('/')[1]}` : ''}`;
    return { verb: pick(VERBS, i), resource: res, ...(i % 3 !== 0 && { namespace: `ns-${i % NAMESPACES}` }), ...(i % 11 === 0 && { name: `obj-${i}` }) };
  });
}

const t0 = performance.now();
const loaded = await loadManifests([{ name: 'bench-rbac.json', content: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects() }) }]);
const tLoad = performance.now();
const model = buildRbacModel(new ManifestIndex(loaded.resources));
const tModel = performance.now();

const qs = queries();
// One untimed pass first: the timed pass measures steady state, not JIT warm-up.
for (const q of qs) whoCan(model, q);
const times: number[] = [];
let subjects = 0;
for (const q of qs) {
  const s = performance.now();
  subjects += whoCan(model, q).subjects.length;
  times.push(performance.now() - s);
}
const tCan0 = performance.now();
let yes = 0;
qs.forEach((q, i) => (yes += canI(model, { kind: 'User', name: `user-${(i * 13) % 700}` }, q).allowed ? 1 : 0));
const tCan = performance.now() - tCan0;
const tPaths0 = performance.now();
const paths = escalationPaths(model).paths.length;
const tPaths = performance.now() - tPaths0;

// Baseline: every rule of every binding's role, one verb comparison per query.
const tBase0 = performance.now();
let sink = 0;
for (const q of qs) for (const b of model.bindings) for (const r of b.role?.rules ?? []) if (r.verbs[0] === q.verb) sink++;
const tBase = (performance.now() - tBase0) / qs.length;

times.sort((a, b) => a - b);
const total = times.reduce((a, b) => a + b, 0);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`rbac bench: ${[...model.roles.values()].filter((r) => r.origin === 'input').length} roles, ${model.bindings.filter((b) => b.origin === 'input').length} bindings, ${model.namespaces.length} namespaces`);
console.log(`  load ${(tLoad - t0).toFixed(0)} ms, model build (aggregation, defaults) ${(tModel - tLoad).toFixed(0)} ms`);
console.log(`  who-can × ${qs.length}: mean ${(total / qs.length).toFixed(2)} ms, p50 ${times[49]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms (target ≤ 10 ms each); ${subjects} subjects found`);
console.log(`  baseline (verb compare over every rule): ${tBase.toFixed(2)} ms per query → who-can ÷ baseline = ${(total / qs.length / tBase).toFixed(1)}× (sink ${sink})`);
console.log(`  can × ${qs.length}: ${(tCan / qs.length).toFixed(2)} ms each (${yes} allowed)`);
console.log(`  escalation paths to cluster-admin: ${paths} paths in ${tPaths.toFixed(0)} ms`);
console.log(`  peak RSS: ${rss.toFixed(0)} MB`);
