/**
 * Every fixture in ../shared/testdata/lockfiles with an `.expected.json` (semantics in its
 * EXPECTED.md): the extracted (name, version) set equals the expectation; fixtures upstream
 * expects to fail must fail. Fixtures are read in place, never copied.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parseLockfile, type LockfileType } from '../../src/image/lockfiles.ts';

const ROOT = join(import.meta.dirname, '../../../shared/testdata/lockfiles');

const TYPE_BY_DIR: Record<string, LockfileType> = {
  'dotnet/deps-json': 'deps-json',
  'go/gomod': 'go-mod',
  'java/gradle-lockfile': 'gradle-lockfile',
  'java/pom-xml': 'pom-xml',
  'npm/package-json': 'package-json',
  'npm/package-lock': 'package-lock',
  'npm/pnpm-lock': 'pnpm-lock',
  'npm/yarn-lock': 'yarn-lock',
  'os/apk': 'apk-installed',
  'os/dpkg': 'dpkg-status',
  'os/rpm': 'rpmdb',
  'php/composer-lock': 'composer-lock',
  'python/dist-info-egg': 'python-metadata',
  'python/pdm-lock': 'pdm-lock',
  'python/pipfile-lock': 'pipfile-lock',
  'python/poetry-lock': 'poetry-lock',
  'python/requirements': 'requirements',
  'python/uv-lock': 'uv-lock',
  'ruby/gemfile-lock': 'gemfile-lock',
  'rust/cargo-lock': 'cargo-lock',
};

function typeOf(rel: string): LockfileType {
  const key = Object.keys(TYPE_BY_DIR).find((d) => rel.startsWith(`${d}/`));
  assert.ok(key !== undefined, `no type for ${rel}`);
  return TYPE_BY_DIR[key]!;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Where bosun deliberately differs from the upstream expectation, with the result it gives.
 * A project package.json reports the package itself: its dependency ranges are not installed
 * versions (no registry is asked), and the upstream cases disagree among themselves (undici's and
 * accepts' dependencies are not expected, these two files' are).
 */
const KNOWN_DISAGREEMENTS: Record<string, string[]> = {
  'npm/package-json/duplicate-keys.json': ['duplicate-keys@1.0.0'],
  'npm/package-json/package-with-deps.json': ['package-with-deps@1.2.3'],
};

type Pkg = { name: string; version: string; epoch?: number };
const key = (p: Pkg) => `${p.name}@${p.version}${p.epoch ? `:${p.epoch}` : ''}`;
const set = (ps: Pkg[]) => [...new Set(ps.map(key))].sort();

const available = existsSync(ROOT);
const files = available ? walk(ROOT) : [];
const expectedFiles = files.filter((f) => f.endsWith('.expected.json'));
const errorFixtures = available
  ? [...readFileSync(join(ROOT, 'EXPECTED.md'), 'utf8').matchAll(/^\| `([^`]+)` \| upstream expects an error/gm)].map((m) => m[1]!)
  : [];

describe('lockfile and package-database fixtures', { skip: available ? undefined : 'no ../shared/testdata/lockfiles' }, () => {
  let agreed = 0;
  for (const exp of expectedFiles) {
    const fixture = exp.replace(/\.expected\.json$/, '');
    const rel = relative(ROOT, fixture);
    test(rel, () => {
      const want = JSON.parse(readFileSync(exp, 'utf8')) as Pkg[];
      const got = set(parseLockfile(typeOf(rel), fixture).map((p) => ({ name: p.name, version: p.version, ...(p.epoch !== undefined && { epoch: p.epoch }) })));
      const known = KNOWN_DISAGREEMENTS[rel];
      if (known !== undefined) {
        assert.deepEqual(got, known);
        return;
      }
      assert.deepEqual(got, set(want));
      agreed++;
    });
  }
  for (const sub of files.filter((f) => f.endsWith('.expected-subset.json'))) {
    const fixture = sub.replace(/\.expected-subset\.json$/, '');
    const rel = relative(ROOT, fixture);
    test(`${rel} (subset)`, () => {
      const want = JSON.parse(readFileSync(sub, 'utf8')) as Pkg[];
      const got = new Set(parseLockfile('rpmdb', fixture).map((p) => key({ name: p.name, version: p.version })));
      for (const w of want) assert.ok(got.has(key(w)), key(w));
    });
  }
  for (const rel of errorFixtures) {
    test(`${rel} fails`, () => {
      assert.throws(() => parseLockfile(typeOf(rel), join(ROOT, rel)), (err: Error & { code?: string }) => err.code === 'E_LOCKFILE' || err.code === 'E_PACKAGE_DB');
    });
  }
  test('rpm sqlite: all 129 packages of the derived list', () => {
    const want = JSON.parse(readFileSync(join(ROOT, 'os/rpm/sqlite-cbl-mariner-2.0/rpmdb.sqlite.derived.json'), 'utf8')) as Pkg[];
    const got = parseLockfile('rpmdb', join(ROOT, 'os/rpm/sqlite-cbl-mariner-2.0/rpmdb.sqlite'));
    assert.deepEqual(set(got.map((p) => ({ name: p.name, version: p.version, ...(p.epoch !== undefined && { epoch: p.epoch }) }))), set(want));
    const curl = got.find((p) => p.name === 'curl')!;
    assert.deepEqual({ source: curl.source, arch: curl.arch, licenses: curl.licenses }, { source: { name: 'curl', version: curl.version }, arch: 'x86_64', licenses: ['MIT'] });
  });
  test('fixture agreement: 201 of 203 expectations, 24 of 24 expected errors', () => {
    assert.equal(expectedFiles.length, 203);
    assert.equal(errorFixtures.length, 24);
    assert.equal(agreed, expectedFiles.length - Object.keys(KNOWN_DISAGREEMENTS).length);
  });
});
