/** Image and fs scans report vulnerabilities from the local OSV store (issue 5's matching over issue 4's inventory). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsvRecord } from '../../src/vuln/osv/record.ts';
import { importOsv } from '../../src/vuln/store/import.ts';
import { defaultStorePath } from '../../src/vuln/store/paths.ts';
import { scanFilesystem } from '../../src/image/fs-scan.ts';
import { scanImage } from '../../src/image/scan.ts';
import { REPO_ROOT, SHARED_TESTDATA } from '../helpers.ts';
import { exportFiles, serve } from '../vuln/helpers.ts';
import { integrationSkip, testImages, type TestImages } from './images.ts';

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

test('hermetic: the default store is this test process\'s own cache dir, and a store there is used by default', async () => {
  const path = defaultStorePath();
  assert.ok(path.startsWith(join(tmpdir(), 'bosun-test-cache-')), path);
  assert.ok(!path.startsWith(join(homedir(), '.cache')), path);
  assert.equal(existsSync(path), false);
  await importOsv(join(SHARED_TESTDATA, 'osv'), { dbPath: path });
  try {
    // No vulnDb and no scanner list: the vuln scanner runs because the default store exists.
    const report = await scanFilesystem(null, { config: false, lockfiles: [{ type: 'package-lock', path: LOCKFILE }] });
    assert.ok(report.findings.some((f) => f.ruleId === 'CVE-2019-10744'));
  } finally {
    rmSync(path);
  }
});

/** `dpkg-query -W` of the test image's rootfs (recorded when it was built): package → version, source, source version. */
function installed(images: TestImages): Map<string, { version: string; source: string; sourceVersion: string }> {
  const out = new Map<string, { version: string; source: string; sourceVersion: string }>();
  for (const line of readFileSync(join(images.dir, 'dpkg-query.tsv'), 'utf8').split('\n')) {
    const [pkg, version, , source, sourceVersion] = line.split('\t');
    if (pkg !== undefined && pkg !== '' && version !== undefined) out.set(pkg, { version, source: source || pkg, sourceVersion: sourceVersion || version });
  }
  return out;
}

