/**
 * `npm run bench:policy`: the Pod Security Standards (restricted) written as ValidatingAdmissionPolicies
 * (examples/policies/pss-restricted.yaml), evaluated offline over the bench:scan corpus, against
 * bosun's built-in PSS evaluator on the same pod specs in the same run. Prints both throughputs,
 * the ratio VAP ÷ PSS (target ≤ 3) and how often the two agree on "this pod violates restricted".
 * Not a test: nothing here asserts a time.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import jsyaml from 'js-yaml';
import { writeCorpus } from './corpus.ts';
import { loadManifests } from '../src/manifests/load.ts';
import { evaluatePod, parsePssPolicy } from '../src/pss/index.ts';
import { AdmissionEnvironment } from '../src/policy/vap.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const dir = join(tmpdir(), `bosun-bench-policy-${process.pid}`);
const policyFile = new URL('../examples/policies/pss-restricted.yaml', import.meta.url);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const total = await writeCorpus(dir);
try {
  const loaded = await loadManifests([dir]);
  const workloads = loaded.resources.filter((r) => r.workload !== undefined);
  const docs = jsyaml.loadAll(await readFile(policyFile, 'utf8')).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
  const env = new AdmissionEnvironment({
    policies: docs.filter((d) => d['kind'] === 'ValidatingAdmissionPolicy'),
    bindings: docs.filter((d) => d['kind'] === 'ValidatingAdmissionPolicyBinding'),
    objects: loaded.resources.filter((r) => r.kind === 'Namespace').map((r) => r.object),
  });
  if (env.problems().length > 0) throw new Error(env.problems().join('\n'));
  const policy = parsePssPolicy('restricted:latest');

  const pss = (): boolean[] => workloads.map((r) => evaluatePod({ metadata: r.workload!.podMeta, spec: r.workload!.podSpec }, policy).length > 0);
  const vap = (): boolean[] => workloads.map((r) => !env.admit(r.object).allowed);

  pss();
  vap(); // warm-up
  const pssMs: number[] = [];
  const vapMs: number[] = [];
  let pssOut: boolean[] = [];
  let vapOut: boolean[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    pssOut = pss();
    pssMs.push(performance.now() - t);
    t = performance.now();
    vapOut = vap();
    vapMs.push(performance.now() - t);
  }
  const p = median(pssMs);
  const v = median(vapMs);
  const agree = pssOut.filter((x, i) => x === vapOut[i]).length;
  console.log(`corpus: ${total} resources, ${workloads.length} pod-bearing (${dir})`);
  console.log(`built-in PSS evaluator (restricted:latest): ${p.toFixed(0)} ms  (${Math.round((workloads.length / p) * 1000)} pods/s, ${pssOut.filter(Boolean).length} violating)`);
  console.log(`PSS as ${docs.filter((d) => d['kind'] === 'ValidatingAdmissionPolicy').length} VAP policies (CEL, offline):      ${v.toFixed(0)} ms  (${Math.round((workloads.length / v) * 1000)} pods/s, ${vapOut.filter(Boolean).length} denied)`);
  console.log(`ratio VAP/PSS: ${(v / p).toFixed(2)}  (median of ${ROUNDS} rounds; target <= 3)`);
  console.log(`agreement on "violates restricted": ${agree}/${workloads.length} pods (${((100 * agree) / workloads.length).toFixed(1)}%)`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
