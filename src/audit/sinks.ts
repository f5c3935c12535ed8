/**
 * Alert sinks: stdout, a size-rotated file, and an outgoing webhook (generic JSON as Falco's
 * http_output sends it, or Slack-compatible). Every sink is bounded: the webhook keeps at most
 * `queueSize` alerts waiting and drops the oldest beyond it (counted), so a slow receiver never
 * makes bosun grow. Errors name the sink by URL origin only: webhook URLs (Slack's) and headers
 * carry secrets and are never logged.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import type { SinkConfig } from './config.ts';
import type { Metrics } from './metrics.ts';
import { parsePriority, priorityRank, type Priority } from './priority.ts';

/** An alert as sinks see it: from the rules engine or from a Falco sensor. */
export interface SinkAlert {
  rule: string;
  priority: Priority;
  source: string;
  /** Message without the time/priority prefix. */
  message: string;
  /** Falco's JSON alert, one line. */
  json: string;
  /** Falco's text line. */
  text: string;
}

export interface Sink {
  readonly name: string;
  readonly minRank: number;
  send(a: SinkAlert): void;
  /** Waits until everything accepted so far is written or delivered (or dropped). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface SinkDeps {
  metrics: Metrics;
  log: (line: string) => void;
  stdout?: NodeJS.WritableStream;
}

function minRankOf(c: { minPriority?: string | undefined }): number {
  if (c.minPriority === undefined) return 7;
  return priorityRank(parsePriority(c.minPriority) ?? 'Debug');
}

export function createSink(c: SinkConfig, deps: SinkDeps): Sink {
  switch (c.type) {
    case 'stdout':
      return streamSink('stdout', deps.stdout ?? process.stdout, c.format ?? 'falco-json', minRankOf(c));
    case 'file':
      return fileSink(c.path, c.format ?? 'falco-json', c.maxBytes ?? 100 * 1024 * 1024, c.maxFiles ?? 5, minRankOf(c), deps);
    case 'webhook':
      return webhookSink(c.url, c.format ?? 'json', c.headers ?? {}, c.timeoutMs ?? 5000, c.queueSize ?? 1000, minRankOf(c), deps);
  }
}

function line(a: SinkAlert, format: 'falco-json' | 'falco-text'): string {
  return `${format === 'falco-json' ? a.json : a.text}\n`;
}

function streamSink(name: string, out: NodeJS.WritableStream, format: 'falco-json' | 'falco-text', minRank: number): Sink {
  return {
    name,
    minRank,
    send: (a) => {
      out.write(line(a, format));
    },
    flush: () =>
      new Promise<void>((resolve) => {
        out.write('', () => resolve());
      }),
    close: async () => {},
  };
}

/** Appends lines; when the next line would pass maxBytes: path.(n-1) → path.n …, path → path.1. */
function fileSink(path: string, format: 'falco-json' | 'falco-text', maxBytes: number, maxFiles: number, minRank: number, deps: SinkDeps): Sink {
  let stream: WriteStream | undefined;
  let size = 0;
  let chain: Promise<void> = Promise.resolve();
  const open = async (): Promise<void> => {
    try {
      size = (await stat(path)).size;
    } catch {
      size = 0;
    }
    stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    stream.on('error', (err) => {
      deps.metrics.inc('bosun_audit_sink_errors_total', { sink: 'file' });
      deps.log(`file sink ${path}: ${err.message}`);
    });
  };
  const end = (): Promise<void> =>
    new Promise((resolve) => {
      if (stream === undefined) return resolve();
      stream.end(() => resolve());
      stream = undefined;
    });
  const rotate = async (): Promise<void> => {
    await end();
    for (let i = maxFiles - 1; i >= 1; i--) {
      await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => undefined);
    }
    await rename(path, `${path}.1`).catch(() => undefined);
    await open();
  };
  return {
    name: `file:${path}`,
    minRank,
    send: (a) => {
      const text = line(a, format);
      const bytes = Buffer.byteLength(text);
      chain = chain.then(async () => {
        if (stream === undefined) await open();
        if (size > 0 && size + bytes > maxBytes) await rotate();
        size += bytes;
        stream!.write(text);
      });
    },
    flush: async () => {
      await chain;
      await new Promise<void>((resolve) => (stream === undefined ? resolve() : stream.write('', () => resolve())));
    },
    close: async () => {
      await chain;
      await end();
    },
  };
}

