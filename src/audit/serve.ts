/**
 * `bosun audit serve`: the endpoint the API server's audit webhook posts to, compatible with
 * Falco's k8saudit plugin (POST `/k8s-audit`, `Content-Type` containing application/json, 405 for
 * other methods, 400 for other types and oversized bodies, 200 before parsing), plus `/falco` for
 * Falco's http_output alerts, `/metrics` (Prometheus) and `/healthz`.
 *
 * Backpressure: accepted bodies wait in one bounded queue (`queueSize` bodies, `maxQueueBytes`
 * bytes, counting a body's declared length); when it is full a request
 * is refused with 429 and `Retry-After` before its body is read, so memory stays bounded under
 * overload (the API server's batch backend retries). Alerts pass dedup and per-rule rate limits,
 * then go to every sink. `close()` stops accepting, drains the queue and flushes the sinks.
 * Binds 127.0.0.1 unless told otherwise; a bearer token, when configured, is compared in constant
 * time and never logged.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createEngine, type AuditEngine } from './engine.ts';
import { decodeDocument } from './event.ts';
import { isoTime } from './fields.ts';
import type { Ruleset } from './loader.ts';
import { auditMetrics, type Metrics } from './metrics.ts';
import { falcoJson, type FalcoAlert } from './output.ts';
import { parsePriority, priorityRank } from './priority.ts';
import { AlertGate, type Sink, type SinkAlert } from './sinks.ts';
import type { RuleMatching } from './engine.ts';
import type { Priority } from './priority.ts';

export const DEFAULT_AUDIT_PORT = 9765;
export const DEFAULT_MAX_BODY_BYTES = 12 * 1024 * 1024;

export interface AuditServeOptions {
  ruleset: Ruleset;
  sinks: Sink[];
  host?: string;
  port?: number;
  /** Path of the audit webhook endpoint (default /k8s-audit, as Falco's). */
  auditPath?: string;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Bearer token intake requests must carry. */
  token?: string;
  maxBodyBytes?: number;
  maxEventSize?: number;
  /** Bodies waiting for the engine before requests are shed with 429. Default 64. */
  queueSize?: number;
  /** Bytes of bodies waiting before requests are shed with 429. Default 128 MiB. */
  maxQueueBytes?: number;
  ruleMatching?: RuleMatching;
  minPriority?: Priority;
  utc?: boolean;
  hostname?: string;
  dedupWindowSeconds?: number;
  perRulePerMinute?: number;
  burst?: number;
  log?: (line: string) => void;
  /** Shared with the sinks so their errors show on /metrics. */
  metrics?: Metrics;
  /** Accept and queue bodies but evaluate nothing until `resume()` (tests, warm-up). */
  paused?: boolean;
}

export interface AuditServer {
  url: string;
  port: number;
  metrics: Metrics;
  /** Bodies waiting. */
  queueDepth(): number;
  /** Resolves when everything queued so far has been evaluated and handed to the sinks. */
  idle(): Promise<void>;
  /** Starts evaluating after `paused: true`. */
  resume(): void;
  close(): Promise<void>;
}

type Job = { kind: 'audit'; body: string; bytes: number } | { kind: 'falco'; alert: SinkAlert; bytes: number };

