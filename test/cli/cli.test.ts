/** The command line as a user runs it: the built `bin` (dist/cli/main.js, built by `npm test`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.ts';

const BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

function bosun(args: string[], options: { input?: string; cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the bin exists (npm test builds it)', () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build`);
});

test('the hardened example passes the gate with no findings', () => {
  const r = bosun(['scan', 'examples/hardened', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.schemaVersion, 1);
  assert.deepEqual(report.findings.filter((f: { suppressed?: unknown }) => f.suppressed === undefined).map((f: { ruleId: string }) => f.ruleId), []);
  assert.equal(report.summary.resources, 14);
});

test('the insecure example fails the gate (exit 1) with the findings a reviewer expects', () => {
  const r = bosun(['scan', 'examples/insecure', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  const rules = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
  for (const id of ['K8S-PRIVILEGED', 'K8S-HOST-PID', 'K8S-HOST-NETWORK', 'K8S-RUNTIME-SOCKET', 'K8S-CAP-SYS-ADMIN', 'K8S-IMAGE-TAG-LATEST', 'K8S-ENV-HARDCODED-CREDENTIAL', 'K8S-RBAC-CLUSTER-ADMIN-BINDING', 'K8S-RBAC-ANONYMOUS-BINDING', 'K8S-RBAC-WILDCARD']) {
    assert.ok(rules.has(id), `expected ${id}`);
  }
  assert.equal(report.summary.gateFailed, true);
  // The secret literal in the example never reaches the report.
  assert.ok(!r.stdout.includes('hunter2'), 'secret value leaked into the report');
  assert.ok(!r.stdout.includes('wJalrXUtnFEMI'), 'secret value leaked into the report');
});

test('the examples bosun.yaml waiver suppresses the debug pod, with its reason', () => {
  const r = bosun(['scan', 'examples', '--format', 'json']);
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout);
  const debug = report.findings.filter((f: { target: { name: string } }) => f.target.name === 'debug-shell');
  assert.ok(debug.length > 0);
  for (const f of debug) assert.equal(f.suppressed?.by, 'config');
  assert.equal(report.summary.suppressed, debug.length);
});

test('--fail-on none passes; --fail-on critical still fails on critical findings', () => {
  assert.equal(bosun(['scan', 'examples/insecure', '--fail-on', 'none', '--format', 'json']).status, 0);
  assert.equal(bosun(['scan', 'examples/insecure', '--fail-on', 'critical', '--format', 'json']).status, 1);
});

test('stdin: helm template . | bosun scan -', () => {
  const r = bosun(['scan', '-', '--format', 'json', '--no-config'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n' });
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout);
  const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'K8S-PRIVILEGED');
  assert.deepEqual(f.location, { file: '<stdin>', line: 5, column: 58 });
});

test('a parse error: report still written, one-line error on stderr naming file:line, exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-cli-'));
  await writeFile(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n');
  await writeFile(join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}\n');
  const r = bosun(['scan', dir, '--format', 'json', '--no-config']);
  assert.equal(r.status, 2);
  const report = JSON.parse(r.stdout);
  assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'K8S-PRIVILEGED'));
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^bosun: ${join(dir, 'bad.yaml').replaceAll('/', '\\/')}:4:1: .+`));
});

test('usage errors exit 2 with one line', () => {
  for (const args of [['scan'], ['scan', 'examples', '--bogus'], ['scan', 'examples', '--format', 'xml'], ['scan', 'examples', '--fail-on', 'severe'], ['scan', 'examples', '--pss', 'strict'], ['nope'], ['scan', '/nonexistent/x.yaml'], ['rules', 'explain', 'NOPE-1']]) {
    const r = bosun(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^bosun: /);
  }
});

test('--pss restricted reports upstream PSS check IDs with the upstream reason', () => {
  const r = bosun(['scan', 'examples/insecure/app.yaml', '--pss', 'restricted:v1.30', '--format', 'json', '--no-config']);
  const report = JSON.parse(r.stdout);
  const pss = report.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('pss/'));
  const ids = new Set(pss.map((f: { ruleId: string }) => f.ruleId));
  for (const id of ['pss/privileged', 'pss/hostNamespaces', 'pss/restrictedVolumes', 'pss/allowPrivilegeEscalation', 'pss/capabilities_restricted', 'pss/runAsNonRoot', 'pss/seccompProfile_restricted']) assert.ok(ids.has(id), id);
  const priv = pss.find((f: { ruleId: string; target: { name: string } }) => f.ruleId === 'pss/privileged' && f.target.name === 'legacy-api');
  assert.match(priv.message, /^privileged \(.+\) \[PodSecurity "restricted:v1.30"\]$/);
  assert.equal(priv.fieldPath, 'spec.template.spec.containers[0].securityContext.privileged');
});

test('--output writes SARIF to a file; table on request', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-cli-'));
  const out = join(dir, 'bosun.sarif');
  const r = bosun(['scan', 'examples/insecure', '--format', 'sarif', '--output', out]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const sarif = JSON.parse(await readFile(out, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.length > 10);
  const table = bosun(['scan', 'examples/hardened', '--format', 'table']);
  assert.equal(table.status, 0);
  assert.match(table.stdout, /gate passed at --fail-on high/);
  assert.ok(!table.stdout.includes('\u001b['), 'no colour when NO_COLOR is set');
});

test('rules list and explain', () => {
  const all = JSON.parse(bosun(['rules', 'list', '--format', 'json']).stdout);
  assert.ok(all.length >= 150, `only ${all.length} rules`);
  const cis = JSON.parse(bosun(['rules', 'list', '--framework', 'cis', '--format', 'json']).stdout);
  assert.ok(cis.length > 20);
  for (const r of cis) assert.ok(r.frameworks.cis.length > 0, r.id);
  const pss = JSON.parse(bosun(['rules', 'list', '--framework', 'pss', '--format', 'json']).stdout);
  assert.ok(pss.some((r: { id: string }) => r.id === 'pss/privileged'));
  const explain = bosun(['rules', 'explain', 'KSV-0017']);
  assert.equal(explain.status, 0);
  assert.match(explain.stdout, /^K8S-PRIVILEGED: Privileged container\n/);
  assert.match(explain.stdout, /Fields read:\n {2}spec\.containers\[\*\]\.securityContext\.privileged/);
  assert.match(explain.stdout, /cis: 5\.2\.2/);
  // Other scanners' rules are in the catalogue too, and explain finds them by peer ID.
  const every = JSON.parse(bosun(['rules', 'list', '--scanner', 'all', '--format', 'json']).stdout);
  for (const prefix of ['K8S-', 'pss/', 'NETPOL-', 'DAST-']) assert.ok(every.some((r: { id: string }) => r.id.startsWith(prefix)), prefix);
  assert.ok(every.length > all.length + 100);
  assert.match(bosun(['rules', 'explain', 'zap:10038']).stdout, /^DAST-CSP-MISSING: /);
  assert.equal(bosun(['rules', 'list', '--scanner', 'kernel']).status, 2);
  const table = bosun(['rules', 'list', '--format', 'table']);
  assert.match(table.stdout, /^ID +SEVERITY +FRAMEWORKS +TITLE\n/);
});

test('init writes a starter bosun.yaml and refuses to overwrite it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-init-'));
  const first = bosun(['init', dir]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, `wrote ${join(dir, 'bosun.yaml')}\n`);
  const second = bosun(['init', dir]);
  assert.equal(second.status, 2);
  assert.equal(bosun(['init', dir, '--force']).status, 0);
  // The starter config is valid: a scan with it works.
  const scan = bosun(['scan', 'examples/hardened', '--config', join(dir, 'bosun.yaml'), '--format', 'json']);
  assert.equal(scan.status, 0, scan.stderr);
});

test('--version and --help', () => {
  const pkg = JSON.parse(spawnSync('cat', [join(REPO_ROOT, 'package.json')], { encoding: 'utf8' }).stdout);
  assert.equal(bosun(['--version']).stdout, `${pkg.version}\n`);
  assert.match(bosun(['--help']).stdout, /bosun scan/);
  assert.equal(bosun(['scan', '--help']).status, 0);
});

test('every command and subcommand answers --help with its usage and exit 0', () => {
  const commands = [
    ['scan'], ['dast'], ['rules'], ['rules', 'list'], ['rules', 'explain'], ['policy'], ['compliance'], ['init'], ['db'], ['sbom'], ['sbom', 'scan'],
    ['image'], ['image', 'scan'], ['fs', 'scan'], ['audit'], ['rbac'], ['netpol'], ['cluster'], ['keygen'], ['sign'], ['attest'], ['verify'],
    ['admission'], ['admission', 'serve'], ['admission', 'certs'], ['admission', 'manifests'],
  ];
  for (const c of commands) {
    const r = bosun([...c, '--help']);
    assert.equal(r.status, 0, `${c.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /Usage/, c.join(' '));
  }
});

test('a reader that goes away early (| head) ends the output quietly; the exit code stays the command\'s own', () => {
  const pipe = (args: string): { status: number | null; stderr: string } => {
    // `exit ${PIPESTATUS[0]}` reports bosun's status, not head's.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}`], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  };
  const rules = pipe('rules list -f json');
  assert.equal(rules.status, 0, rules.stderr);
  assert.doesNotMatch(rules.stderr, /EPIPE|Unhandled/);
  const scan = pipe('scan examples/insecure -f json');
  assert.equal(scan.status, 1, scan.stderr);
  assert.doesNotMatch(scan.stderr, /EPIPE|Unhandled/);
});
