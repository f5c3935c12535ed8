import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareApk, compareVersions, isValidApk, type VersionScheme } from '../../src/vuln/versions/index.ts';
import { rpmvercmp } from '../../src/vuln/versions/rpm.ts';

const DIR = join(import.meta.dirname, '../../../shared/testdata/versions');

interface Vector {
  a: string;
  b: string;
  cmp: -1 | 0 | 1;
}

function vectors(file: string): Vector[] {
  return readFileSync(join(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Vector);
}

function disagreements(file: string, compare: (a: string, b: string) => number): string[] {
  const bad: string[] = [];
  for (const v of vectors(file)) {
    let got: number | string;
    try {
      got = compare(v.a, v.b);
    } catch (err) {
      got = (err as Error).message;
    }
    if (got !== v.cmp) bad.push(`${v.a} vs ${v.b}: want ${v.cmp}, got ${got}`);
  }
  return bad;
}

const FILES: Array<[string, (a: string, b: string) => number, number]> = [
  ['dpkg.jsonl', (a, b) => compareVersions('dpkg', a, b), 229],
  ['rpm.jsonl', rpmvercmp, 241],
  ['rpm-evr.jsonl', (a, b) => compareVersions('rpm', a, b), 48],
  ['apk.jsonl', compareApk, 867],
  ['pep440.jsonl', (a, b) => compareVersions('pep440', a, b), 231],
  ['maven.jsonl', (a, b) => compareVersions('maven', a, b), 186],
];

for (const [file, compare, count] of FILES) {
  test(`every vector in versions/${file} agrees`, () => {
    assert.equal(vectors(file).length, count);
    assert.deepEqual(disagreements(file, compare), []);
  });
}

test('apk validity follows versions/apk-validity.jsonl', () => {
  const rows = readFileSync(join(DIR, 'apk-validity.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { v: string; valid: boolean });
  assert.equal(rows.length, 31);
  assert.deepEqual(rows.filter((r) => isValidApk(r.v) !== r.valid).map((r) => r.v), []);
});

// Schemes without shared vectors: known orderings from each scheme's documentation.
const TABLE: Array<[VersionScheme, string, string, -1 | 0 | 1]> = [
  ['semver', '1.0.0-alpha', '1.0.0-alpha.1', -1],
  ['semver', '1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
  ['semver', '1.0.0-alpha.beta', '1.0.0-beta', -1],
  ['semver', '1.0.0-beta.2', '1.0.0-beta.11', -1],
  ['semver', '1.0.0-rc.1', '1.0.0', -1],
  ['semver', '1.0.0+build.1', '1.0.0+build.2', 0],
  ['semver', '2.0.0', '10.0.0', -1],
  ['semver', 'v1.2.3', '1.2.3', 0],
  ['go', 'v0.0.0-20191109021931-daa7c04131f5', 'v0.0.1', -1],
  ['go', '0.17.0', 'v0.17.0', 0],
  ['go', 'v2.0.0+incompatible', 'v2.0.0', 0],
  ['go', 'go1.21', '1.21.0', 0],
  ['go', 'go1.22rc1', 'go1.22.0', -1],
  ['go', '1.21.3', 'go1.21.10', -1],
  ['cargo', '0.1.43', '0.2.23', -1],
  ['cargo', '1.0.0-alpha', '1.0.0', -1],
  ['rubygems', '1.0', '1', 0],
  ['rubygems', '1.0.a', '1.0', -1],
  ['rubygems', '1.0.a.2', '1.0.a.10', -1],
  ['rubygems', '1.0.b1', '1.0.a2', 1],
  ['rubygems', '4.2.0.rc1', '4.2.0', -1],
  ['rubygems', '5.2.4.3', '5.2.4', 1],
  ['rubygems', '1.0-1', '1.0', -1],
  ['nuget', '1.0', '1.0.0.0', 0],
  ['nuget', '1.0.0.1', '1.0.0', 1],
  ['nuget', '1.0.0-Beta', '1.0.0-beta', 0],
  ['nuget', '1.0.0-beta.2', '1.0.0-beta.10', -1],
  ['nuget', '1.0.0-rc', '1.0.0', -1],
  ['packagist', '1.0.0', 'v1.0.0', 0],
  ['packagist', '1.0.0-RC1', '1.0.0', -1],
  ['packagist', '1.0.0-beta2', '1.0.0-RC1', -1],
  ['packagist', '1.0.0-dev', '1.0.0-alpha1', -1],
  ['packagist', '1.0', '1.0.1', -1],
  ['packagist', '1.0.0-p1', '1.0.0', 1],
  // as Composer normalises (test/vuln/version-properties checks composer/semver itself)
  ['packagist', '1.0', '1.0.0', 0],
  ['packagist', 'v2', '2.0.0.0', 0],
  ['packagist', '1.0-patch1', '1.0', 1],
  ['packagist', '1.0-stable', '1.0', 0],
  ['packagist', '1.0+build.5', '1.0', 0],
  ['packagist', '1.x-dev', '1.99', 1],
  ['packagist', '1.x-dev', '2.0-alpha', -1],
  ['pep440', '1.0', '1.0.0', 0],
  ['dpkg', '1.0~rc1', '1.0', -1],
  ['rpm', '1:1.0-1', '2.0-1', 1],
  ['apk', '1.2.3_rc1-r0', '1.2.3-r0', -1],
  ['maven', '2.14.1', '2.15.0', -1],
];

test('schemes without shared vectors order as documented', () => {
  const bad = TABLE.filter(([s, a, b, want]) => compareVersions(s, a, b) !== want || compareVersions(s, b, a) !== -want).map(([s, a, b, want]) => `${s} ${a} vs ${b}: want ${want}`);
  assert.deepEqual(bad, []);
});

test('unparseable versions throw E_VERSION instead of guessing', () => {
  for (const [scheme, v] of [['semver', '1.2'], ['semver', 'latest'], ['pep440', '0.1-bulbasaur'], ['apk', '1.0_foobar'], ['nuget', 'abc'], ['rubygems', '1.0 beta'], ['go', 'master'], ['dpkg', '']] as const) {
    assert.throws(() => compareVersions(scheme, v, '1.0.0'), { code: 'E_VERSION' }, `${scheme} ${v}`);
  }
});
