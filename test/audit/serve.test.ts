/** `bosun audit serve`: the webhook contract, Falco alert intake, sinks, metrics, backpressure, shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startAuditServer, type AuditServeOptions, type AuditServer } from '../../src/audit/serve.ts';
import { auditMetrics } from '../../src/audit/metrics.ts';
import { createSink, type Sink, type SinkAlert } from '../../src/audit/sinks.ts';
import { EVENTS_DIR, loadTestRules, STOCK_RULES } from './helpers.ts';

const stock = loadTestRules([STOCK_RULES]);
const trace = (name: string): unknown => JSON.parse(readFileSync(join(EVENTS_DIR, 'traces', name), 'utf8').trim().split('\n')[0]!);
const eventList = (...names: string[]): string => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: names.map(trace) });

function memorySink(): Sink & { alerts: SinkAlert[] } {
  const alerts: SinkAlert[] = [];
  return { name: 'memory', minRank: 7, alerts, send: (a) => alerts.push(a), flush: async () => {}, close: async () => {} };
}

async function serve(extra: Partial<AuditServeOptions> = {}): Promise<{ server: AuditServer; sink: ReturnType<typeof memorySink>; logs: string[] }> {
  const sink = memorySink();
  const logs: string[] = [];
  const server = await startAuditServer({ ruleset: stock, sinks: [sink], port: 0, hostname: 'h', utc: true, log: (l) => logs.push(l), ...extra });
  return { server, sink, logs };
}

interface Reply {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

function send(url: string, path: string, options: { method?: string; body?: string; type?: string; headers?: Record<string, string>; ca?: Buffer } = {}): Promise<Reply> {
  const u = new URL(path, url);
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
    method: options.method ?? 'POST',
    headers: { ...(options.type !== '' && { 'content-type': options.type ?? 'application/json' }), ...options.headers },
    ...(options.ca !== undefined && { ca: options.ca }),
    agent: false,
  });
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('POST /k8s-audit with an EventList: 200, then alerts reach the sinks (Falco JSON and text)', async () => {
  const { server, sink } = await serve();
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await send(server.url, '/k8s-audit', { body: eventList('anonymous_creates_namespace_foo.json', 'create_serviceaccount.json') });
    assert.equal(r.status, 200);
    await server.idle();
    assert.deepEqual(sink.alerts.map((a) => a.rule), ['Anonymous Request Allowed', 'K8s Serviceaccount Created']);
    assert.equal(sink.alerts[0]!.text, '13:58:49.736141000: Warning Request by anonymous user allowed (user=system:anonymous verb=create uri=/api/v1/namespaces reason=))');
    const json = JSON.parse(sink.alerts[0]!.json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
    assert.equal(json['time'], '2018-10-25T13:58:49.736141000Z');
  } finally {
    await server.close();
  }
});

test('the Falco endpoint contract: 405, 400 for other content types and oversized bodies, 404 elsewhere; bad bodies are counted, still 200', async () => {
  const { server, sink } = await serve({ maxBodyBytes: 1000 });
  try {
    assert.equal((await send(server.url, '/k8s-audit', { method: 'GET' })).status, 405);
    assert.equal((await send(server.url, '/k8s-audit', { type: 'text/plain', body: '{}' })).status, 400);
    assert.equal((await send(server.url, '/k8s-audit', { type: '', body: '{}' })).status, 400);
    assert.equal((await send(server.url, '/k8s-audit', { body: 'x'.repeat(2000) })).status, 400);
    assert.equal((await send(server.url, '/nope', { method: 'GET' })).status, 404);
    assert.equal((await send(server.url, '/k8s-audit', { body: '{"kind":"Pod"}' })).status, 200);
    assert.equal((await send(server.url, '/k8s-audit', { body: 'not json' })).status, 200);
    await server.idle();
    assert.equal(sink.alerts.length, 0);
    assert.equal(server.metrics.get('bosun_audit_parse_errors_total', { reason: 'E_AUDIT_NOT_EVENT' }), 1);
    assert.equal(server.metrics.get('bosun_audit_parse_errors_total', { reason: 'E_AUDIT_JSON' }), 1);
    assert.equal(server.metrics.get('bosun_audit_requests_total', { path: '/k8s-audit', code: '400' }), 3);
  } finally {
    await server.close();
  }
});

test('a bearer token is required when configured, compared exactly, and never logged', async () => {
  const { server, logs } = await serve({ token: 's3cr3t-token' });
  try {
    assert.equal((await send(server.url, '/k8s-audit', { body: eventList('create_serviceaccount.json') })).status, 401);
    assert.equal((await send(server.url, '/k8s-audit', { body: '{}', headers: { authorization: 'Bearer s3cr3t-tokex' } })).status, 401);
    assert.equal((await send(server.url, '/k8s-audit', { body: '{}', headers: { authorization: 'Bearer s3cr3t-token' } })).status, 200);
    assert.equal((await send(server.url, '/metrics', { method: 'GET' })).status, 200);
  } finally {
    await server.close();
  }
  assert.ok(!logs.join('\n').includes('s3cr3t'));
});

test('overload: a full queue sheds with 429 and Retry-After before reading the body; nothing is lost that was accepted', async () => {
  const { server, sink } = await serve({ queueSize: 2, paused: true });
  try {
    const body = eventList('create_serviceaccount.json');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await send(server.url, '/k8s-audit', { body })).status);
    assert.deepEqual(codes, [200, 200, 429, 429, 429]);
    const shed = await send(server.url, '/k8s-audit', { body });
    assert.equal(shed.headers['retry-after'], '1');
    assert.equal(server.queueDepth(), 2);
    assert.equal(server.metrics.get('bosun_audit_shed_total'), 4);
    server.resume();
    await server.idle();
    assert.equal(sink.alerts.length, 2);
  } finally {
    await server.close();
  }
});

test('/falco takes Falco http_output alerts (any source) and passes them to the sinks; junk is a 400', async () => {
  const { server, sink } = await serve();
  try {
    const alert = { output: '10:00:00.000000000: Critical Shell in container (user=root)', priority: 'Critical', rule: 'Terminal shell in container', source: 'syscall', time: '2024-01-01T10:00:00.000000000Z', output_fields: { 'proc.name': 'bash' }, tags: ['container'], hostname: 'node-1' };
    assert.equal((await send(server.url, '/falco', { body: JSON.stringify(alert) })).status, 200);
    assert.equal((await send(server.url, '/falco', { body: '{"rule":"x"}' })).status, 400);
    assert.equal((await send(server.url, '/falco', { body: '[' })).status, 400);
    await server.idle();
    assert.equal(sink.alerts.length, 1);
    assert.equal(sink.alerts[0]!.rule, 'Terminal shell in container');
    assert.equal(sink.alerts[0]!.message, 'Shell in container (user=root)');
    assert.deepEqual(JSON.parse(sink.alerts[0]!.json), alert);
    assert.equal(server.metrics.get('bosun_audit_alerts_total', { rule: 'Terminal shell in container', priority: 'Critical', source: 'syscall' }), 1);
  } finally {
    await server.close();
  }
});

test('/metrics in Prometheus text format: events, alerts by rule and priority, parse errors, queue', async () => {
  const { server } = await serve();
  try {
    await send(server.url, '/k8s-audit', { body: eventList('anonymous_creates_namespace_foo.json') });
    await send(server.url, '/k8s-audit', { body: 'junk' });
    await server.idle();
    const m = await send(server.url, '/metrics', { method: 'GET' });
    assert.equal(m.status, 200);
    assert.match(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    for (const line of [
      'bosun_audit_events_total 1',
      'bosun_audit_alerts_total{priority="Warning",rule="Anonymous Request Allowed",source="k8s_audit"} 1',
      'bosun_audit_parse_errors_total{reason="E_AUDIT_JSON"} 1',
      'bosun_audit_queue_depth 0',
      'bosun_audit_queue_capacity 64',
      '# TYPE bosun_audit_alerts_total counter',
    ]) assert.ok(m.body.split('\n').includes(line), `missing: ${line}\n${m.body}`);
  } finally {
    await server.close();
  }
});

test('dedup drops identical alerts within the window; the per-rule rate limit drops the excess', async () => {
  const dedup = await serve({ dedupWindowSeconds: 60 });
  try {
    for (let i = 0; i < 3; i++) await send(dedup.server.url, '/k8s-audit', { body: eventList('create_serviceaccount.json') });
    await dedup.server.idle();
    assert.equal(dedup.sink.alerts.length, 1);
    assert.equal(dedup.server.metrics.get('bosun_audit_alerts_dropped_total', { reason: 'dedup' }), 2);
  } finally {
    await dedup.server.close();
  }
  const limited = await serve({ perRulePerMinute: 1, burst: 2 });
  try {
    const items = Array.from({ length: 5 }, () => 'create_serviceaccount.json');
    await send(limited.server.url, '/k8s-audit', { body: eventList(...items, 'anonymous_creates_namespace_foo.json') });
    await limited.server.idle();
    assert.deepEqual(limited.sink.alerts.map((a) => a.rule), ['K8s Serviceaccount Created', 'K8s Serviceaccount Created', 'Anonymous Request Allowed']);
    assert.equal(limited.server.metrics.get('bosun_audit_alerts_dropped_total', { reason: 'rate_limit' }), 3);
  } finally {
    await limited.server.close();
  }
});

test('graceful shutdown evaluates everything accepted and flushes the sinks; then the port is closed', async () => {
  const { server, sink } = await serve({ paused: true });
  await send(server.url, '/k8s-audit', { body: eventList('create_serviceaccount.json', 'anonymous_creates_namespace_foo.json') });
  await server.close();
  assert.equal(sink.alerts.length, 2);
  await assert.rejects(send(server.url, '/healthz', { method: 'GET' }));
});

test('file sink appends Falco lines and rotates by size; webhook sink posts JSON and Slack bodies', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-audit-'));
  const received: { path: string; type: string; body: string }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  try {
    const metrics = auditMetrics();
    const deps = { metrics, log: () => undefined };
    const file = join(dir, 'alerts.log');
    const sinks = [
      createSink({ type: 'file', path: file, format: 'falco-text', maxBytes: 300, maxFiles: 2 }, deps),
      createSink({ type: 'webhook', url: `${hookUrl}/generic`, format: 'json' }, deps),
      createSink({ type: 'webhook', url: `${hookUrl}/slack/T000/SECRET`, format: 'slack', minPriority: 'warning' }, deps),
    ];
    const server = await startAuditServer({ ruleset: stock, sinks, port: 0, hostname: 'h', utc: true, log: () => undefined, metrics });
    for (let i = 0; i < 4; i++) await send(server.url, '/k8s-audit', { body: eventList('anonymous_creates_namespace_foo.json', 'create_serviceaccount.json') });
    await server.close();
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ['alerts.log', 'alerts.log.1', 'alerts.log.2']);
    const all = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('');
    assert.ok(all.split('\n').filter(Boolean).length <= 8);
    for (const f of files) assert.ok((await readFile(join(dir, f))).length <= 300, f);
    const generic = received.filter((r) => r.path === '/generic');
    assert.equal(generic.length, 8);
    assert.equal((JSON.parse(generic[0]!.body) as { rule: string }).rule, 'Anonymous Request Allowed');
    const slack = received.filter((r) => r.path.startsWith('/slack'));
    assert.equal(slack.length, 4, 'only Warning and above go to the Slack sink');
    assert.deepEqual(JSON.parse(slack[0]!.body), { text: ':warning: *Warning* Anonymous Request Allowed: Request by anonymous user allowed (user=system:anonymous verb=create uri=/api/v1/namespaces reason=))' });
  } finally {
    hook.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failing webhook is counted, logged by origin only (no secret path), and never blocks the others', async () => {
  const metrics = auditMetrics();
  const logs: string[] = [];
  const sink = createSink({ type: 'webhook', url: 'http://127.0.0.1:1/services/SECRET-PATH', timeoutMs: 500 }, { metrics, log: (l) => logs.push(l) });
  sink.send({ rule: 'r', priority: 'Warning', source: 'k8s_audit', message: 'm', json: '{}', text: 't' });
  await sink.flush();
  assert.equal(metrics.get('bosun_audit_sink_errors_total', { sink: 'webhook:http://127.0.0.1:1' }), 1);
  assert.ok(logs.length === 1 && !logs[0]!.includes('SECRET'), logs.join('\n'));
});

test('HTTPS with a certificate and key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-tls-'));
  try {
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    if (gen.status !== 0) {
      t.skip('openssl is not available to make a test certificate');
      return;
    }
    const cert = readFileSync(join(dir, 'cert.pem'));
    const { server, sink } = await serve({ tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    try {
      assert.match(server.url, /^https:/);
      assert.equal((await send(server.url, '/k8s-audit', { body: eventList('create_serviceaccount.json'), ca: cert })).status, 200);
      await server.idle();
      assert.equal(sink.alerts.length, 1);
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('overload by bytes: queued body bytes are bounded too (maxQueueBytes)', async () => {
  const { server } = await serve({ maxQueueBytes: 3000, paused: true });
  try {
    const body = eventList('create_serviceaccount.json');
    assert.ok(body.length > 500 && body.length < 3000, String(body.length));
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await send(server.url, '/k8s-audit', { body, headers: { 'content-length': String(Buffer.byteLength(body)) } })).status);
    const accepted = Math.floor(3000 / body.length);
    assert.deepEqual(codes, [...Array.from({ length: accepted }, () => 200), ...Array.from({ length: 8 - accepted }, () => 429)]);
    assert.equal(server.metrics.get('bosun_audit_queue_bytes'), accepted * Buffer.byteLength(body));
  } finally {
    await server.close();
  }
});

test('metrics: label values escaped, series capped per family; alert gate forgets its oldest keys', async () => {
  const { Metrics, MAX_SERIES } = await import('../../src/audit/metrics.ts');
  const { AlertGate } = await import('../../src/audit/sinks.ts');
  const m = new Metrics();
  m.define('x_total', 'counter', 'help');
  m.inc('x_total', { rule: 'a "quoted"\nrule\\' });
  assert.ok(m.render().includes('x_total{rule="a \\"quoted\\"\\nrule\\\\"} 1'));
  for (let i = 0; i < MAX_SERIES + 10; i++) m.inc('x_total', { rule: `r${i}` });
  assert.equal(m.get('x_total', { overflow: 'true' }), 11);
  const gate = new AlertGate({ dedupWindowSeconds: 60, maxKeys: 2 });
  const alert = (message: string): SinkAlert => ({ rule: 'r', priority: 'Warning', source: 's', message, json: '', text: '' });
  assert.equal(gate.check(alert('a'), 0), undefined);
  assert.equal(gate.check(alert('a'), 1), 'dedup');
  gate.check(alert('b'), 2);
  gate.check(alert('c'), 3);
  assert.equal(gate.check(alert('a'), 4), undefined, 'the oldest key was forgotten');
  assert.equal(gate.check(alert('a'), 60005), undefined, 'the window expired');
});

test('the webhook path is configurable, as in the plugin', async () => {
  const { server, sink } = await serve({ auditPath: '/audit/webhook' });
  try {
    assert.equal((await send(server.url, '/k8s-audit', { body: eventList('create_serviceaccount.json') })).status, 404);
    assert.equal((await send(server.url, '/audit/webhook', { body: eventList('create_serviceaccount.json') })).status, 200);
    await server.idle();
    assert.equal(sink.alerts.length, 1);
  } finally {
    await server.close();
  }
});

test('webhook errors never echo header values (tokens)', async () => {
  const metrics = auditMetrics();
  const logs: string[] = [];
  const sink = createSink({ type: 'webhook', url: 'http://127.0.0.1:1/x', headers: { authorization: 'Bearer sekret\n' } }, { metrics, log: (l) => logs.push(l) });
  sink.send({ rule: 'r', priority: 'Warning', source: 'k8s_audit', message: 'm', json: '{}', text: 't' });
  await sink.flush();
  assert.equal(logs.length, 1);
  assert.ok(!logs[0]!.includes('sekret'), logs[0]);
});
