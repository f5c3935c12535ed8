/**
 * `npm run bench:scan`: scanManifests vs parsing the same files with the same YAML parser alone,
 * in the same process and run. Prints resources/s, the ratio scan ÷ parse, and peak RSS.
 * Not a test: nothing here asserts a time.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import jsyaml from 'js-yaml';
import { scanManifests } from '../src/scan.ts';
import { KUBERNETES_SCHEMA } from '../src/manifests/yaml.ts';
import { writeCorpus } from './corpus.ts';
import { loadManifests } from '../src/manifests/load.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const dir = join(tmpdir(), `bosun-bench-corpus-${process.pid}`);

async function parseOnly(): Promise<number> {
  let docs = 0;
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    jsyaml.loadAll(text, () => docs++, { schema: KUBERNETES_SCHEMA });
  }
  return docs;
}

let findings = 0;
async function scanOnce(): Promise<number> {
  const report = await scanManifests([dir], { config: false });
  findings = report.findings.length;
  return report.summary.resources;
}

/** bosun's loader alone: the same parser, its guards, resources and pod specs (positions are read later, for findings). */
async function loadOnce(): Promise<number> {
  return (await loadManifests([dir])).resources.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Garbage-collection pause time so far (PerformanceObserver `gc` entries). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

/** Wall time, CPU time of the process (all its threads: the parallel GC's too), which other load on the machine disturbs less, and GC pauses. */
async function time(fn: () => Promise<number>): Promise<{ ms: number; cpu: number; gc: number; count: number }> {
  await new Promise((r) => setTimeout(r, 0)); // let the observer take the previous run's entries
  const g0 = gcMs;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const count = await fn();
  const c = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 0));
  return { ms, cpu: (c.user + c.system) / 1000, gc: gcMs - g0, count };
}

const resources = await writeCorpus(dir);
try {
  const parseMs: number[] = [];
  const loadMs: number[] = [];
  const scanMs: number[] = [];
  const parseCpu: number[] = [];
  const scanCpu: number[] = [];
  const parseGc: number[] = [];
  const scanGc: number[] = [];
  let scanned = 0;
  await parseOnly(); // warm-up: JIT and page cache for both paths
  await scanOnce();
  for (let r = 0; r < ROUNDS; r++) {
    const p = await time(parseOnly);
    const l = await time(loadOnce);
    const s = await time(scanOnce);
    loadMs.push(l.ms);
    if (p.count !== resources || s.count !== resources) throw new Error(`expected ${resources} resources, parsed ${p.count}, scanned ${s.count}`);
    parseMs.push(p.ms);
    scanMs.push(s.ms);
    parseCpu.push(p.cpu);
    scanCpu.push(s.cpu);
    parseGc.push(p.gc);
    scanGc.push(s.gc);
    scanned = s.count;
  }
  const parse = median(parseMs);
  const load = median(loadMs);
  const scan = median(scanMs);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`corpus: ${resources} resources in 200 files (${dir})`);
  console.log(`parse only (js-yaml loadAll, same schema): ${parse.toFixed(0)} ms  (${Math.round((resources / parse) * 1000)} resources/s)`);
  console.log(`load (parse, resources):      ${load.toFixed(0)} ms  (${Math.round((resources / load) * 1000)} resources/s)`);
  console.log(`scanManifests:                ${scan.toFixed(0)} ms  (${Math.round((scanned / scan) * 1000)} resources/s, ${findings} findings)`);
  console.log(`ratio scan/parse: ${(scan / parse).toFixed(2)}  (load/parse ${(load / parse).toFixed(2)}; median of ${ROUNDS} rounds; target <= 1.5)`);
  console.log(`CPU time: parse ${median(parseCpu).toFixed(0)} ms, scan ${median(scanCpu).toFixed(0)} ms, ratio ${(median(scanCpu) / median(parseCpu)).toFixed(2)}  (load avg ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  console.log(`GC pauses: parse ${median(parseGc).toFixed(0)} ms, scan ${median(scanGc).toFixed(0)} ms`);
  console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB${process.env['BENCH_HARDEN'] === '1' ? '  (BENCH_HARDEN=1: every container hardened)' : ''}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
