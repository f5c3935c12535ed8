/**
 * `npm run bench:netpol`: a deterministic cluster of 2,000 pods in 50 namespaces with 500
 * NetworkPolicies (default denies, pod and namespace selectors, named ports, ipBlocks); times the
 * model build and the full pod × pod matrix for two ports (8,000,000 verdicts), against a same-run
 * baseline: one pass over every pair doing nothing but a label lookup; also the JSON rendering.
 * Prints peak RSS.
 * Target: matrix ≤ 2 s. Not a test: nothing here asserts a time.
 */
import { loadManifests } from '../src/manifests/load.ts';
import { ManifestIndex } from '../src/manifests/index-set.ts';
import { NetpolEvaluator, buildNetpolModel, computeMatrix, renderMatrix } from '../src/netpol/index.ts';

const NAMESPACES = 50;
const PODS_PER_NS = 40;
const POLICIES_PER_NS = 10;
const TIERS = ['web', 'api', 'db', 'cache'];

function cluster(): string {
  const docs: unknown[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `team-${n % 5}`, env: n % 2 === 0 ? 'prod' : 'dev' } } });
    for (let p = 0; p < PODS_PER_NS; p++) {
      docs.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `pod-${p}`, namespace: ns, labels: { app: `app-${p % 10}`, tier: TIERS[p % 4] } },
        spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
        status: { podIP: `10.${n}.${Math.floor(p / 200)}.${(p % 200) + 1}` },
      });
    }
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    for (let i = 1; i < POLICIES_PER_NS; i++) {
      docs.push({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `allow-${i}`, namespace: ns },
        spec: {
          podSelector: { matchLabels: { app: `app-${i}` } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: [{ podSelector: { matchLabels: { tier: TIERS[i % 4] } } }], ports: [{ port: 'http' }] },
            { from: [{ namespaceSelector: { matchLabels: { team: `team-${i % 5}` } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] } }], ports: [{ port: 8080, endPort: 8090 }] },
          ],
          egress: [
            { to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
            { to: [{ ipBlock: { cidr: `10.${i}.0.0/16`, except: [`10.${i}.0.0/24`] } }] },
          ],
        },
      });
    }
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs });
}

const t0 = performance.now();
const loaded = await loadManifests([{ name: 'bench-cluster.json', content: cluster() }]);
const tLoad = performance.now();
const model = buildNetpolModel(new ManifestIndex(loaded.resources));
const ev = new NetpolEvaluator(model);
const tModel = performance.now();
const ports = [{ port: 8080, protocol: 'TCP' as const }, { port: 9090, protocol: 'TCP' as const }];
const matrix = computeMatrix(ev, ports);
const tMatrix = performance.now();

// Baseline: touch every (from, to, port) cell with a label read, no policy logic.
let sink = 0;
const tBase0 = performance.now();
for (const a of model.pods) for (const b of model.pods) for (const p of ports) sink += a.labels['tier'] === b.labels['tier'] && p.port > 0 ? 1 : 0;
const tBase = performance.now() - tBase0;

let allowed = 0;
for (const v of matrix.cells) allowed += v;
const tJson0 = performance.now();
const json = renderMatrix(matrix, 'json');
const tJson = performance.now() - tJson0;
const cells = model.pods.length ** 2 * ports.length;
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`netpol bench: ${model.pods.length} pods, ${model.namespaces.size} namespaces, ${model.policies.length} policies, ${ports.length} ports`);
console.log(`  load (JSON → resources):  ${(tLoad - t0).toFixed(0)} ms`);
console.log(`  model build:              ${(tModel - tLoad).toFixed(0)} ms`);
console.log(`  matrix (${cells.toLocaleString('en')} verdicts): ${(tMatrix - tModel).toFixed(0)} ms  (target ≤ 2000 ms)  ${allowed.toLocaleString('en')} allowed`);
console.log(`  baseline pass over the same cells: ${tBase.toFixed(0)} ms  → matrix ÷ baseline = ${((tMatrix - tModel) / tBase).toFixed(1)}× (sink ${sink})`);
console.log(`  JSON rendering ({ ports, matrix }, ${(json.length / 1e6).toFixed(0)} MB): ${tJson.toFixed(0)} ms`);
console.log(`  peak RSS: ${rss.toFixed(0)} MB`);