/**
 * Why a delivery failed, without echoing anything from the request: fetch's own messages can
 * quote header values (tokens), so only status, timeout or the network error code is kept.
 */
function deliveryError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  if (typeof e.message === 'string' && /^HTTP \d{3}$/.test(e.message)) return e.message;
  return e.cause?.code ?? e.name ?? 'error';
}

/** Slack incoming-webhook body: one line of text. */
export function slackBody(a: SinkAlert): string {
  const icon = priorityRank(a.priority) <= 3 ? ':rotating_light:' : priorityRank(a.priority) <= 4 ? ':warning:' : ':information_source:';
  return JSON.stringify({ text: `${icon} *${a.priority}* ${a.rule}: ${a.message}` });
}

function webhookSink(url: string, format: 'json' | 'slack', headers: Record<string, string>, timeoutMs: number, queueSize: number, minRank: number, deps: SinkDeps): Sink {
  const origin = new URL(url).origin;
  const name = `webhook:${origin}`;
  const queue: SinkAlert[] = [];
  let running: Promise<void> | undefined;
  const deliver = async (a: SinkAlert): Promise<void> => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: format === 'slack' ? slackBody(a) : a.json,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      deps.metrics.inc('bosun_audit_sink_errors_total', { sink: name });
      deps.log(`${name}: delivery failed (${deliveryError(err, timeoutMs)})`);
    }
  };
  const pump = (): void => {
    if (running !== undefined) return;
    running = (async () => {
      while (queue.length > 0) await deliver(queue.shift()!);
      running = undefined;
    })();
  };
  return {
    name,
    minRank,
    send: (a) => {
      if (queue.length >= queueSize) {
        queue.shift();
        deps.metrics.inc('bosun_audit_alerts_dropped_total', { reason: 'sink_queue_full', sink: name });
      }
      queue.push(a);
      pump();
    },
    flush: async () => {
      while (running !== undefined) await running;
    },
    close: async () => {
      while (running !== undefined) await running;
    },
  };
}

/**
 * Per-rule token buckets and a dedup window in front of the sinks. Both are bounded: the dedup
 * map forgets its oldest keys beyond `maxKeys`.
 */
export class AlertGate {
  private readonly windowMs: number | undefined;
  private readonly perMs: number | undefined;
  private readonly burst: number;
  private readonly seen = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxKeys: number;

  constructor(options: { dedupWindowSeconds?: number | undefined; perRulePerMinute?: number | undefined; burst?: number | undefined; maxKeys?: number }) {
    this.windowMs = options.dedupWindowSeconds === undefined ? undefined : options.dedupWindowSeconds * 1000;
    this.perMs = options.perRulePerMinute === undefined ? undefined : options.perRulePerMinute / 60000;
    this.burst = options.burst ?? Math.max(1, Math.ceil(options.perRulePerMinute ?? 1));
    this.maxKeys = options.maxKeys ?? 100000;
  }

  /** `undefined` to send, or why the alert is dropped. */
  check(a: SinkAlert, now: number): 'dedup' | 'rate_limit' | undefined {
    if (this.windowMs !== undefined) {
      const key = `${a.rule}\u0000${a.message}`;
      const until = this.seen.get(key);
      if (until !== undefined && until > now) return 'dedup';
      this.seen.delete(key);
      this.seen.set(key, now + this.windowMs);
      if (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value!);
    }
    if (this.perMs !== undefined) {
      let b = this.buckets.get(a.rule);
      if (b === undefined) {
        b = { tokens: this.burst, at: now };
        this.buckets.set(a.rule, b);
        if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      }
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
      b.at = now;
      if (b.tokens < 1) return 'rate_limit';
      b.tokens -= 1;
    }
    return undefined;
  }
}
