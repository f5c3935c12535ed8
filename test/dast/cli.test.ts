/** `bosun dast` as a user runs it: exit codes, --generate-config, every output format. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DAST_RULES } from '../../src/dast/rules/index.ts';
import { scanUrl } from '../../src/dast/scan.ts';
import { renderReport } from '../../src/report/index.ts';
import { BUILTIN_JS_VULNS } from '../../src/dast/js-vulns/builtin.ts';
import { hardenedApp, serve, TEST_USER, weakApp, type TestServer } from './apps.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Async, because the target servers run in this process. */
function bosun(args: string[], cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: cwd ?? tmpdir(), env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let weak: TestServer;
let hardened: TestServer;
let dir: string;
before(async () => {
  weak = await serve(weakApp);
  hardened = await serve(hardenedApp);
  dir = await mkdtemp(join(tmpdir(), 'bosun-dast-cli-'));
});
after(async () => {
  await weak.close();
  await hardened.close();
});

test('WARN findings exit 0; a FAIL rule exits 1; the hardened app exits 0 with nothing', async () => {
  const warn = await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '-f', 'json', '--rate', '0']);
  assert.equal(warn.status, 0, warn.stderr);
  const report = JSON.parse(warn.stdout);
  assert.equal(report.schemaVersion, 1);
  assert.ok(report.findings.length > 50);
  assert.ok(report.dast.alerts.length > 40);
  const rules = join(dir, 'rules.tsv');
  await writeFile(rules, '10037\tFAIL\t(X-Powered-By)\n');
  const fail = await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '-c', rules, '-f', 'json', '--rate', '0']);
  assert.equal(fail.status, 1, fail.stderr);
  // A JS vulnerability file written now: rule 10116 (data older than 180 days) stays quiet whatever the date.
  const fresh = join(dir, 'jsrepository.json');
  await writeFile(fresh, JSON.stringify(BUILTIN_JS_VULNS));
  const clean = await bosun(['dast', `${hardened.origin}/`, '--no-bosun-config', '-f', 'json', '--js-vulns', fresh]);
  assert.equal(clean.status, 0, clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout).findings, []);
});

test('--username and --js-vulns: the weak app leaks the user, a bad repository file exits 2 naming it', async () => {
  const fresh = join(dir, 'fresh-jsrepository.json');
  await writeFile(fresh, JSON.stringify(BUILTIN_JS_VULNS));
  const r = await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '-f', 'json', '--rate', '0', '--username', TEST_USER, '--cookie', 'session=1', '--js-vulns', fresh]);
  assert.equal(r.status, 0, r.stderr);
  const ids = new Set(JSON.parse(r.stdout).findings.map((f: { aliases: string[]; target: { url: string } }) => `${f.aliases[0]} ${f.target.url.slice(weak.origin.length)}`));
  for (const want of ['zap:10057 /avatar', 'zap:10113 /profile', 'zap:10003 /js/jquery-1.8.1.min.js']) assert.ok(ids.has(want), want);
  assert.ok(![...ids].some((id) => String(id).startsWith('zap:10116')), 'fresh data is not out of date');
  const bad = join(dir, 'bad-jsrepository.json');
  await writeFile(bad, '{"jquery": {"vulnerabilities": [{}]}}');
  const before = weak.requests.length;
  const e = await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '--js-vulns', bad]);
  assert.equal(e.status, 2);
  assert.equal(e.stderr.trim().split('\n').length, 1, e.stderr);
  assert.match(e.stderr, /bad-jsrepository\.json: jquery: every vulnerability needs "below"/);
  assert.equal(weak.requests.length, before, 'the bad file stopped the scan before any request');
});

