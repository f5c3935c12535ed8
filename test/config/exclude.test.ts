/** bosun.yaml `exclude` and `scan --skip`: path globs that directory walks leave out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathGlobMatcher } from '../../src/core/glob.ts';
import { scanManifests } from '../../src/scan.ts';

test('path globs: ** spans directories, * stays in a name, a bare name matches at any depth', () => {
  const m = pathGlobMatcher(['policies/', 'charts/*/tests', '**/*.template.yaml', 'fixtures', 'a/**']);
  // As in .gitignore, a trailing / does not anchor: `policies/` matches at any depth.
  for (const yes of ['policies', 'sub/policies', 'charts/web/tests', 'x.template.yaml', 'deep/er/x.template.yaml', 'fixtures', 'deep/fixtures', 'a/b', 'a/b/c.yaml']) assert.ok(m(yes), yes);
  for (const no of ['policies.yaml', 'charts/web/sub/tests', 'charts/tests', 'x.yaml', 'fixtures2', 'ab/c']) assert.ok(!m(no), no);
  assert.ok(pathGlobMatcher(['ci?.yaml'])('deep/ci1.yaml'));
  assert.ok(!pathGlobMatcher(['ci?.yaml'])('deep/ci12.yaml'));
  assert.ok(!pathGlobMatcher([])('anything'));
  // Relative to a base: absolute or parent-relative patterns could never match, so they are refused.
  for (const bad of ['/policies', '../x', 'a/../b', '..']) assert.throws(() => pathGlobMatcher([bad]), { code: 'E_CONFIG' }, bad);
});

const BAD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}\n';

test('scan: exclude (relative to bosun.yaml) and --skip (relative to the working directory) leave paths out of walks; named files are still read', async () => {
  const root = await mkdtemp(join(tmpdir(), 'bosun-exclude-'));
  const cwd = process.cwd();
  try {
    await mkdir(join(root, 'app', 'tests'), { recursive: true });
    await mkdir(join(root, 'policies', 'fixtures'), { recursive: true });
    await writeFile(join(root, 'app', 'pod.yaml'), BAD.replace('NAME', 'app'));
    await writeFile(join(root, 'app', 'tests', 'pod.yaml'), BAD.replace('NAME', 'app-test'));
    await writeFile(join(root, 'policies', 'fixtures', 'bad.yaml'), BAD.replace('NAME', 'fixture'));
    const names = async (...args: Parameters<typeof scanManifests>): Promise<string[]> => {
      const r = await scanManifests(...args);
      return [...new Set(r.findings.map((f) => (f.target as { name: string }).name))].sort();
    };
    assert.deepEqual(await names([root]), ['app', 'app-test', 'fixture']);
    await writeFile(join(root, 'bosun.yaml'), 'exclude:\n  - policies/\n  - tests\n');
    assert.deepEqual(await names([root]), ['app']);
    // A named file is read even when a glob covers it.
    assert.deepEqual(await names([root, join(root, 'policies', 'fixtures', 'bad.yaml')]), ['app', 'fixture']);
    // --skip is relative to the working directory and adds to the config's list.
    process.chdir(root);
    assert.deepEqual(await names(['.'], { config: false, exclude: ['app/**'] }), ['fixture']);
    assert.deepEqual(await names(['.'], { exclude: ['app'] }), []);
    assert.equal(relative(root, process.cwd()), '');
  } finally {
    process.chdir(cwd);
    await rm(root, { recursive: true, force: true });
  }
});

test('bosun.yaml exclude must be a list of non-empty strings', async () => {
  const { parseConfig } = await import('../../src/config/load.ts');
  assert.deepEqual(parseConfig('exclude: [a/, "**/*.tmpl.yaml"]\n', 'bosun.yaml').exclude, ['a/', '**/*.tmpl.yaml']);
  assert.throws(() => parseConfig('exclude: a/\n', 'bosun.yaml'), { code: 'E_CONFIG' });
  assert.throws(() => parseConfig('exclude: [""]\n', 'bosun.yaml'), { code: 'E_CONFIG' });
});
