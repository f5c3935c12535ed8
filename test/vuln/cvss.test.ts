import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { cvss3BaseScore } from '../../src/vuln/osv/cvss3.ts';
import { cvss4BaseScore } from '../../src/vuln/osv/cvss4.ts';
import { rateSeverity } from '../../src/vuln/osv/severity.ts';
import { osvFixtures } from './helpers.ts';

test('CVSS v3.x base scores from vectors', () => {
  const cases: Array<[string, number]> = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10], // log4shell
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', 9.1], // lodash
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H', 9.0], // CVE-2021-45046
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N', 4.7], // CVE-2018-5407
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N', 6.1], // CVE-2023-32681
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:P/RL:O', 6.4], // temporal metrics ignored
  ];
  assert.deepEqual(cases.map(([v]) => cvss3BaseScore(v)), cases.map(([, s]) => s));
  for (const bad of ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'CVSS:2.0/AV:N', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']) assert.equal(cvss3BaseScore(bad), undefined, bad);
});

test('CVSS v4.0 base scores from vectors (macrovectors and interpolation)', () => {
  const cases: Array<[string, number]> = [
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 6.9],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N', 6.9], // GHSA-qppj-fm5r-hxr3
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X', 9.3],
  ];
  assert.deepEqual(cases.map(([v]) => cvss4BaseScore(v)), cases.map(([, s]) => s));
  for (const bad of ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']) assert.equal(cvss4BaseScore(bad), undefined, bad);
});

test('every CVSS vector in the shared OSV records scores', () => {
  const vectors = osvFixtures().flatMap((f) => [...(f.record.severity ?? []), ...(f.record.affected ?? []).flatMap((a) => a.severity ?? [])]).filter((s) => s.type.startsWith('CVSS_V'));
  assert.equal(vectors.length, 27);
  assert.deepEqual(vectors.filter((s) => (s.type === 'CVSS_V3' ? cvss3BaseScore(s.score) : cvss4BaseScore(s.score)) === undefined), []);
});

test('rating: CVSS v3 first, then v4, distro ratings, GHSA database severity, else unknown', () => {
  const rec = (severity: Array<{ type: string; score: string }>, extra: object = {}) => ({ record: { id: 'X', modified: '2024-01-01T00:00:00Z', severity, ...extra }, affected: {} });
  assert.deepEqual(rateSeverity([rec([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }])]), { severity: 'medium', source: 'CVSS_V3', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', score: 5.3 });
  assert.equal(rateSeverity([rec([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }])]).severity, 'critical');
  // A score without a valid vector is not trusted.
  assert.equal(rateSeverity([rec([{ type: 'CVSS_V3', score: '9.8' }])]).source, 'unknown');
  assert.deepEqual(rateSeverity([rec([{ type: 'Ubuntu', score: 'negligible' }])]), { severity: 'info', source: 'Ubuntu' });
  assert.deepEqual(rateSeverity([{ record: { id: 'X', modified: 'x' }, affected: { ecosystem_specific: { urgency: 'high' } } }]), { severity: 'high', source: 'Debian' });
  assert.deepEqual(rateSeverity([rec([], { database_specific: { severity: 'MODERATE' } })]), { severity: 'medium', source: 'database' });
});

const cvssSuite = spawnSync('ruby', ['-e', 'require "cvss_suite"']).status === 0;

test('CVSS 3.0 and 3.1: every base vector (5,184) scores as the cvss-suite gem scores it', { skip: !cvssSuite && process.env['BOSUN_REQUIRE_INTEGRATION'] !== '1' ? 'no ruby-cvss-suite' : undefined }, () => {
  assert.ok(cvssSuite, 'ruby-cvss-suite is required (BOSUN_REQUIRE_INTEGRATION=1): apt-get install ruby-cvss-suite');
  const metrics: Array<[string, string[]]> = [['AV', ['N', 'A', 'L', 'P']], ['AC', ['L', 'H']], ['PR', ['N', 'L', 'H']], ['UI', ['N', 'R']], ['S', ['U', 'C']], ['C', ['N', 'L', 'H']], ['I', ['N', 'L', 'H']], ['A', ['N', 'L', 'H']]];
  let suffixes = [''];
  for (const [k, values] of metrics) suffixes = suffixes.flatMap((p) => values.map((v) => `${p}/${k}:${v}`));
  const vectors = suffixes.flatMap((v) => [`CVSS:3.1${v}`, `CVSS:3.0${v}`]);
  const r = spawnSync('ruby', ['-e', 'require "cvss_suite"; STDIN.each_line { |l| puts CvssSuite.new(l.strip).base_score }'], { input: vectors.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map(Number);
  assert.equal(theirs.length, 5184);
  const differ = vectors.filter((v, i) => cvss3BaseScore(v) !== theirs[i]);
  assert.deepEqual(differ.slice(0, 5), []);
});
