/**
 * Hostile targets: an infinite link generator, redirect loops and endless redirect chains, a
 * 100 MB response, a slow drip, and links to another origin. The scan must stay in scope and
 * within every bound, and finish.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scanUrl } from '../../src/dast/scan.ts';
import { hostileApp, serve, type TestServer } from './apps.ts';

let offScope: TestServer;
let hostile: TestServer;
const base = { config: false as const, requestsPerSecond: 0, robots: false, sitemap: false };

before(async () => {
  offScope = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/more">more</a>'));
  hostile = await serve(hostileApp(offScope.origin));
});
after(async () => {
  await hostile.close();
  await offScope.close();
});

test('infinite link generator: stops at the page bound, never leaves the origin', async () => {
  const r = await scanUrl(`${hostile.origin}/gen/1`, { ...base, maxPages: 60, maxDepth: 1000, requestTimeoutMs: 2000, maxDurationMs: 20_000 });
  assert.equal(r.dast.stats.requests, 60);
  assert.equal(r.dast.stats.stoppedBy, 'pages');
  assert.deepEqual(offScope.requests, []);
  assert.ok(r.dast.stats.outOfScope > 0);
});

test('infinite link generator: the depth bound alone also ends it', async () => {
  const before = hostile.requests.length;
  const r = await scanUrl(`${hostile.origin}/gen/1`, { ...base, maxDepth: 3 });
  assert.equal(r.dast.stats.stoppedBy, undefined);
  // depth 0: /gen/1; 1: /gen/2, /gen/9, /gen/1?r=1; 2 and 3 add at most 3 each per page.
  assert.ok(r.dast.stats.requests <= 1 + 3 + 9 + 27, String(r.dast.stats.requests));
  assert.equal(hostile.requests.length - before, r.dast.stats.requests);
  assert.deepEqual(offScope.requests, []);
});

test('redirect loop: each URL once; endless chain: cut at --max-redirects', async () => {
  const before = hostile.requests.length;
  await scanUrl(`${hostile.origin}/loop/a`, base);
  assert.deepEqual(hostile.requests.slice(before), ['GET /loop/a', 'GET /loop/b']);
  const mid = hostile.requests.length;
  const r = await scanUrl(`${hostile.origin}/chain/1`, { ...base, maxRedirects: 5 });
  assert.deepEqual(hostile.requests.slice(mid), ['GET /chain/1', 'GET /chain/2', 'GET /chain/3', 'GET /chain/4', 'GET /chain/5', 'GET /chain/6']);
  assert.equal(r.dast.stats.beyondDepth, 1);
});

test('100 MB response: read up to the size bound, then the connection is closed', async () => {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await scanUrl(`${hostile.origin}/big`, { ...base, maxResponseBytes: 2 * 1024 * 1024 });
  const elapsed = performance.now() - t0;
  assert.equal(r.dast.stats.requests, 1);
  assert.equal(r.dast.stats.truncated, 1);
  // Reading all 100 MB would take far longer on this machine; the bound is what ends it.
  assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
  assert.ok(process.memoryUsage().rss - rss0 < 80 * 1024 * 1024, 'memory stays bounded');
  // The rules still ran on what was read.
  assert.ok(r.findings.some((f) => f.ruleId === 'DAST-CSP-MISSING'));
});

test('100 MB response with the default bound (10 MiB) also ends quickly', async () => {
  const t0 = performance.now();
  const r = await scanUrl(`${hostile.origin}/big`, base);
  assert.equal(r.dast.stats.truncated, 1);
  assert.ok(performance.now() - t0 < 20_000);
});

test('slow drip: the request deadline cuts it and the headers are still scanned', async () => {
  const t0 = performance.now();
  const r = await scanUrl(`${hostile.origin}/drip`, { ...base, requestTimeoutMs: 700 });
  const elapsed = performance.now() - t0;
  assert.equal(r.dast.stats.timedOut, 1);
  // Unbounded, the drip never ends; generous upper bound for a loaded CI machine.
  assert.ok(elapsed >= 650 && elapsed < 10_000, `took ${elapsed} ms`);
  assert.ok(r.findings.some((f) => f.ruleId === 'DAST-ANTI-CLICKJACKING'));
});

test('the duration bound ends a scan that would otherwise run on', async () => {
  const t0 = performance.now();
  const r = await scanUrl(`${hostile.origin}/`, { ...base, maxDurationMs: 1200, requestTimeoutMs: 60_000, requestsPerSecond: 5, maxDepth: 1000 });
  const elapsed = performance.now() - t0;
  assert.equal(r.dast.stats.stoppedBy, 'duration');
  // Without the bound this scan runs for minutes (60 s per drip request, links without end).
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  assert.deepEqual(offScope.requests, []);
});

test('the whole hostile site under default bounds finishes, in scope', async () => {
  const r = await scanUrl(`${hostile.origin}/`, { config: false, requestTimeoutMs: 1000, maxPages: 200, maxResponseBytes: 1024 * 1024 });
  assert.ok(r.dast.stats.requests <= 200);
  assert.deepEqual(offScope.requests, []);
  assert.equal(r.dast.stats.timedOut, 1);
  assert.equal(r.dast.stats.truncated >= 2, true);
});
