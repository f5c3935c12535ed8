/**
 * The HTTPS server of `bosun admission serve`: POST /validate (AdmissionReview), GET /healthz,
 * /readyz, /metrics. What it guards against:
 * - bodies over `maxBodyBytes` (413, refused from Content-Length before reading when it can),
 * - slow clients: `headersTimeoutMs` for the headers, `requestTimeoutMs` for the whole request,
 * - floods: more than `maxInFlight` reviews being evaluated → 429 at once, not a queue,
 * - certificate rotation: the key pair is re-read when the files change (watch + poll) and
 *   swapped in with setSecureContext; open connections keep theirs, and a half-written pair
 *   (cert and key that do not match) is ignored until the pair is whole again,
 * - shutdown: stop accepting, /readyz turns 503, in-flight reviews finish, then connections close.
 * Logs are one JSON object per line with the review's uid, kind, namespace, name, decision and
 * rule IDs; request headers (bearer tokens) and userInfo.extra are never logged.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { AdmissionMetrics } from './metrics.ts';
import type { AdmissionPipeline } from './pipeline.ts';
import { decodeReview, encodeReview, ReviewDecodeError } from './review.ts';

export interface ServeOptions {
  pipeline: AdmissionPipeline;
  tlsCertFile: string;
  tlsKeyFile: string;
  /** Default 127.0.0.1; in a pod, pass 0.0.0.0 (the install manifests do). */
  host?: string;
  /** Default 8443; 0 picks a free port. */
  port?: number;
  /** Default 3 MiB: etcd stores objects up to 1.5 MiB, and UPDATE carries two of them. */
  maxBodyBytes?: number;
  /** Default 5000 ms. */
  headersTimeoutMs?: number;
  /** Default 10000 ms (the webhook timeout is at most 30 s and usually 5–10 s). */
  requestTimeoutMs?: number;
  /** Default 256. */
  maxInFlight?: number;
  /** How often the certificate files are compared with the ones in use (default 10000 ms). */
  certPollMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface AdmissionServer {
  readonly server: Server;
  readonly port: number;
  readonly metrics: AdmissionMetrics;
  /** Re-reads the key pair now; resolves to true when a new pair was installed. */
  reloadCertificates(): Promise<boolean>;
  /** Graceful stop: refuse new work, finish in-flight reviews (up to `graceMs`, default 10000), close. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULTS = { host: '127.0.0.1', port: 8443, maxBodyBytes: 3 * 1024 * 1024, headersTimeoutMs: 5000, requestTimeoutMs: 10000, maxInFlight: 256, certPollMs: 10000 } as const;

interface KeyPair {
  cert: Buffer;
  key: Buffer;
  fingerprint: string;
}

async function readKeyPair(certFile: string, keyFile: string): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { cert, key, fingerprint: createHash('sha256').update(cert).update('\0').update(key).digest('hex') };
}

export async function startAdmissionServer(options: ServeOptions): Promise<AdmissionServer> {
  const o = { ...DEFAULTS, ...options };
  const log = options.log ?? (() => {});
  const metrics = new AdmissionMetrics();
  let pair = await readKeyPair(o.tlsCertFile, o.tlsKeyFile);
  const tlsOptions = (p: KeyPair): SecureContextOptions => ({ cert: p.cert, key: p.key, minVersion: 'TLSv1.2' });
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  const server = createServer({ ...tlsOptions(pair), requestTimeout: o.requestTimeoutMs, headersTimeout: o.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs) }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      // Never crash on one request: answer 500 if we still can, and log without the request.
      log({ level: 'error', msg: 'request failed', error: (err as Error).message });
      if (!res.headersSent) text(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return text(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/readyz') return draining ? text(res, 503, 'shutting down\n') : text(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/metrics') {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      return text(res, 200, metrics.render(options.pipeline.signatures.cache.stats(), options.pipeline.signatures.metrics.registryErrors, inFlight));
    }
    if (path !== '/validate') return bad(res, 404, 'not found');
    if (req.method !== 'POST') return bad(res, 405, 'use POST');
    if (draining) return bad(res, 503, 'shutting down');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > o.maxBodyBytes) return tooLarge(req, res);
    if (inFlight >= o.maxInFlight) {
      metrics.rejectedOverload++;
      res.setHeader('Retry-After', '1');
      req.resume();
      return text(res, 429, 'too many reviews in flight\n');
    }
    inFlight++;
    try {
      await review(req, res);
    } finally {
      inFlight--;
      if (draining && inFlight === 0) drained?.();
    }
  }

  async function review(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, o.maxBodyBytes);
    if (body === 'too-large') return tooLarge(req, res);
    if (body === undefined) return; // client went away
    const started = process.hrtime.bigint();
    let decoded;
    try {
      decoded = decodeReview(body);
    } catch (err) {
      if (!(err instanceof ReviewDecodeError)) throw err;
      log({ level: 'warn', msg: 'bad admission review', code: err.code, error: err.message });
      return bad(res, 400, err.message);
    }
    const { request } = decoded;
    let decision;
    try {
      decision = await options.pipeline.decide(request);
    } catch (err) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.recordDecision('error', seconds);
      log({ level: 'error', msg: 'evaluation failed', uid: request.uid, error: (err as Error).message });
      // Answer the review: the apiserver then shows the reason instead of a webhook call failure.
      return json(res, 200, encodeReview(decoded.apiVersion, { uid: request.uid, allowed: false, status: { code: 500, message: `bosun: internal error evaluating the request: ${(err as Error).message}` } }));
    }
    json(res, 200, encodeReview(decoded.apiVersion, { uid: request.uid, ...decision.response }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.recordDecision(decision.response.allowed ? 'allowed' : 'denied', seconds);
    metrics.recordViolations('enforce', decision.enforced);
    metrics.recordViolations('warn', decision.warned);
    metrics.recordViolations('audit', decision.audited);
    log({
      level: 'info',
      msg: 'admission review',
      uid: request.uid,
      operation: request.operation,
      kind: request.kind.kind,
      namespace: request.namespace,
      name: request.name,
      dryRun: request.dryRun,
      allowed: decision.response.allowed,
      enforced: decision.enforced,
      warned: decision.warned,
      audited: decision.audited,
      ...(decision.skipped !== undefined && { skipped: decision.skipped }),
      ms: Math.round(seconds * 1e6) / 1e3,
    });
  }

  function bad(res: ServerResponse, code: number, message: string): void {
    metrics.badRequests++;
    text(res, code, `${message}\n`);
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    metrics.badRequests++;
    res.setHeader('Connection', 'close');
    text(res, 413, `request body larger than ${o.maxBodyBytes} bytes\n`);
    req.destroy();
  }

  // ── certificate reload ───────────────────────────────────────────────────────────────────
  async function reloadCertificates(): Promise<boolean> {
    let next: KeyPair;
    try {
      next = await readKeyPair(o.tlsCertFile, o.tlsKeyFile);
      if (next.fingerprint === pair.fingerprint) return false;
      createSecureContext(tlsOptions(next)); // throws when cert and key do not match (rotation half done)
    } catch (err) {
      metrics.certReloadErrors++;
      log({ level: 'warn', msg: 'certificate reload failed; keeping the current pair', error: (err as Error).message });
      return false;
    }
    server.setSecureContext(tlsOptions(next));
    pair = next;
    metrics.certReloads++;
    log({ level: 'info', msg: 'serving certificate reloaded' });
    return true;
  }
  const poll = setInterval(() => void reloadCertificates(), o.certPollMs);
  poll.unref();
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(o.tlsCertFile), dirname(o.tlsKeyFile)])) {
    try {
      // Secret volumes swap a `..data` symlink: watch the directory, not the file.
      const w = watch(dir, () => void reloadCertificates());
      w.on('error', () => w.close());
      w.unref();
      watchers.push(w);
    } catch {
      // polling still covers it
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  log({ level: 'info', msg: 'listening', host: o.host, port });

  async function close(graceMs = 10_000): Promise<void> {
    draining = true;
    clearInterval(poll);
    for (const w of watchers) w.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())]);
    }
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 100).unref();
    await closed;
  }

  return { server, port, metrics, reloadCertificates, close };
}

/** The body as text; 'too-large' past the limit; undefined if the client aborted. */
function readBody(req: IncomingMessage, max: number): Promise<string | 'too-large' | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: string | 'too-large' | undefined): void => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish(undefined));
    req.on('close', () => finish(undefined));
  });
}

function text(res: ServerResponse, code: number, body: string): void {
  if (res.headersSent) return;
  res.statusCode = code;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

function json(res: ServerResponse, code: number, body: string): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.end(body);
}
