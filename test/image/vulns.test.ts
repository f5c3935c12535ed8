/** Image and fs scans report vulnerabilities from the local OSV store (issue 5's matching over issue 4's inventory). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOsv } from '../../src/vuln/store/import.ts';
import { scanFilesystem } from '../../src/image/fs-scan.ts';
import { SHARED_TESTDATA } from '../helpers.ts';

const LOCKFILE = join(SHARED_TESTDATA, 'lockfiles/npm/package-lock/files.v1.json');

test('fs scan with the vuln scanner: lodash 1.3.1 from a package-lock has CVE-2019-10744, with its package and fix', async () => {
  const db = join(await mkdtemp(join(tmpdir(), 'bosun-vulnscan-')), 'osv.sqlite');
  await importOsv(join(SHARED_TESTDATA, 'osv'), { dbPath: db });
  const report = await scanFilesystem(null, { config: false, scanners: ['vuln'], vulnDb: db, lockfiles: [{ type: 'package-lock', path: LOCKFILE }] });
  const lodash = report.findings.filter((f) => f.target.type === 'file' && f.target.package?.name === 'lodash');
  assert.ok(lodash.some((f) => f.ruleId === 'CVE-2019-10744'), JSON.stringify(lodash.map((f) => f.ruleId)));
  const f = lodash.find((x) => x.ruleId === 'CVE-2019-10744')!;
  assert.equal(f.severity, 'critical');
  assert.ok(f.aliases?.includes('GHSA-jf85-cpcp-j695'));
  assert.equal(report.summary.gateFailed, true);
});

test('asking for the vuln scanner without a store is a clear error; by default a missing store is skipped', async () => {
  const missing = join(await mkdtemp(join(tmpdir(), 'bosun-vulnscan-')), 'none.sqlite');
  await assert.rejects(scanFilesystem(null, { config: false, scanners: ['vuln'], vulnDb: missing, lockfiles: [{ type: 'package-lock', path: LOCKFILE }] }), { code: 'E_DB_MISSING' });
  const report = await scanFilesystem(null, { config: false, vulnDb: missing, lockfiles: [{ type: 'package-lock', path: LOCKFILE }] });
  assert.deepEqual(report.findings.filter((f) => f.ruleId.startsWith('CVE-')), []);
});
