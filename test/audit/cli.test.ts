/** `bosun audit …` as a user runs it (the TypeScript entry point on Node 24). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.ts';
import { EVENTS_DIR, RULES_DIR } from './helpers.ts';

const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const STOCK = join(RULES_DIR, 'k8s_audit_rules.yaml');
const TRACE = (n: string): string => join(EVENTS_DIR, 'traces', n);

function bosun(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? tmpdir(), input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', FALCO_HOSTNAME: 'test-host', ...options.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Expected {
  rule_matching_first: { alerts: Record<string, unknown>[] };
}
const stock = JSON.parse(readFileSync(join(EVENTS_DIR, 'expected', 'stock_rules.json'), 'utf8')) as { traces: Record<string, Expected> };

test('audit scan --format falco-json prints exactly Falco\'s alert lines (stock rules, TZ=UTC)', () => {
  const r = bosun(['audit', 'scan', '--no-config', '-r', STOCK, '-f', 'falco-json', '--fail-on', 'none', TRACE('create_nginx_pod_privileged_2nd_container.json')]);
  assert.equal(r.status, 0, r.stderr);
  const want = stock.traces['traces/create_nginx_pod_privileged_2nd_container.json']!.rule_matching_first.alerts.map((a) => {
    const { message: _m, event_index: _e, ...rest } = a;
    return JSON.stringify({ ...rest, hostname: 'test-host' });
  });
  const got = r.stdout.trim().split('\n').map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).sort(([a], [b]) => (a < b ? -1 : 1)))));
  assert.deepEqual(got, want);
  assert.match(r.stderr, /1 events, 1 alerts/);
});

test('audit scan --format falco-text from stdin, all traces, --rule-matching all', () => {
  const input = Object.keys(stock.traces).map((t) => readFileSync(join(EVENTS_DIR, t), 'utf8')).join('');
  const r = bosun(['audit', 'scan', '--no-config', '-r', STOCK, '-f', 'falco-text', '--rule-matching', 'all', '--fail-on', 'none', '--stats', '-'], { input });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const total = Object.values(stock.traces).reduce((n, t) => n + (t as unknown as { rule_matching_all: { total: number } }).rule_matching_all.total, 0);
  assert.equal(lines.length, total);
  assert.match(r.stderr, new RegExp(`^Events detected: ${total}\nRule counts by severity:\n {3}WARNING: \\d+\n`, 'm'));
  assert.match(r.stderr, /^Triggered rules by rule name:\n(?: {3}.+: \d+\n)+/m);
  assert.ok(lines.includes('13:58:49.736141000: Warning Request by anonymous user allowed (user=system:anonymous verb=create uri=/api/v1/namespaces reason=))'));
});

test('audit scan gate and exit codes: 1 when an alert reaches --fail-on, 2 on bad input lines (named with line numbers)', () => {
  const gate = bosun(['audit', 'scan', '--no-config', '-r', STOCK, '-f', 'json', '--fail-on', 'medium', TRACE('create_nginx_pod_hostnetwork.json')]);
  assert.equal(gate.status, 1, gate.stderr);
  const report = JSON.parse(gate.stdout) as { findings: { ruleId: string; severity: string; target: { type: string; name?: string } }[]; summary: { resources: number } };
  assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.target.type} ${f.target.name}`), ['audit/create-hostnetwork-pod medium audit-event nginx-deployment-754c877bcd-zh5qx']);
  assert.equal(report.summary.resources, 1);
  const bad = bosun(['audit', 'scan', '--no-config', '-r', STOCK, '-f', 'falco-text', '-'], { input: `${readFileSync(TRACE('create_service.json'), 'utf8').trim()}\n{oops\n` });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bosun: -:2: malformed JSON: /m);
});

test('audit scan SARIF carries audit findings with their rules', () => {
  const r = bosun(['audit', 'scan', '--no-config', '-f', 'sarif', '--fail-on', 'none', TRACE('anonymous_creates_namespace_foo.json')]);
  assert.equal(r.status, 0, r.stderr);
  const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string }[] } } }[] };
  assert.deepEqual(sarif.runs[0]!.results.map((x) => x.ruleId), ['audit/anonymous-request-allowed']);
  assert.ok(sarif.runs[0]!.tool.driver.rules.some((x) => x.id === 'audit/anonymous-request-allowed'));
});

test('waivers in bosun.yaml suppress audit findings; the audit section is validated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-audit-cli-'));
  try {
    await writeFile(join(dir, 'bosun.yaml'), 'waivers:\n  - rule: audit/anonymous-request-allowed\n    reason: lab cluster (SEC-1)\naudit:\n  ruleMatching: all\n');
    const r = bosun(['audit', 'scan', '-f', 'json', TRACE('anonymous_creates_namespace_foo.json')], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; suppressed?: { reason: string } }[] };
    assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.suppressed?.reason ?? '-'}`), ['audit/anonymous-request-allowed lab cluster (SEC-1)']);
    const streamed = bosun(['audit', 'scan', '-f', 'falco-text', TRACE('anonymous_creates_namespace_foo.json')], { cwd: dir });
    assert.equal(streamed.status, 0, 'a waived alert is still printed in Falco formats but does not fail the gate');
    assert.equal(streamed.stdout.split('\n').filter(Boolean).length, 1);
    assert.equal(bosun(['audit', 'scan', '--no-config', '-f', 'falco-text', TRACE('anonymous_creates_namespace_foo.json')], { cwd: dir }).status, 1);
    await writeFile(join(dir, 'bosun.yaml'), 'audit:\n  ruleMatchin: all\n');
    const bad = bosun(['audit', 'scan', '-f', 'json', TRACE('anonymous_creates_namespace_foo.json')], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bosun\.yaml: audit\.ruleMatchin: unknown key/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rules files with errors fail with file:line:col, the item and the condition position (exit 2)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-audit-cli-'));
  try {
    const f = join(dir, 'bad.yaml');
    await writeFile(f, '- rule: Broken\n  desc: d\n  condition: ka.verb in (get\n  output: o\n  priority: WARNING\n  source: k8s_audit\n');
    const r = bosun(['audit', 'rules', 'check', f]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `bosun: ${f}:1:3: rule 'Broken': condition 1:16: expected ',' or ')' in list after 'get'\n`);
    const ok = bosun(['audit', 'rules', 'check', STOCK, join(RULES_DIR, 'overrides', 'trust_nginx_container.yaml')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /48 k8s_audit rules, 45 macros, 18 lists/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('audit rules list and audit policy', () => {
  const list = bosun(['audit', 'rules', 'list', '--no-config', '-f', 'json']);
  assert.equal(list.status, 0, list.stderr);
  const rules = JSON.parse(list.stdout) as { id: string; priority: string }[];
  assert.equal(rules.length, 25);
  assert.equal(rules[0]!.id, 'audit/anonymous-request-allowed');
  const policy = bosun(['audit', 'policy', '--no-config', '-r', STOCK, '--webhook-url', 'https://bosun.example:9765/k8s-audit']);
  assert.equal(policy.status, 0, policy.stderr);
  assert.match(policy.stdout, /^kind: Policy$/m);
  assert.match(policy.stdout, /omitStages: \["RequestReceived"\]/);
  assert.match(policy.stdout, /- level: RequestResponse\n {4}resources:\n {6}- group: ""\n {8}resources: \["pods", "pods\/\*"\]/);
  assert.match(policy.stdout, /server: "https:\/\/bosun\.example:9765\/k8s-audit"/);
});

test('audit serve binds 127.0.0.1, answers, and drains on SIGTERM (exit 0)', async () => {
  const child = spawn(process.execPath, [MAIN, 'audit', 'serve', '--no-config', '-r', STOCK, '--port', '0'], { cwd: tmpdir(), env: { ...process.env, TZ: 'UTC', FALCO_HOSTNAME: 'h' } });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m !== null) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(stderr)));
  });
  const body = JSON.stringify({ kind: 'EventList', items: [JSON.parse(readFileSync(TRACE('create_serviceaccount.json'), 'utf8'))] });
  const res = await fetch(`${url}/k8s-audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(res.status, 200);
  await res.text();
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0, stderr);
  assert.equal((JSON.parse(stdout.trim()) as { rule: string }).rule, 'K8s Serviceaccount Created');
  assert.match(stderr, /SIGTERM: draining/);
});

test('audit with no command prints help (exit 2); unknown command is a usage error', () => {
  assert.equal(bosun(['audit']).status, 2);
  const r = bosun(['audit', 'frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  void readFile;
});
