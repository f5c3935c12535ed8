/** zap-baseline rule files, bosun.yaml dast.rules and waivers, and what each level does to the gate. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateRuleConfig, levelOf, parseRuleConfig, parseZapOptions } from '../../src/dast/config.ts';
import { DAST_RULES } from '../../src/dast/rules/index.ts';
import { scanUrl } from '../../src/dast/scan.ts';
import { serve, weakApp, type TestServer } from './apps.ts';

let weak: TestServer;
let dir: string;
const base = { config: false as const, requestsPerSecond: 0 };

before(async () => {
  weak = await serve(weakApp);
  dir = await mkdtemp(join(tmpdir(), 'bosun-dast-'));
});
after(() => weak.close());

test('parses ZAP\'s format: levels, sub-alert IDs, comments, custom messages, OUTOFSCOPE', () => {
  const c = parseRuleConfig(
    ['# comment', '10038\tFAIL\t(Content Security Policy (CSP) Header Not Set)', '10020-1\tIGNORE\t(Missing Anti-clickjacking Header)', '10021\tINFO\t(X-Content-Type-Options)\tSee SEC-12', 'DAST-SERVER-HEADER\twarn\t(bosun ID)', '10036,10037\tOUTOFSCOPE\t/static/.*', '*\tOUTOFSCOPE\t.*\\.png$', '99999\tWARN\t(future rule)', ''].join('\n'),
    'rules.tsv',
  );
  assert.deepEqual([...c.levels], [[10038, 'FAIL'], [10020, 'IGNORE'], [10021, 'INFO'], [10036, 'WARN'], [99999, 'WARN']]);
  assert.deepEqual([...c.messages], [[10021, 'See SEC-12']]);
  assert.deepEqual(c.unknownIds, [99999]);
  assert.deepEqual(c.outOfScope.map((o) => [o.ids === undefined ? '*' : [...o.ids].join(','), o.pattern.source]), [['10036,10037', '\\/static\\/.*'], ['*', '.*\\.png$']]);
  assert.equal(levelOf(c, 10010), 'WARN');
  assert.equal(levelOf(c, 10010, true), 'INFO');
});

test('zap-baseline -z: the -config rule options bosun reads, the rest reported as ignored', () => {
  const z = parseZapOptions('-config rules.csrf.ignorelist=search,login -config rules.cookie.ignorelist=_ga -config spider.maxDuration=5 -addoninstall x');
  assert.deepEqual([...z.settings], [['rules.csrf.ignorelist', 'search,login'], ['rules.cookie.ignorelist', '_ga']]);
  assert.deepEqual(z.ignored, ['spider.maxDuration=5', '-addoninstall', 'x']);
  assert.throws(() => parseZapOptions('-config novalue'), { code: 'E_USAGE' });
});

test('errors name the file and line', () => {
  assert.throws(() => parseRuleConfig('10038 WARN (spaces, not tabs)', 'r.tsv'), { code: 'E_CONFIG', message: 'r.tsv:1: expected at least 3 tab-separated fields (id, level, name), got 1' });
  assert.throws(() => parseRuleConfig('#\n10038\tBLOCK\t(x)', 'r.tsv'), { code: 'E_CONFIG', message: 'r.tsv:2: level must be IGNORE, INFO, WARN, FAIL or OUTOFSCOPE, got "BLOCK"' });
  assert.throws(() => parseRuleConfig('abc\tWARN\t(x)', 'r.tsv'), { code: 'E_CONFIG', message: 'r.tsv:1: "abc" is not a ZAP plugin ID or a bosun DAST rule ID' });
  assert.throws(() => parseRuleConfig('*\tOUTOFSCOPE\t(', 'r.tsv'), { code: 'E_CONFIG' });
});

test('--generate-config lists every rule at WARN and reads back to the same levels', () => {
  const text = generateRuleConfig();
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines.length, DAST_RULES.length);
  assert.equal(lines[0], '2\tWARN\t(Private IP Disclosure)');
  assert.ok(lines.includes('10038\tWARN\t(Content Security Policy (CSP) Header Not Set)'));
  // Every rule of ZAP's default baseline is there, none left as a comment.
  for (const id of [10003, 10049, 10057, 10111, 10112, 10113, 10116]) assert.ok(lines.some((l) => l.startsWith(`${id}\tWARN\t(`)), String(id));
  assert.doesNotMatch(text, /does not run/);
  const back = parseRuleConfig(text, 'gen.tsv');
  assert.equal(back.levels.size, DAST_RULES.length);
  assert.ok([...back.levels.values()].every((l) => l === 'WARN'));
  // A config's own levels and messages survive regeneration.
  const custom = parseRuleConfig('10038\tFAIL\t(x)\tcall security', 'c.tsv');
  assert.ok(generateRuleConfig(custom).includes('10038\tFAIL\t(Content Security Policy (CSP) Header Not Set)\tcall security'));
});

test('WARN reports and passes; FAIL fails the gate; IGNORE drops the rule; OUTOFSCOPE drops URLs', async () => {
  const warn = await scanUrl(`${weak.origin}/`, base);
  assert.equal(warn.summary.gateFailed, false);
  const fail = await scanUrl(`${weak.origin}/`, { ...base, rules: parseRuleConfig('10037\tFAIL\t(X-Powered-By)', 'r.tsv') });
  assert.equal(fail.summary.gateFailed, true);
  assert.equal(fail.dast.alerts.find((a) => a.zapId === 10037)!.level, 'FAIL');
  assert.equal(fail.dast.levels.FAIL, 1);
  const ignore = await scanUrl(`${weak.origin}/`, { ...base, rules: parseRuleConfig('10037\tFAIL\t(x)\n10038\tIGNORE\t(x)\n10020\tIGNORE\t(x)', 'r.tsv') });
  assert.equal(ignore.findings.some((f) => f.ruleId === 'DAST-CSP-MISSING' || f.ruleId === 'DAST-ANTI-CLICKJACKING'), false);
  assert.equal(ignore.dast.levels.IGNORE, 2);
  const scoped = await scanUrl(`${weak.origin}/`, { ...base, rules: parseRuleConfig('10037\tFAIL\t(x)\n10037\tOUTOFSCOPE\t/leaky-headers$', 'r.tsv') });
  assert.equal(scoped.summary.gateFailed, false);
  assert.equal(scoped.findings.some((f) => f.ruleId === 'DAST-X-POWERED-BY'), false);
  const msg = await scanUrl(`${weak.origin}/`, { ...base, rules: parseRuleConfig('10037\tWARN\t(x)\tSee SEC-7', 'r.tsv') });
  assert.match(msg.findings.find((f) => f.ruleId === 'DAST-X-POWERED-BY')!.message, / See SEC-7$/);
});

test('-z rule options reach the rules (in the worker threads too)', async () => {
  const r = await scanUrl(`${weak.origin}/`, { ...base, zapOptions: '-config rules.cookie.ignorelist=sid -config rules.csrf.ignorelist=nothing' });
  assert.equal(r.findings.some((f) => f.ruleId === 'DAST-COOKIE-NO-HTTPONLY'), false);
  assert.ok(r.findings.some((f) => f.ruleId === 'DAST-ANTI-CSRF-TOKENS'));
});

test('--fail-on adds a severity gate on top of the levels', async () => {
  const r = await scanUrl(`${weak.origin}/`, { ...base, failOn: 'high' });
  assert.equal(r.summary.gateFailed, true);
  assert.equal(r.summary.failOn, 'high');
});

test('bosun.yaml: dast.rules levels (file wins over bosun.yaml) and waivers with expiry', async () => {
  const yaml = join(dir, 'bosun.yaml');
  await writeFile(
    yaml,
    [
      'dast:',
      '  rules:',
      '    "10037": FAIL',
      '    DAST-CSP-MISSING: IGNORE',
      'waivers:',
      '  - rule: DAST-X-POWERED-BY',
      '    kind: URL',
      `    name: "${weak.origin}/leaky-*"`,
      '    reason: "Legacy PHP front, replaced in Q3 (SEC-99)"',
      '    expires: "2099-01-01"',
      '  - rule: DAST-COOKIE-*',
      '    reason: old',
      '    expires: "2020-01-01"',
    ].join('\n'),
  );
  const r = await scanUrl(`${weak.origin}/`, { ...base, config: yaml });
  assert.equal(r.findings.some((f) => f.ruleId === 'DAST-CSP-MISSING'), false);
  const xpb = r.findings.filter((f) => f.ruleId === 'DAST-X-POWERED-BY');
  assert.equal(xpb.length, 1);
  assert.deepEqual(xpb[0]!.suppressed, { by: 'config', reason: 'Legacy PHP front, replaced in Q3 (SEC-99)', expires: '2099-01-01' });
  assert.equal(r.summary.gateFailed, false, 'the only FAIL finding is waived');
  assert.deepEqual(r.summary.expiredWaivers.map((w) => w.rule), ['DAST-COOKIE-*']);
  assert.ok(r.findings.some((f) => f.ruleId === 'DAST-COOKIE-NO-HTTPONLY' && f.suppressed === undefined));
  const fileWins = await scanUrl(`${weak.origin}/`, { ...base, config: yaml, rules: parseRuleConfig('10038\tWARN\t(x)', 'r.tsv') });
  assert.ok(fileWins.findings.some((f) => f.ruleId === 'DAST-CSP-MISSING'));
});

test('bosun.yaml with an unknown dast rule or level is a config error', async () => {
  const yaml = join(dir, 'bad.yaml');
  await writeFile(yaml, 'dast:\n  rules:\n    "10038": BLOCK\n');
  await assert.rejects(scanUrl(`${weak.origin}/`, { ...base, config: yaml }), { code: 'E_CONFIG' });
  await writeFile(yaml, 'dast:\n  rules:\n    DAST-NOPE: WARN\n');
  await assert.rejects(scanUrl(`${weak.origin}/`, { ...base, config: yaml }), { code: 'E_CONFIG' });
});

test('fingerprints are stable across runs', async () => {
  const a = await scanUrl(`${weak.origin}/`, base);
  const b = await scanUrl(`${weak.origin}/`, base);
  assert.deepEqual(a.findings.map((f) => f.fingerprint), b.findings.map((f) => f.fingerprint));
  assert.equal(new Set(a.findings.map((f) => f.fingerprint)).size, a.findings.length);
});