/** A Debian advisory in the shape of the OSV Debian records (DSA-3029-1 in the shared records), for this image's release. */
function debianAdvisory(id: string, cve: string, source: string, fixed: string): OsvRecord {
  return {
    id,
    summary: `${source} - security update`,
    affected: [{ package: { ecosystem: 'Debian:12', name: source }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
    aliases: [cve],
    published: '2026-01-10T00:00:00Z',
    modified: '2026-01-10T08:00:00Z',
    details: `\nA flaw was found in ${source} (test advisory generated from the test image's installed version).\n\nFor the stable distribution (bookworm), this problem has been fixed in\nversion ${fixed}.\n`,
    references: [{ type: 'ADVISORY', url: `https://www.debian.org/security/2026/${id.toLowerCase()}` }],
  };
}

/** The next Debian security upload of a version: `2.36-9+deb12u14` → `2.36-9+deb12u15`, else `+deb12u1` appended. */
function nextSecurityUpload(version: string): string {
  const m = /^(.*\+deb12u)(\d+)$/.exec(version);
  return m === null ? `${version}+deb12u1` : `${m[1]}${Number(m[2]) + 1}`;
}

test('image scan of the real Debian image: OS packages matched by source package against a store from bosun db update', { skip: integrationSkip(['debootstrap', 'umoci', 'skopeo', 'go']) }, async (t) => {
  const images = testImages()!;
  const pkgs = installed(images);
  const libc = pkgs.get('libc6');
  const gzip = pkgs.get('gzip');
  const zlib = pkgs.get('zlib1g');
  assert.ok(libc !== undefined && gzip !== undefined && zlib !== undefined, 'the bookworm minbase image has libc6, gzip and zlib1g');
  assert.equal(libc.source, 'glibc');
  const glibcFix = nextSecurityUpload(libc.sourceVersion);
  // Affected: fixed after what the image has (libc6 and the other glibc binaries match through
  // their source). In the shape of osv.dev's DEBIAN-CVE records (CVE-2024-1013 in the shared
  // records): `upstream` names the CVE, the urgency rates it.
  const { aliases: _a, ...dsa } = debianAdvisory('DEBIAN-CVE-2099-9001', 'CVE-2099-9001', 'glibc', glibcFix);
  const glibcRecord: OsvRecord = { ...dsa, upstream: ['CVE-2099-9001'], affected: dsa.affected!.map((a) => ({ ...a, ecosystem_specific: { urgency: 'high' } })) };
  const records = [
    glibcRecord,
    // Not affected: fixed exactly at the installed version, and fixed below it.
    debianAdvisory('DSA-9002-1', 'CVE-2099-9002', gzip.source, gzip.sourceVersion),
    debianAdvisory('DSA-9003-1', 'CVE-2099-9003', zlib.source, '1:1.2.0-1'),
  ];
  const server = await serve(t, new Map(exportFiles('/Debian', records.map((record) => ({ record, text: JSON.stringify(record, null, 2) })))));
  const bosun = async (...args: string[]) => {
    // Asynchronously: the export server answers from this process.
    const child = spawn(process.execPath, [join(REPO_ROOT, 'src/cli/main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number];
    return { code, stdout, stderr };
  };
  // The store goes where bosun puts it by default: this test process's own cache dir.
  const update = await bosun('db', 'update', '--ecosystem', 'Debian', '--source', server.url);
  assert.equal(update.code, 0, update.stderr);
  assert.match(update.stdout, /^Debian: full, 3 records imported$/m);
  t.after(() => rmSync(defaultStorePath(), { force: true }));

  const scan = await bosun('image', 'scan', `oci:${images.oci}:debian`, '--format', 'json', '--no-config', '--scanners', 'vuln');
  assert.equal(scan.code, 1, `the high finding fails the gate\n${scan.stderr}`);
  const report = JSON.parse(scan.stdout) as { findings: Array<{ ruleId: string; severity: string; message: string; aliases?: string[]; target: { package?: { name: string; version: string; ecosystem: string; purl?: string }; path?: string; layer?: string }; vulnerability: { fixedVersions: string[]; records: string[] } }> };
  const glibcBinaries = [...pkgs].filter(([, p]) => p.source === 'glibc').map(([name]) => name).sort();
  assert.ok(glibcBinaries.includes('libc6') && glibcBinaries.includes('libc-bin'), glibcBinaries.join(' '));
  // Exactly the glibc binaries, each once, and nothing from the advisories fixed at or below the installed versions.
  assert.deepEqual(report.findings.map((f) => `${f.target.package?.name}:${f.ruleId}`).sort(), glibcBinaries.map((n) => `${n}:CVE-2099-9001`));
  const f = report.findings.find((x) => x.target.package?.name === 'libc6')!;
  assert.deepEqual(f.target.package, { name: 'libc6', version: libc.version, ecosystem: 'Debian:12', purl: f.target.package?.purl });
  assert.match(f.target.package!.purl!, /^pkg:deb\/debian\/libc6@.*distro=debian-12.*upstream=glibc/);
  assert.deepEqual(f.vulnerability.fixedVersions, [glibcFix]);
  assert.deepEqual([f.severity, f.vulnerability.records, f.aliases], ['high', ['DEBIAN-CVE-2099-9001'], ['DEBIAN-CVE-2099-9001']]);
  assert.equal(f.target.path, 'var/lib/dpkg/status');
  assert.match(f.target.layer ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.equal(f.message, `libc6 ${libc.version} (Debian:12) is affected by CVE-2099-9001 (severity from Debian); fixed in ${glibcFix}`);
});

test('image scan of a RHEL 8.8 root filesystem: its rpm database matched against Red Hat records, not for CentOS Stream', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-vulnscan-rhel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A real rpm database (Berkeley DB) from an el8 image: libuuid 2.32.1-42.el8_8, built from util-linux.
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'var/lib/rpm'), { recursive: true });
  mkdirSync(join(rootfs, 'etc'));
  copyFileSync(join(SHARED_TESTDATA, 'lockfiles/os/rpm/bdb-libuuid/Packages'), join(rootfs, 'var/lib/rpm/Packages'));
  const osRelease = (fields: string) => writeFileSync(join(rootfs, 'etc/os-release'), fields);
  // Red Hat records as Red Hat's OSV export shapes them (RHSA-2024:4546 in the shared records);
  // generated for this test, not real advisories.
  const record = (id: string, cve: string, name: string, ecosystem: string, fixed: string): OsvRecord => ({
    schema_version: '1.7.0',
    id,
    modified: '2025-01-01T00:00:00Z',
    published: '2025-01-01T00:00:00Z',
    upstream: [cve],
    summary: `Red Hat Security Advisory: ${name} security update (test record)`,
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { name, ecosystem, purl: `pkg:rpm/redhat/${name}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
  });
  const osv = join(dir, 'osv');
  mkdirSync(osv);
  for (const r of [
    record('RHSA-TEST:1001', 'CVE-2099-1001', 'libuuid', 'Red Hat:enterprise_linux:8::baseos', '0:2.32.1-44.el8_9.1'),
    // Named by its source package only.
    record('RHSA-TEST:1002', 'CVE-2099-1002', 'util-linux', 'Red Hat:enterprise_linux:8::baseos', '0:2.32.1-43.el8'),
    // Fixed before the installed build: not affected.
    record('RHSA-TEST:1003', 'CVE-2099-1003', 'libuuid', 'Red Hat:enterprise_linux:8::baseos', '0:2.32.1-42.el8_8'),
    // RHEL 9's stream: another release.
    record('RHSA-TEST:1004', 'CVE-2099-1004', 'libuuid', 'Red Hat:enterprise_linux:9::baseos', '0:2.37.4-15.el9'),
  ]) writeFileSync(join(osv, `${r.id.replace(':', '_')}.json`), JSON.stringify(r, null, 2));
  const db = join(dir, 'osv.sqlite');
  await importOsv(osv, { dbPath: db });
  const scan = async () => {
    const report = await scanImage(`rootfs:${rootfs}`, { config: false, scanners: ['vuln'], vulnDb: db });
    return report.findings.map((f) => {
      const pkg = f.target.type === 'image' ? f.target.package : undefined;
      return `${pkg?.name} ${pkg?.version} ${pkg?.ecosystem} ${f.ruleId} ${(f as { vulnerability?: { fixedVersions: string[] } }).vulnerability?.fixedVersions.join(',')} ${f.severity}`;
    }).sort();
  };

  osRelease('NAME="Red Hat Enterprise Linux"\nVERSION="8.8 (Ootpa)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="8.8"\nPRETTY_NAME="Red Hat Enterprise Linux 8.8 (Ootpa)"\n');
  assert.deepEqual(await scan(), ['libuuid 2.32.1-42.el8_8 Red Hat:8.8 CVE-2099-1001 0:2.32.1-44.el8_9.1 high', 'libuuid 2.32.1-42.el8_8 Red Hat:8.8 CVE-2099-1002 0:2.32.1-43.el8 high']);
  // CentOS Linux 8 is rebuilt from RHEL 8: the same answer.
  osRelease('NAME="CentOS Linux"\nVERSION="8"\nID="centos"\nVERSION_ID="8"\nPRETTY_NAME="CentOS Linux 8"\n');
  assert.deepEqual(await scan(), ['libuuid 2.32.1-42.el8_8 Red Hat:8 CVE-2099-1001 0:2.32.1-44.el8_9.1 high', 'libuuid 2.32.1-42.el8_8 Red Hat:8 CVE-2099-1002 0:2.32.1-43.el8 high']);
  // CentOS Stream and AlmaLinux: Red Hat's data does not apply.
  osRelease('NAME="CentOS Stream"\nVERSION="8"\nID="centos"\nVERSION_ID="8"\nPRETTY_NAME="CentOS Stream 8"\n');
  assert.deepEqual(await scan(), []);
  osRelease('NAME="AlmaLinux"\nVERSION="8.8 (Sapphire Caracal)"\nID="almalinux"\nVERSION_ID="8.8"\nPRETTY_NAME="AlmaLinux 8.8 (Sapphire Caracal)"\n');
  assert.deepEqual(await scan(), []);
});