export async function startAuditServer(options: AuditServeOptions): Promise<AuditServer> {
  const log = options.log ?? ((l: string) => process.stderr.write(`bosun audit serve: ${l}\n`));
  const metrics = options.metrics ?? auditMetrics();
  const maxBody = options.maxBodyBytes ?? 12 * 1024 * 1024;
  const queueSize = options.queueSize ?? 64;
  const maxQueueBytes = options.maxQueueBytes ?? 128 * 1024 * 1024;
  let queueBytes = 0;
  /** Declared sizes of bodies being read: reserved so concurrent uploads cannot overrun the bound. */
  let inflightBytes = 0;
  const engine: AuditEngine = createEngine(options.ruleset, {
    ...(options.ruleMatching !== undefined && { ruleMatching: options.ruleMatching }),
    ...(options.minPriority !== undefined && { minPriority: options.minPriority }),
    ...(options.hostname !== undefined && { hostname: options.hostname }),
    utc: options.utc === true,
  });
  const gate = new AlertGate({ dedupWindowSeconds: options.dedupWindowSeconds, perRulePerMinute: options.perRulePerMinute, burst: options.burst });
  const queue: Job[] = [];
  let eventNum = 0;
  let working: Promise<void> | undefined;
  let closing = false;
  let paused = options.paused === true;
  metrics.gauge('bosun_audit_queue_depth', 'Request bodies waiting for the engine.', () => queue.length);
  metrics.gauge('bosun_audit_queue_capacity', 'Queue capacity; beyond it requests get 429.', () => queueSize);
  metrics.gauge('bosun_audit_queue_bytes', 'Bytes of request bodies waiting for the engine.', () => queueBytes);

  const dispatch = (a: SinkAlert): void => {
    metrics.inc('bosun_audit_alerts_total', { rule: a.rule, priority: a.priority, source: a.source });
    const dropped = gate.check(a, Date.now());
    if (dropped !== undefined) {
      metrics.inc('bosun_audit_alerts_dropped_total', { reason: dropped });
      return;
    }
    const rank = priorityRank(a.priority);
    for (const s of options.sinks) if (rank <= s.minRank) s.send(a);
  };

  const runJob = (job: Job): void => {
    if (job.kind === 'falco') {
      dispatch(job.alert);
      return;
    }
    decodeDocument(
      job.body,
      (obj, raw, timeNs) => {
        metrics.inc('bosun_audit_events_total');
        try {
          for (const a of engine.process({ obj, raw, timeNs, num: ++eventNum })) dispatch(toSinkAlert(a));
        } catch (err) {
          metrics.inc('bosun_audit_parse_errors_total', { reason: 'E_AUDIT_EVAL' });
          log(`event could not be evaluated: ${(err as Error).message}`);
        }
      },
      (e) => metrics.inc('bosun_audit_parse_errors_total', { reason: e.code }),
      options.maxEventSize === undefined ? {} : { maxEventSize: options.maxEventSize },
    );
  };

  /** One job per macrotask, so requests keep being answered (and shed) while the engine works. */
  const work = (): void => {
    if (working !== undefined || paused) return;
    working = (async () => {
      while (queue.length > 0) {
        const job = queue.shift()!;
        queueBytes -= job.bytes;
        runJob(job);
        await new Promise<void>((r) => setImmediate(r));
      }
      working = undefined;
    })();
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (options.token === undefined) return true;
    const h = req.headers['authorization'];
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7));
    const want = Buffer.from(options.token);
    return given.length === want.length && timingSafeEqual(given, want);
  };

  const reply = (res: ServerResponse, path: string, code: number, body: string, headers: Record<string, string> = {}): void => {
    metrics.inc('bosun_audit_requests_total', { path, code: String(code) });
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };

  const intake = (req: IncomingMessage, res: ServerResponse, path: string, kind: 'audit' | 'falco'): void => {
    if (req.method !== 'POST') return reply(res, path, 405, 'method not allowed\n', { allow: 'POST' });
    if (!authorized(req)) return reply(res, path, 401, 'unauthorized\n', { 'www-authenticate': 'Bearer' });
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) return reply(res, path, 400, 'wrong Content-Type, expected application/json\n');
    if (closing) return reply(res, path, 503, 'shutting down\n', { connection: 'close' });
    const declared = Number(req.headers['content-length'] ?? '0');
    const waiting = queueBytes + inflightBytes;
    if (queue.length >= queueSize || (waiting > 0 && waiting + declared > maxQueueBytes)) {
      metrics.inc('bosun_audit_shed_total');
      res.setHeader('connection', 'close');
      req.resume();
      return reply(res, path, 429, 'queue full, retry later\n', { 'retry-after': '1' });
    }
    if (declared > maxBody) {
      res.setHeader('connection', 'close');
      req.resume();
      return reply(res, path, 400, `body larger than ${maxBody} bytes\n`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let reserved = declared;
    inflightBytes += reserved;
    const release = (): void => {
      inflightBytes -= reserved;
      reserved = 0;
    };
    req.on('close', release);
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > maxBody) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      release();
      if (tooLarge) return reply(res, path, 400, `body larger than ${maxBody} bytes\n`, { connection: 'close' });
      const body = Buffer.concat(chunks).toString('utf8');
      if (kind === 'falco') {
        const alert = parseFalcoAlert(body);
        if (alert === undefined) {
          metrics.inc('bosun_audit_parse_errors_total', { reason: 'E_FALCO_ALERT' });
          return reply(res, path, 400, 'not a Falco JSON alert (needs rule, priority, output)\n');
        }
        queue.push({ kind: 'falco', alert, bytes: size });
      } else {
        queue.push({ kind: 'audit', body, bytes: size });
      }
      queueBytes += size;
      work();
      reply(res, path, 200, '<html><body>Ok</body></html>\n', { 'content-type': 'text/html' });
    });
    req.on('error', () => undefined);
  };

  const auditPath = options.auditPath ?? '/k8s-audit';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === auditPath) return intake(req, res, path, 'audit');
    switch (path) {
      case '/falco':
        return intake(req, res, path, 'falco');
      case '/metrics':
        if (req.method !== 'GET') return reply(res, path, 405, 'method not allowed\n', { allow: 'GET' });
        metrics.inc('bosun_audit_requests_total', { path, code: '200' });
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(metrics.render());
        return;
      case '/healthz':
        return reply(res, path, closing ? 503 : 200, closing ? 'shutting down\n' : 'ok\n');
      default:
        req.resume();
        return reply(res, 'other', 404, 'not found\n');
    }
  };

  const server: Server = options.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  server.requestTimeout = 60000;
  server.headersTimeout = 30000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_AUDIT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const idle = async (): Promise<void> => {
    while (working !== undefined || queue.length > 0) {
      if (working === undefined) work();
      if (working === undefined) break;
      await working;
    }
    for (const s of options.sinks) await s.flush();
  };

  return {
    url,
    port,
    metrics,
    queueDepth: () => queue.length,
    idle,
    resume: () => {
      paused = false;
      work();
    },
    close: async () => {
      closing = true;
      paused = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await idle();
      await closed;
      for (const s of options.sinks) await s.close();
    },
  };
}

export function toSinkAlert(a: FalcoAlert): SinkAlert {
  return { rule: a.rule, priority: a.priority, source: a.source, message: a.message, json: falcoJson(a), text: a.output };
}

/** A Falco http_output alert (JSON with rule, priority, output); kept as sent, re-serialized compactly. */
export function parseFalcoAlert(body: string): SinkAlert | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['rule'] !== 'string' || typeof o['priority'] !== 'string' || typeof o['output'] !== 'string') return undefined;
  const priority = parsePriority(o['priority']);
  if (priority === undefined) return undefined;
  const output = o['output'];
  const message = typeof o['message'] === 'string' ? o['message'] : output.replace(/^\S+: \S+ /, '');
  const source = typeof o['source'] === 'string' ? o['source'] : 'syscall';
  const time = typeof o['time'] === 'string' ? o['time'] : isoTime(BigInt(Date.now()) * 1000000n);
  return { rule: o['rule'], priority, source, message, json: JSON.stringify({ ...o, time }), text: output };
}
