/**
 * `npm run bench:audit`: 200,000 deterministic audit events (built from the shapes of Falco's
 * k8s audit traces, with varied IDs, users, names, namespaces and times) through the engine with
 * the upstream k8s_audit_rules.yaml loaded, against `JSON.parse` of the same lines in the same
 * run. 80% of the stream is background traffic derived from the same shapes (Metadata-level reads and
 * renewals by controllers, as in a real audit log; BENCH_BACKGROUND changes the share).
 * Prints events/s for each path, the ratio engine ÷ parse, and alerts raised.
 * Not a test: nothing here asserts a time. BENCH_EVENTS and BENCH_ROUNDS override the sizes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/audit/engine.ts';
import { decodeDocument } from '../src/audit/event.ts';
import { loadRules } from '../src/audit/loader.ts';
import { scanAuditStream } from '../src/audit/scan.ts';
import { prng } from './prng.ts';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200000);
/** Share of background events (reads and renewals at Metadata level); the rest are the traces' shapes. */
const BACKGROUND = Number(process.env['BENCH_BACKGROUND'] ?? 0.8);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const FALCO = fileURLToPath(new URL('../../shared/testdata/falco/', import.meta.url));


function templates(): Record<string, unknown>[] {
  const dir = join(FALCO, 'events', 'traces');
  return readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Mostly system identities and allowed users, as on a real cluster; a few others raise alerts. */
const USERS = ['system:serviceaccount:kube-system:replicaset-controller', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:node:node-1', 'system:serviceaccount:kube-system:deployment-controller', 'minikube-user', 'kubelet', 'system:apiserver', 'alice', 'ci-deployer'];
const NAMESPACES = ['default', 'prod', 'staging', 'kube-system', 'monitoring', 'team-a'];

function makeStream(n: number): string[] {
  const rand = prng(42);
  const base = templates();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const t0 = Date.UTC(2026, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const ev = structuredClone(pick(base)) as Record<string, unknown> & { user?: { username?: string }; objectRef?: { namespace?: string; name?: string; resource?: string; subresource?: string }; verb?: string };
    if (rand() < BACKGROUND) {
      // Background traffic, as most of a real audit log: controllers reading and renewing at Metadata level.
      delete ev['requestObject'];
      delete ev['responseObject'];
      ev['level'] = 'Metadata';
      ev.verb = pick(['get', 'list', 'watch', 'update', 'patch']);
      if (ev.objectRef !== undefined) {
        ev.objectRef.resource = pick(['leases', 'endpoints', 'configmaps', 'pods', 'nodes', 'events', 'endpointslices']);
        delete ev.objectRef.subresource;
      }
    }
    ev['auditID'] = `${(i * 2654435761) >>> 0}-${i}`;
    const ts = new Date(t0 + i * 2).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
    ev['stageTimestamp'] = ts;
    ev['requestReceivedTimestamp'] = ts;
    if (ev.user !== undefined) ev.user.username = pick(USERS);
    if (ev.objectRef !== undefined) {
      if (ev.objectRef.namespace !== undefined) ev.objectRef.namespace = pick(NAMESPACES);
      if (ev.objectRef.name !== undefined) ev.objectRef.name = `${ev.objectRef.name.split('-')[0]}-${i % 977}`;
    }
    lines.push(JSON.stringify(ev));
  }
  return lines;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rules = loadRules([{ name: 'k8s_audit_rules.yaml', text: readFileSync(join(FALCO, 'rules', 'k8s_audit_rules.yaml'), 'utf8') }]);
const lines = makeStream(EVENTS);
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

function parseOnly(): number {
  let n = 0;
  for (const l of lines) if (JSON.parse(l) !== null) n++;
  return n;
}

let alerts = 0;
function engineOnce(): number {
  const engine = createEngine(rules, { hostname: 'bench', utc: true });
  let n = 0;
  alerts = 0;
  for (const l of lines) {
    decodeDocument(
      l,
      (obj, raw, timeNs) => {
        alerts += engine.process({ obj, raw, timeNs, num: ++n }).length;
      },
      () => undefined,
    );
  }
  return n;
}

/** The log as 1 MiB chunks, as a file stream delivers it (prepared once, outside the timing). */
const chunks: string[] = (() => {
  const text = `${lines.join('\n')}\n`;
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 1 << 20) out.push(text.slice(i, i + (1 << 20)));
  return out;
})();

async function streamOnce(): Promise<number> {
  const stats = await scanAuditStream(Readable.from(chunks), 'bench', createEngine(rules, { hostname: 'bench', utc: true }));
  return stats.events;
}

/** Wall time and CPU time (user + system) in ms: on a shared machine CPU time is the honest measure. */
async function time(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

parseOnly();
engineOnce();
const runs: Record<'parse' | 'engine' | 'stream', { wall: number; cpu: number }[]> = { parse: [], engine: [], stream: [] };
for (let r = 0; r < ROUNDS; r++) {
  runs.parse.push(await time(parseOnly));
  runs.engine.push(await time(engineOnce));
  runs.stream.push(await time(streamOnce));
}
const med = (k: keyof typeof runs, m: 'wall' | 'cpu'): number => median(runs[k].map((x) => x[m]));
const rate = (ms: number): string => `${Math.round((EVENTS / ms) * 1000).toLocaleString('en-US')}/s`.padStart(10);
const row = (label: string, k: keyof typeof runs): string => {
  const ratio = k === 'parse' ? '' : `   ratio ${(med(k, 'cpu') / med('parse', 'cpu')).toFixed(2)} × JSON.parse (CPU), ${(med(k, 'wall') / med('parse', 'wall')).toFixed(2)} (wall)`;
  return `  ${label.padEnd(26)} CPU ${med(k, 'cpu').toFixed(0).padStart(6)} ms ${rate(med(k, 'cpu'))}   wall ${med(k, 'wall').toFixed(0).padStart(6)} ms ${rate(med(k, 'wall'))}${ratio}`;
};
process.stdout.write(
  [
    `bosun audit bench: ${EVENTS.toLocaleString('en-US')} events (${(bytes / 1048576).toFixed(1)} MiB JSON lines), ${rules.rules.length} upstream rules, rule_matching=first, median of ${ROUNDS}`,
    row('JSON.parse only', 'parse'),
    row('decode + rules + outputs', 'engine'),
    row('streaming scan (lines)', 'stream'),
    `  alerts raised: ${alerts.toLocaleString('en-US')}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (the stream is held in memory for the run)`,
    '',
  ].join('\n'),
);