test('bad input and usage exit 2 with one line', async () => {
  for (const args of [['dast'], ['dast', `${weak.origin}/`, '--max-duration', '1y'], ['dast', `${weak.origin}/`, '--bogus'], ['dast', `${weak.origin}/`, '--username', '']]) {
    const r = await bosun(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^bosun: /);
  }
  const bad = join(dir, 'bad.tsv');
  await writeFile(bad, '10038 WARN spaces\n');
  const r = await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '-c', bad]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, `bosun: ${bad}:1: expected at least 3 tab-separated fields (id, level, name), got 1\n`);
  const down = await bosun(['dast', 'http://127.0.0.1:1/', '--no-bosun-config', '-f', 'json']);
  assert.equal(down.status, 2, down.stderr);
  assert.match(down.stderr, /E.*CONNREFUSED|cannot be scanned/);
});

test('--generate-config writes every rule at WARN (and exits 0 without a URL)', async () => {
  const out = join(dir, 'gen.tsv');
  const r = await bosun(['dast', '-g', out]);
  assert.equal(r.status, 0, r.stderr);
  const text = await readFile(out, 'utf8');
  assert.equal(text.split('\n').filter((l) => /^\d+\tWARN\t\(/.test(l)).length, DAST_RULES.length);
  const stdout = await bosun(['dast', '--generate-config', '-']);
  assert.equal(stdout.stdout, text);
});

test('every output format renders, and the table ends with zap-baseline\'s summary', async () => {
  const report = await scanUrl(`${weak.origin}/`, { config: false, requestsPerSecond: 0 });
  for (const f of ['table', 'sarif', 'junit', 'markdown', 'html'] as const) {
    // table and html through the CLI, the rest through the library writers (a process start is slow here).
    const r = f === 'table' || f === 'html' ? await bosun(['dast', `${weak.origin}/`, '--no-bosun-config', '-f', f, '--rate', '0']) : { status: 0, stdout: renderReport(report, f, { rules: DAST_RULES }), stderr: '' };
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.ok(r.stdout.length > 1000, f);
    if (f === 'table') {
      assert.match(r.stdout, /\nWARN-NEW: Content Security Policy \(CSP\) Header Not Set \[10038\] x \d+\n\thttp:\/\/127\.0\.0\.1:\d+\//);
      assert.match(r.stdout, /\nFAIL-NEW: 0\tFAIL-INPROG: 0\tWARN-NEW: \d+\tWARN-INPROG: 0\tINFO: 0\tIGNORE: 0\tPASS: \d+\n$/);
    }
    if (f === 'sarif') {
      const sarif = JSON.parse(r.stdout);
      const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'DAST-CSP-MISSING');
      assert.deepEqual(rule.properties.aliases, ['zap:10038']);
      assert.equal(rule.helpUri, 'https://www.zaproxy.org/docs/alerts/10038/');
      const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'DAST-CSP-MISSING');
      assert.equal(result.locations[0].logicalLocations[0].kind, 'url');
    }
    if (f === 'markdown') assert.match(r.stdout, /\| medium \| DAST-CSP-MISSING \| GET http:\/\/127\.0\.0\.1:\d+\/ \(content-security-policy\) \|/);
    if (f === 'junit') assert.match(r.stdout, /<testsuite name="DAST-CSP-MISSING: Content Security Policy \(CSP\) Header Not Set"/);
    if (f === 'html') {
      assert.match(r.stdout, /^<!DOCTYPE html>/);
      assert.match(r.stdout, /<h2>Summary by severity<\/h2>/);
      assert.match(r.stdout, /<h2 id="rule-DAST-PII-DISCLOSURE"><span class="sev high">high<\/span> PII Disclosure/);
      // Evidence from the target is escaped: the PHP source page's `<?php` appears only as text.
      assert.ok(!r.stdout.includes('<?php'));
      assert.ok(r.stdout.includes('&lt;?php'));
    }
  }
});

test('--output writes the file; --help exits 0', async () => {
  const out = join(dir, 'report.html');
  const r = await bosun(['dast', `${hardened.origin}/`, '--no-bosun-config', '-f', 'html', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(await readFile(out, 'utf8'), /gate passed/);
  const help = await bosun(['dast', '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: bosun dast URL/);
});
