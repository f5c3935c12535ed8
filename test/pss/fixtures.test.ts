/**
 * Upstream Pod Security Admission conformance fixtures (../shared/testdata/pss), scanned through
 * the real engine: every `pass` pod yields no pss finding, every `fail` pod yields a finding from
 * the check its file name names (or the restricted check overriding it at that version).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanManifests } from '../../src/scan.ts';
import { PSS_CHECKS } from '../../src/pss/index.ts';

const ROOT = fileURLToPath(new URL('../../../shared/testdata/pss/', import.meta.url));
const EXPECTED_FILES = 4537;
const LATEST = 'v1.37';

const CHECK_BY_PREFIX = new Map(PSS_CHECKS.map((c) => [c.id.toLowerCase(), c.id]));

function versionsOf(level: string): string[] {
  return readdirSync(join(ROOT, level)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

/** Check IDs that satisfy a fail fixture named `checkId` at minor `version`. */
function acceptedChecks(checkId: string, level: string, version: number): Set<string> {
  const out = new Set([checkId]);
  if (level === 'restricted')
    for (const c of PSS_CHECKS) if (c.overrides?.checkId === checkId && version >= c.overrides.fromVersion && c.variants[0]!.minVersion <= version) out.add(c.id);
  return out;
}

/** Scans one `<level>/<version>/<expectation>` directory at `policyVersion`; returns failure lines and the file count. */
async function checkDirectory(level: string, version: string, expectation: 'pass' | 'fail', policyVersion: string): Promise<{ problems: string[]; files: number }> {
  const dir = join(ROOT, level, version, expectation);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
  const report = await scanManifests(files, { config: false, checks: [], pss: `${level}:${policyVersion}` });
  const problems: string[] = [];
  if (report.errors.length > 0) problems.push(`${dir}: input errors ${JSON.stringify(report.errors)}`);
  if (report.summary.resources !== files.length) problems.push(`${dir}: loaded ${report.summary.resources} of ${files.length} pods`);
  const byFile = new Map<string, Set<string>>();
  for (const f of report.findings) {
    if (!f.ruleId.startsWith('pss/')) continue;
    const file = f.location?.file ?? '?';
    let set = byFile.get(file);
    if (set === undefined) byFile.set(file, (set = new Set()));
    set.add(f.ruleId.slice(4));
  }
  const minor = Number(version.slice(3));
  for (const file of files) {
    const found = byFile.get(file) ?? new Set<string>();
    const name = `${level}/${version}/${expectation}/${basename(file)} @${level}:${policyVersion}`;
    if (expectation === 'pass') {
      if (found.size > 0) problems.push(`${name}: unexpected ${[...found].join(', ')}`);
      continue;
    }
    const prefix = basename(file, '.yaml').replace(/\d+$/, '');
    const checkId = CHECK_BY_PREFIX.get(prefix);
    if (checkId === undefined) {
      problems.push(`${name}: no check for prefix ${prefix}`);
      continue;
    }
    const accepted = acceptedChecks(checkId, level, minor);
    if (![...found].some((id) => accepted.has(id))) problems.push(`${name}: expected ${[...accepted].join(' or ')}, got ${[...found].join(', ') || 'nothing'}`);
  }
  return { problems, files: files.length };
}

let total = 0;
let latestTotal = 0;

for (const level of ['baseline', 'restricted']) {
  test(`PSS fixtures: ${level}, every version`, async () => {
    const problems: string[] = [];
    for (const version of versionsOf(level))
      for (const expectation of ['pass', 'fail'] as const) {
        const r = await checkDirectory(level, version, expectation, version);
        problems.push(...r.problems);
        total += r.files;
      }
    assert.deepEqual(problems, []);
  });
}

test('PSS fixtures: latest evaluates as v1.37', async () => {
  const problems: string[] = [];
  for (const level of ['baseline', 'restricted'])
    for (const expectation of ['pass', 'fail'] as const) {
      const r = await checkDirectory(level, LATEST, expectation, 'latest');
      problems.push(...r.problems);
      latestTotal += r.files;
    }
  assert.deepEqual(problems, []);
});

test('PSS fixtures: every file was checked', () => {
  assert.equal(total, EXPECTED_FILES);
  // v1.37: baseline 15 pass + 34 fail, restricted 23 pass + 76 fail
  assert.equal(latestTotal, 148);
});
