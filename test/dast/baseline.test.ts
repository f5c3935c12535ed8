/**
 * Every passive rule against real servers: the weak app triggers each rule on its page (over
 * HTTP and HTTPS as the rule needs), the hardened twin triggers none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DAST_RULES } from '../../src/dast/rules/index.ts';
import { scanUrl, type DastReport } from '../../src/dast/scan.ts';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_JS_VULNS, BUILTIN_JS_VULNS_UPDATED } from '../../src/dast/js-vulns/builtin.ts';
import { hardenedApp, serve, TEST_USER, WEAK_PAGES, weakApp, type TestServer } from './apps.ts';

// Scanned as TEST_USER with a session cookie, on a fixed clock a day after the built-in JS
// vulnerability data was reviewed (so rule 10116 stays quiet on the hardened twin whatever the date).
const NOW = new Date(Date.parse(`${BUILTIN_JS_VULNS_UPDATED}T00:00:00Z`) + 86_400_000);
const FAST = { config: false as const, requestsPerSecond: 0, usernames: [TEST_USER], cookie: 'session=bosun-test', now: NOW };

/** The built-in data as a --js-vulns file last modified 400 days before NOW: rule 10116 reports it (Medium). */
async function staleJsVulns(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-jsvulns-'));
  const file = join(dir, 'jsrepository.json');
  await writeFile(file, JSON.stringify(BUILTIN_JS_VULNS));
  const then = new Date(NOW.getTime() - 400 * 86_400_000);
  await utimes(file, then, then);
  return file;
}

describe('weak app', () => {
  const servers: Record<'http' | 'https', TestServer | undefined> = { http: undefined, https: undefined };
  const reports: Partial<Record<'http' | 'https', DastReport>> = {};
  before(async () => {
    for (const scheme of ['http', 'https'] as const) {
      const s = await serve(weakApp, scheme === 'https');
      servers[scheme] = s;
      reports[scheme] = await scanUrl(`${s.origin}/`, { ...FAST, jsVulns: await staleJsVulns() });
    }
  });
  after(async () => {
    await servers.http?.close();
    await servers.https?.close();
  });

  for (const [zapId, path, only] of WEAK_PAGES) {
    for (const scheme of only === '' ? (['http', 'https'] as const) : ([only] as const)) {
      test(`zap:${zapId} is reported on ${path} over ${scheme}`, () => {
        const s = servers[scheme]!;
        const hit = reports[scheme]!.findings.filter((f) => f.aliases![0] === `zap:${zapId}` && f.target.type === 'url' && f.target.url === `${s.origin}${path}`);
        assert.ok(hit.length > 0, `no zap:${zapId} finding at ${path}`);
        const rule = DAST_RULES.find((r) => r.zapId === zapId)!;
        assert.equal(hit[0]!.ruleId, rule.id);
      });
    }
  }

  test('the two scans together raise every implemented rule, and nothing else', () => {
    const raised = new Set([...reports.http!.findings, ...reports.https!.findings].map((f) => f.ruleId));
    assert.deepEqual([...raised].sort(), DAST_RULES.map((r) => r.id).sort());
  });

  test('rules that need HTTPS stay quiet over HTTP, and the reverse', () => {
    const httpIds = new Set(reports.http!.findings.map((f) => f.aliases![0]));
    const httpsIds = new Set(reports.https!.findings.map((f) => f.aliases![0]));
    for (const id of ['zap:10011', 'zap:10015', 'zap:10040', 'zap:10042']) assert.ok(!httpIds.has(id), `${id} over HTTP`);
    for (const id of ['zap:10041', 'zap:10105']) assert.ok(!httpsIds.has(id), `${id} over HTTPS`);
    // HSTS over plain HTTP is only the informational sub-alert.
    assert.deepEqual(reports.http!.findings.filter((f) => f.ruleId === 'DAST-HSTS'), []);
  });

  test('findings carry ZAP aliases, risk, evidence and the URL', () => {
    const s = servers.http!;
    const f = reports.http!.findings.find((x) => x.ruleId === 'DAST-X-POWERED-BY')!;
    assert.deepEqual(f.target, { type: 'url', url: `${s.origin}/leaky-headers`, method: 'GET', param: 'x-powered-by' });
    assert.equal(f.severity, 'low');
    assert.deepEqual(f.aliases, ['zap:10037']);
    assert.equal(f.message, 'Server Leaks Information via "X-Powered-By" HTTP Response Header Field(s). Evidence: X-Powered-By: PHP/8.1.2');
    const csp = reports.http!.findings.find((x) => x.ruleId === 'DAST-CSP-WEAK' && x.aliases!.includes('zap:10055-5'))!;
    assert.equal(csp.title, 'CSP: script-src unsafe-inline');
    assert.equal(csp.severity, 'medium');
  });

  test('the baseline summary counts alerting rules per level', () => {
    const l = reports.https!.dast.levels;
    assert.equal(l.WARN + l.PASS, DAST_RULES.length);
    assert.equal(l.WARN, reports.https!.dast.alerts.length);
    assert.equal(reports.https!.summary.gateFailed, false);
  });
});

describe('hardened twin', () => {
  for (const scheme of ['http', 'https'] as const) {
    test(`raises nothing over ${scheme}`, async () => {
      const s = await serve(hardenedApp, scheme === 'https');
      try {
        const r = await scanUrl(`${s.origin}/`, FAST);
        assert.deepEqual(r.findings.map((f) => `${f.aliases![0]} ${f.target.type === 'url' ? f.target.url : ''}`), []);
        // It exercised the same features: cookies, a redirect, a script, an external script, a form.
        for (const p of ['GET /cookies', 'GET /go?to=home', 'GET /app.js', 'GET /js/jquery-3.7.1.min.js', 'GET /external', 'GET /form', 'GET /robots.txt', 'GET /sitemap.xml']) assert.ok(s.requests.includes(p), p);
        assert.equal(r.dast.levels.PASS, DAST_RULES.length);
      } finally {
        await s.close();
      }
    });
  }
});

test('the rules give the same findings in the worker pool as on the spider thread', async () => {
  const s = await serve(weakApp);
  try {
    // The weak app's timestamp page says "a day ago" from the time of the request.
    const view = (r: DastReport): string[] => r.findings.map((f) => `${f.fingerprint} ${f.severity} ${f.ruleId === 'DAST-TIMESTAMP-DISCLOSURE' ? '' : f.message}`).sort();
    const pooled = await scanUrl(`${s.origin}/`, { ...FAST, workers: true });
    const inline = await scanUrl(`${s.origin}/`, { ...FAST, workers: false });
    assert.ok(pooled.findings.length > 50);
    assert.deepEqual(view(pooled), view(inline));
    assert.deepEqual(pooled.dast.ruleErrors, []);
  } finally {
    await s.close();
  }
});
