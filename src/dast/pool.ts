/**
 * A small pool of worker threads that run the passive rules, so the spider's thread only does
 * HTTP and link discovery: on a fast target the rules cost more CPU than the fetching.
 * The pool starts on first use and is kept for the life of the process, but holds it open only
 * while analyses are pending (workers are unref'd when idle).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RuleResults, WireMessage } from './analyze.ts';
import type { RuleConfig } from './config.ts';
import type { ToWorker } from './worker.ts';

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (a: RuleResults) => void; reject: (e: Error) => void }>;
}

let workers: PoolWorker[] | undefined;
let nextJob = 0;
let nextSession = 0;

/** Workers to use: one core stays with the spider. */
export function poolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

function start(): PoolWorker[] {
  const file = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  return Array.from({ length: poolSize() }, () => {
    const pw: PoolWorker = { worker: new Worker(file), pending: new Map() };
    pw.worker.unref();
    // An unref before the thread is online does not hold; repeat it once it is.
    pw.worker.on('online', () => {
      if (pw.pending.size === 0) pw.worker.unref();
    });
    pw.worker.on('message', (m: { job: number; analysis: RuleResults }) => {
      const p = pw.pending.get(m.job);
      pw.pending.delete(m.job);
      if (pw.pending.size === 0) pw.worker.unref();
      p?.resolve(m.analysis);
    });
    const fail = (err: Error): void => {
      for (const p of pw.pending.values()) p.reject(err);
      pw.pending.clear();
      workers = undefined;
    };
    pw.worker.on('error', fail);
    pw.worker.on('exit', (code) => fail(new Error(`DAST analysis worker exited with code ${code}`)));
    return pw;
  });
}

export interface PoolSession {
  analyze(message: WireMessage): Promise<RuleResults>;
  /** Analyses posted and not answered yet. */
  pending(): number;
  end(): void;
}

export function openSession(ruleIds: string[], config: RuleConfig, submitForms: boolean): PoolSession {
  workers ??= start();
  const mine = workers;
  const session = nextSession++;
  const post = (pw: PoolWorker, m: ToWorker): void => pw.worker.postMessage(m);
  for (const pw of mine) post(pw, { type: 'session', session, ruleIds, config, submitForms });
  return {
    pending: () => mine.reduce((n, pw) => n + pw.pending.size, 0),
    analyze(message) {
      const pw = mine.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const job = nextJob++;
      return new Promise<RuleResults>((resolve, reject) => {
        if (pw.pending.size === 0) pw.worker.ref();
        pw.pending.set(job, { resolve, reject });
        post(pw, { type: 'analyze', session, job, message });
      });
    },
    end() {
      for (const pw of mine) {
        post(pw, { type: 'end', session });
        if (pw.pending.size === 0) pw.worker.unref();
      }
    },
  };
}
