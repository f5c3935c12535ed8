/** Streaming audit log scans: formats accepted, bad input counted with line numbers, bounded memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../src/audit/engine.ts';
import { decodeDocument, parseTimestampNs } from '../../src/audit/event.ts';
import { scanAuditStream, type AuditScanOptions } from '../../src/audit/scan.ts';
import { EVENTS_DIR, loadTestRules, STOCK_RULES } from './helpers.ts';

const stock = loadTestRules([STOCK_RULES]);
const line = (trace: string): string => readFileSync(join(EVENTS_DIR, 'traces', trace), 'utf8').trim();
const ANON = line('anonymous_creates_namespace_foo.json');
const SA = line('create_serviceaccount.json');

async function scan(chunks: (string | Buffer)[], options: AuditScanOptions = {}) {
  const rules: string[] = [];
  const stats = await scanAuditStream(Readable.from(chunks), 'log.json', createEngine(stock, { hostname: 'h', utc: true }), { ...options, onAlert: (a) => rules.push(`${a.event.line}:${a.rule}`) });
  return { stats, rules };
}

test('JSON lines: events, blank lines, CRLF and chunk boundaries anywhere', async () => {
  const text = `${ANON}\r\n\n${SA}\n`;
  const chunks = [...text].reduce<string[]>((acc, ch, i) => (i % 7 === 0 ? [...acc, ch] : [...acc.slice(0, -1), acc.at(-1)! + ch]), []);
  const { stats, rules } = await scan(chunks);
  assert.deepEqual(rules, ['1:Anonymous Request Allowed', '3:K8s Serviceaccount Created']);
  assert.equal(stats.events, 2);
  assert.equal(stats.lines, 3);
  assert.deepEqual(stats.errors, []);
});

test('malformed lines are counted and reported with their line numbers; the scan goes on', async () => {
  const { stats, rules } = await scan([`${ANON}\n{"kind":"Event",\nnot json\n{"kind": 0}\n[1,2]\n{"kind":"Event","auditID":"x"}\n${SA}\n`]);
  assert.deepEqual(rules, ['1:Anonymous Request Allowed', '7:K8s Serviceaccount Created']);
  assert.deepEqual(stats.errorCounts, { E_AUDIT_JSON: 2, E_AUDIT_NOT_EVENT: 3, E_AUDIT_TIMESTAMP: 1 });
  assert.deepEqual(
    stats.errors.map((e) => `${e.line} ${e.code}`),
    ['2 E_AUDIT_JSON', '3 E_AUDIT_JSON', '4 E_AUDIT_NOT_EVENT', '5 E_AUDIT_NOT_EVENT', '5 E_AUDIT_NOT_EVENT', '6 E_AUDIT_TIMESTAMP'],
  );
  assert.match(stats.errors[0]!.message, /^log\.json:2: malformed JSON: /);
  assert.equal(stats.errors[2]!.message, 'log.json:4: data not recognized as a k8s audit event');
});

test('an EventList, an array of events, and a pretty-printed multi-line EventList document', async () => {
  const a = JSON.parse(ANON) as unknown;
  const s = JSON.parse(SA) as unknown;
  const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [a, s] });
  assert.deepEqual((await scan([`${list}\n${JSON.stringify([a, [s]])}\n`])).rules, ['1:Anonymous Request Allowed', '1:K8s Serviceaccount Created', '2:Anonymous Request Allowed', '2:K8s Serviceaccount Created']);
  const pretty = JSON.stringify({ kind: 'EventList', items: [a, s] }, null, 2);
  const r = await scan([pretty]);
  assert.deepEqual(r.rules, ['1:Anonymous Request Allowed', '1:K8s Serviceaccount Created']);
  assert.deepEqual(r.stats.errors, []);
});

test('items of a pretty-printed document print objects from their own source text', () => {
  const item = { kind: 'Event', auditID: 'z', stage: 'ResponseComplete', stageTimestamp: '2024-01-01T00:00:00Z', requestObject: { data: { '2': 'b', a: '\u003c' } } };
  const raw = `{\n  "kind": "EventList",\n  "items": [\n    ${JSON.stringify(item).replace('"\u003c"', '"\\u003c"')}\n  ]\n}`;
  const got: string[] = [];
  decodeDocument(raw, (_o, r) => got.push(r), () => assert.fail('no errors expected'));
  assert.equal(got.length, 1);
  assert.match(got[0]!, /"a":"\\u003c"/);
});

test('enormous events are dropped (maxEventSize), enormous lines skipped without buffering them', async () => {
  const big = JSON.stringify({ ...(JSON.parse(SA) as object), padding: 'x'.repeat(300000) });
  const r = await scan([`${big}\n${SA}\n`]);
  assert.deepEqual(r.stats.errorCounts, { E_AUDIT_TOO_LARGE: 1 });
  assert.deepEqual(r.rules, ['2:K8s Serviceaccount Created']);
  const huge = 'y'.repeat(64 * 1024);
  const chunks = [...Array.from({ length: 40 }, () => huge), `\n${SA}\n`];
  const r2 = await scan(chunks, { maxLineBytes: 1024 * 1024 });
  assert.deepEqual(r2.stats.errorCounts, { E_AUDIT_LINE_TOO_LONG: 1 });
  assert.equal(r2.stats.errors[0]!.line, 1);
  assert.deepEqual(r2.rules, ['2:K8s Serviceaccount Created']);
});

test('deep nesting: arrays of arrays past the limit and deeply nested objects inside events', async () => {
  const deepArrays = `${'['.repeat(600)}${SA}${']'.repeat(600)}`;
  const r = await scan([`${deepArrays}\n`]);
  assert.deepEqual(r.stats.errorCounts, { E_AUDIT_TOO_DEEP: 1 });
  const deepObj = JSON.stringify({ ...(JSON.parse(SA) as object) }).replace('"kind":"Event"', `"deep":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)},"kind":"Event"`);
  const r2 = await scan([`${deepObj}\n`]);
  assert.deepEqual(r2.rules, ['1:K8s Serviceaccount Created']);
  assert.deepEqual(r2.stats.errors, []);
});

test('only the first maxErrors problems are kept; all are counted', async () => {
  const r = await scan([Array.from({ length: 500 }, () => 'nope').join('\n')], { maxErrors: 10 });
  assert.equal(r.stats.errors.length, 10);
  assert.equal(r.stats.errorCounts['E_AUDIT_JSON'], 500);
});

test('RFC 3339 timestamps to nanoseconds, with offsets; bad ones rejected', () => {
  assert.equal(parseTimestampNs('2018-10-25T13:58:49.736141Z'), 1540475929736141000n);
  assert.equal(parseTimestampNs('2018-10-25T15:58:49.000000001+02:00'), 1540475929000000001n);
  assert.equal(parseTimestampNs('2018-10-25T13:58:49Z'), 1540475929000000000n);
  for (const bad of ['2018-13-01T00:00:00Z', '2018-10-25 13:58:49Z', '2018-10-25T13:58:49', 'yesterday']) assert.equal(parseTimestampNs(bad), undefined, bad);
});

test('events missing fields, odd shapes and JSON-Patch request bodies never break the rules', async () => {
  const minimal = { kind: 'Event', stageTimestamp: '2024-01-01T00:00:00Z' };
  const shapes = [
    minimal,
    { ...minimal, auditID: 'a', stage: 'ResponseComplete' },
    { ...minimal, auditID: 'b', stage: 'ResponseComplete', verb: 'patch', objectRef: { resource: 'pods', name: 'p' }, requestObject: [{ op: 'replace', path: '/spec/containers/0/image', value: 'x' }] },
    { ...minimal, auditID: 'c', stage: 'ResponseComplete', verb: 'create', objectRef: { resource: 'pods' }, requestObject: { spec: { containers: 'not-a-list', volumes: [null, 1, 'x'] } } },
    { ...minimal, auditID: 'd', stage: 'ResponseComplete', verb: 'create', objectRef: { resource: 'clusterroles', name: 'r' }, requestObject: { rules: 'nope' }, responseStatus: { code: 'weird' } },
    { ...minimal, auditID: 'e', user: 'not-an-object', annotations: null, objectRef: null },
  ];
  const engineAll = createEngine(stock, { ruleMatching: 'all', hostname: 'h' });
  const stats = await scanAuditStream(Readable.from([shapes.map((s) => JSON.stringify(s)).join('\n')]), 'odd.json', engineAll);
  assert.equal(stats.events, 6);
  assert.deepEqual(stats.errorCounts, {});
  // As in Falco: no user name is "not system:" and "not in the allowed list", so every complete event alerts.
  assert.deepEqual(stats.alertsByRule, { 'Disallowed K8s User': 4 });
});

test('gzip-compressed logs and directories (oldest file first)', async () => {
  const { mkdtemp, writeFile, utimes, rm } = await import('node:fs/promises');
  const { gzipSync } = await import('node:zlib');
  const { tmpdir } = await import('node:os');
  const { expandAuditInputs, scanAuditFile } = await import('../../src/audit/scan.ts');
  const dir = await mkdtemp(join(tmpdir(), 'bosun-audit-logs-'));
  try {
    await writeFile(join(dir, 'audit.log'), `${SA}\n`);
    await writeFile(join(dir, 'audit.log.1.gz'), gzipSync(`${ANON}\n`));
    await writeFile(join(dir, 'broken.gz'), 'not gzip');
    await utimes(join(dir, 'audit.log.1.gz'), 1000, 1000);
    await utimes(join(dir, 'broken.gz'), 3000, 3000);
    await utimes(join(dir, 'audit.log'), 2000, 2000);
    const files = await expandAuditInputs([dir]);
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['audit.log.1.gz', 'audit.log', 'broken.gz']);
    const engine = createEngine(stock, { hostname: 'h' });
    const rules: string[] = [];
    for (const f of files.slice(0, 2)) await scanAuditFile(f, engine, { onAlert: (a) => rules.push(a.rule) });
    assert.deepEqual(rules, ['Anonymous Request Allowed', 'K8s Serviceaccount Created']);
    await assert.rejects(scanAuditFile(files[2]!, engine), /broken\.gz: cannot decompress/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
