import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { matchVulnerabilities, type PackageRef, type RecordSource, type VulnMatch } from '../../src/vuln/match.ts';
import type { OsvRecord } from '../../src/vuln/osv/record.ts';
import { packageKey } from '../../src/vuln/osv/record.ts';
import { importOsv } from '../../src/vuln/store/import.ts';
import { openStore } from '../../src/vuln/store/store.ts';
import { OSV_DIR, SHARED, fixture, osvFixtures, tempDir } from './helpers.ts';

/** The real records (withdrawn variant included: matching must ignore it), in memory. */
function memorySource(records: OsvRecord[]): RecordSource {
  const index = new Map<string, OsvRecord[]>();
  for (const r of records) {
    for (const a of r.affected ?? []) {
      if (a.package === undefined) continue;
      const k = `${a.package.ecosystem}\u0000${packageKey(a.package.ecosystem, a.package.name)}`;
      const list = index.get(k) ?? [];
      if (!list.includes(r)) list.push(r);
      index.set(k, list);
    }
  }
  return { lookup: (eco, name) => index.get(`${eco}\u0000${packageKey(eco, name)}`) ?? [] };
}

const ALL = memorySource(osvFixtures().map((f) => f.record));

/** id, fixed versions, severity (and its source) of each match: what a known answer pins. */
function summary(matches: VulnMatch[]): Array<[string, string, string, string[], string, string]> {
  return matches.map((m) => [`${m.package.name}@${m.package.version}`, m.id, m.records.join('+'), m.fixedVersions, m.severity, m.severitySource]);
}

/** npm package-lock v1: the nested `dependencies` tree (file: dependencies have no registry version). */
function readPackageLockV1(path: string): PackageRef[] {
  const out: PackageRef[] = [];
  const walk = (deps: Record<string, { version: string; dependencies?: Record<string, never> }> | undefined): void => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (!d.version.startsWith('file:')) out.push({ ecosystem: 'npm', name, version: d.version, purl: `pkg:npm/${name}@${d.version}`, location: path });
      walk(d.dependencies);
    }
  };
  walk((JSON.parse(readFileSync(path, 'utf8')) as { dependencies: never }).dependencies);
  return out;
}

/** apk `installed`: P: name, V: version, o: origin (the source package OSV keys on). */
function readApkInstalled(path: string, ecosystem: string): PackageRef[] {
  return readFileSync(path, 'utf8')
    .split('\n\n')
    .map((block) => Object.fromEntries(block.split('\n').filter((l) => l[1] === ':').map((l) => [l[0], l.slice(2)])) as Record<string, string>)
    .filter((b) => b['P'] !== undefined)
    .map((b) => ({ ecosystem, name: b['P']!, version: b['V']!, sourceName: b['o'] ?? b['P']!, sourceVersion: b['V']! }));
}

test('npm lockfile: lodash 1.3.1 has the prototype-pollution advisory (GHSA-jf85-cpcp-j695 / CVE-2019-10744)', () => {
  const pkgs = readPackageLockV1(join(SHARED, 'lockfiles/npm/package-lock/files.v1.json'));
  assert.deepEqual(pkgs.map((p) => `${p.name}@${p.version}`), ['lodash@1.3.1']);
  const [m, ...rest] = matchVulnerabilities(pkgs, ALL);
  assert.equal(rest.length, 0);
  assert.deepEqual(summary([m!]), [['lodash@1.3.1', 'CVE-2019-10744', 'GHSA-jf85-cpcp-j695', ['4.17.12'], 'critical', 'CVSS_V3']]);
  assert.deepEqual(m!.aliases, ['GHSA-jf85-cpcp-j695']);
  assert.deepEqual(m!.cvss, { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', score: 9.1 });
  assert.equal(m!.summary, 'Prototype Pollution in lodash');
  assert.ok(m!.references.includes('https://nvd.nist.gov/vuln/detail/CVE-2019-10744'));
});

test('npm boundaries: exactly fixed is clean, just below is affected', () => {
  const at = (version: string) => summary(matchVulnerabilities([{ ecosystem: 'npm', name: 'lodash', version }], ALL)).map((s) => s[1]);
  assert.deepEqual(at('4.17.11'), ['CVE-2019-10744']);
  assert.deepEqual(at('4.17.12'), []);
  assert.deepEqual(at('0.0.1'), ['CVE-2019-10744']);
});

test('Maven: log4shell and its follow-up on log4j-core, per branch, with boundaries', () => {
  // No shared lockfile declares log4j-core; the inventory is the pom fixture's packages plus it.
  const pom = JSON.parse(readFileSync(join(SHARED, 'lockfiles/java/pom-xml/two-packages.xml.expected.json'), 'utf8')) as Array<{ name: string; version: string }>;
  const inventory: PackageRef[] = [...pom.map((p) => ({ ecosystem: 'Maven', ...p })), { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' }];
  assert.deepEqual(summary(matchVulnerabilities(inventory, ALL)), [
    ['org.apache.logging.log4j:log4j-core@2.14.1', 'CVE-2021-44228', 'GHSA-jfh8-c2jp-5v3q', ['2.15.0'], 'critical', 'CVSS_V3'],
    ['org.apache.logging.log4j:log4j-core@2.14.1', 'CVE-2021-45046', 'GHSA-7rjr-3q55-vv33', ['2.16.0'], 'critical', 'CVSS_V3'],
  ]);
  const ids = (version: string) => matchVulnerabilities([{ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version }], ALL).map((m) => `${m.id}>${m.fixedVersions.join(',')}`);
  assert.deepEqual(ids('2.13.0'), ['CVE-2021-44228>2.15.0', 'CVE-2021-45046>2.16.0']); // exactly introduced
  assert.deepEqual(ids('2.15.0'), ['CVE-2021-45046>2.16.0']); // exactly fixed for log4shell
  assert.deepEqual(ids('2.16.0'), []);
  assert.deepEqual(ids('2.12.1'), ['CVE-2021-44228>2.12.2', 'CVE-2021-45046>2.12.2']); // the 2.4–2.12.2 branch
  assert.deepEqual(ids('2.12.2'), []);
  assert.deepEqual(ids('2.0-beta9'), ['CVE-2021-44228>2.3.1', 'CVE-2021-45046>2.12.2']);
});

test('last_affected and versions[]: commons-text, gradio, malicious packages', () => {
  const m = (ecosystem: string, name: string, version: string) => matchVulnerabilities([{ ecosystem, name, version }], ALL).map((x) => `${x.id}:${x.fixedVersions.join(',')}`);
  assert.deepEqual(m('Maven', 'com.guicedee.services:commons-text', '1.2.2.1-jre17'), ['CVE-2022-42889:']); // exactly last_affected
  assert.deepEqual(m('Maven', 'com.guicedee.services:commons-text', '1.2.2.2-jre17'), []);
  assert.deepEqual(m('Maven', 'org.apache.commons:commons-text', '1.9'), ['CVE-2022-42889:1.10.0']);
  assert.deepEqual(m('PyPI', 'gradio', '4.36.1'), ['CVE-2024-39236:']); // versions[] only, name normalised
  assert.deepEqual(m('PyPI', 'gradio', '4.37.0'), []);
  assert.deepEqual(m('PyPI', '123bla', '0.0.1'), ['MAL-2024-10238:']);
  // crates.io `time`: GHSA writes "0.1"/"0.2" in SEMVER ranges; RUSTSEC and GHSA are one vulnerability.
  assert.deepEqual(m('crates.io', 'time', '0.1.43'), ['CVE-2020-26235:0.2.0']);
  assert.deepEqual(m('crates.io', 'time', '0.2.22'), ['CVE-2020-26235:0.2.23']);
  assert.deepEqual(m('crates.io', 'time', '0.2.23'), []);
});

test('aliases merge one vulnerability seen through several records: PYSEC + GHSA, GO + GHSA', () => {
  const [requests] = matchVulnerabilities([{ ecosystem: 'PyPI', name: 'Requests', version: '2.30.0' }], ALL);
  assert.deepEqual([requests!.id, requests!.records.sort(), requests!.aliases, requests!.fixedVersions, requests!.severity], ['CVE-2023-32681', ['GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74'], ['GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74'], ['2.31.0'], 'medium']);
  const xnet = matchVulnerabilities([{ ecosystem: 'Go', name: 'golang.org/x/net', version: '0.16.0' }], ALL);
  const rapid = xnet.find((x) => x.id === 'CVE-2023-39325')!;
  assert.deepEqual([rapid.records.sort(), rapid.fixedVersions, rapid.severity, rapid.cvss?.score], [['GHSA-4374-p667-p6c8', 'GO-2023-2102'], ['0.17.0'], 'high', 7.5]);
  assert.equal(new Set(xnet.map((x) => x.id)).size, xnet.length, 'each vulnerability once per package');
  // Go's standard library: two fixed branches (1.20.10, 1.21.3) and pre-release `introduced`.
  const std = (v: string) => matchVulnerabilities([{ ecosystem: 'Go', name: 'stdlib', version: v }], ALL).find((x) => x.id === 'CVE-2023-39325')?.fixedVersions;
  assert.deepEqual([std('1.21.2'), std('go1.20.9'), std('1.21.3'), std('1.20.10')], [['1.21.3'], ['1.20.10'], undefined, undefined]);
});

test('withdrawn records are ignored', () => {
  const withdrawnOnly = memorySource([fixture('PYSEC-2021-63.withdrawn-variant.json'), fixture('withdrawn-example.osv-schema-ghsa-tool.json')]);
  assert.deepEqual(matchVulnerabilities([{ ecosystem: 'PyPI', name: 'cryptography', version: '3.3.1' }, { ecosystem: 'RubyGems', name: 'activesupport', version: '4.2.0' }], withdrawnOnly), []);
  assert.deepEqual(summary(matchVulnerabilities([{ ecosystem: 'PyPI', name: 'cryptography', version: '3.3.1' }], ALL)), [['cryptography@3.3.1', 'CVE-2020-36242', 'PYSEC-2021-63', ['3.3.2'], 'medium', 'unknown']]);
});

test('Alpine: apk inventory by origin; the release scopes the record; boundary at fixed', () => {
  const inventory = readApkInstalled(join(SHARED, 'lockfiles/os/apk/installed'), 'Alpine:v3.18');
  assert.deepEqual(inventory.filter((p) => p.sourceName === 'openssl').map((p) => `${p.name}@${p.version}`), ['libcrypto3@3.1.0-r4', 'libssl3@3.1.0-r4']);
  // CVE-2018-5407 lists Alpine v3.3–v3.8 only: nothing on 3.18.
  assert.deepEqual(matchVulnerabilities(inventory, ALL), []);
  const old = [{ ecosystem: 'Alpine:v3.8', name: 'libssl1.0', version: '1.0.2p-r0', sourceName: 'openssl', sourceVersion: '1.0.2p-r0' }];
  assert.deepEqual(summary(matchVulnerabilities(old, ALL)), [['libssl1.0@1.0.2p-r0', 'CVE-2018-5407', 'CVE-2018-5407', ['1.0.2q-r0'], 'medium', 'CVSS_V3']]);
  assert.deepEqual(matchVulnerabilities([{ ...old[0]!, version: '1.0.2q-r0', sourceVersion: '1.0.2q-r0' }], ALL), []);
  assert.deepEqual(summary(matchVulnerabilities([{ ecosystem: 'Alpine:v3.15', name: 'mariadb-client', version: '10.6.7-r0', sourceName: 'mariadb', sourceVersion: '10.6.7-r0' }], ALL)).map((s) => s.slice(1, 4)), [['CVE-2022-27449', 'CVE-2022-27449', ['10.6.8-r0']]]);
});

test('Debian and Ubuntu: source packages, urgency and priority ratings, unfixed and --ignore-unfixed', () => {
  const pkgs: PackageRef[] = [
    { ecosystem: 'Debian:7', name: 'nginx-full', version: '1.2.1-2.2+wheezy2', sourceName: 'nginx', sourceVersion: '1.2.1-2.2+wheezy2' },
    { ecosystem: 'Debian:10', name: 'libodbc1', version: '2.3.6-0.1', sourceName: 'unixodbc', sourceVersion: '2.3.6-0.1' },
    { ecosystem: 'Ubuntu:Pro:14.04:LTS', name: 'linux', version: '3.13.0-10.30' },
  ];
  assert.deepEqual(summary(matchVulnerabilities(pkgs, ALL)), [
    ['nginx-full@1.2.1-2.2+wheezy2', 'CVE-2014-3616', 'DSA-3029-1', ['1.2.1-2.2+wheezy3'], 'medium', 'unknown'],
    ['libodbc1@2.3.6-0.1', 'CVE-2024-1013', 'CVE-2024-1013', [], 'info', 'Debian'],
    ['linux@3.13.0-10.30', 'CVE-2025-38094', 'UBUNTU-CVE-2025-38094', [], 'medium', 'Ubuntu'],
  ]);
  assert.deepEqual(matchVulnerabilities([{ ...pkgs[0]!, version: '1.2.1-2.2+wheezy3', sourceVersion: '1.2.1-2.2+wheezy3' }], ALL), []);
  assert.deepEqual(summary(matchVulnerabilities(pkgs, ALL, { ignoreUnfixed: true })).map((s) => s[1]), ['CVE-2014-3616']);
});

test('Red Hat: CPE-scoped ecosystems, epoch-qualified EVR, upstream CVE as the primary ID', () => {
  const eco = 'Red Hat:rhel_aus:8.6::appstream';
  assert.deepEqual(summary(matchVulnerabilities([{ ecosystem: eco, name: 'git-lfs', version: '2.13.3-3.el8_6' }], ALL)), [['git-lfs@2.13.3-3.el8_6', 'CVE-2023-45288', 'RHSA-2024:4546', ['0:2.13.3-3.el8_6.1'], 'high', 'CVSS_V3']]);
  assert.deepEqual(matchVulnerabilities([{ ecosystem: eco, name: 'git-lfs', version: '0:2.13.3-3.el8_6.1' }], ALL), []);
  assert.deepEqual(matchVulnerabilities([{ ecosystem: 'Red Hat:rhel_eus:9.9::appstream', name: 'git-lfs', version: '2.13.3-3.el8_6' }], ALL), []);
});

test('unparseable versions: the match is reported as uncertain, never silently dropped or asserted', () => {
  const [m] = matchVulnerabilities([{ ecosystem: 'npm', name: 'lodash', version: 'not-a-version' }], ALL);
  assert.equal(m?.id, 'CVE-2019-10744');
  assert.equal(m?.uncertain, 'semver version "not-a-version": not a SemVer 2.0 version');
  // A version listed verbatim in versions[] is certain even when unorderable.
  const listed = memorySource([{ id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'odd' }, versions: ['weird-1'], ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }]);
  const [l] = matchVulnerabilities([{ ecosystem: 'npm', name: 'odd', version: 'weird-1' }], listed);
  assert.deepEqual([l?.id, l?.uncertain], ['X-1', undefined]);
});

test('limit events and GIT ranges', () => {
  const source = memorySource([
    { id: 'LIM-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lim' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '1.5.0' }] }] }] },
    { id: 'GIT-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'gitpkg' }, ranges: [{ type: 'GIT', repo: 'https://example.com/r', events: [{ introduced: 'aaa111' }, { fixed: 'bbb222' }] }] }] },
  ]);
  const ids = (pkg: PackageRef) => matchVulnerabilities([pkg], source).map((m) => m.id);
  assert.deepEqual([ids({ ecosystem: 'npm', name: 'lim', version: '1.4.9' }), ids({ ecosystem: 'npm', name: 'lim', version: '1.5.0' }), ids({ ecosystem: 'npm', name: 'lim', version: '0.9.0' })], [['LIM-1'], [], []]);
  assert.deepEqual([ids({ ecosystem: 'npm', name: 'gitpkg', version: '1.0.0' }), ids({ ecosystem: 'npm', name: 'gitpkg', version: '1.0.0', commit: 'aaa111' }), ids({ ecosystem: 'npm', name: 'gitpkg', version: '1.0.0', commit: 'bbb222' })], [[], ['GIT-1'], []]);
});

test('through the store: the same answers after db import', async (t) => {
  const db = join(tempDir(t), 'osv.sqlite');
  await importOsv(OSV_DIR, { dbPath: db });
  const store = openStore(db);
  t.after(() => store.close());
  const pkgs: PackageRef[] = [
    { ecosystem: 'npm', name: 'lodash', version: '4.17.11' },
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' },
    { ecosystem: 'PyPI', name: 'requests', version: '2.30.0' },
    // Only the withdrawn variant of PYSEC-2021-63 is in this store (same ID, later file).
    { ecosystem: 'PyPI', name: 'cryptography', version: '3.3.1' },
  ];
  assert.deepEqual(matchVulnerabilities(pkgs, store).map((m) => `${m.package.name}:${m.id}`), ['lodash:CVE-2019-10744', 'org.apache.logging.log4j:log4j-core:CVE-2021-44228', 'org.apache.logging.log4j:log4j-core:CVE-2021-45046', 'requests:CVE-2023-32681']);
});

/**
 * A Red Hat record in the shape of Red Hat's OSV export (as RHSA-2024:4546 in the shared
 * records: `Red Hat:<CPE suffix>` ecosystems, epoch-qualified EVRs, `upstream` CVEs), here for
 * RHEL 9's main stream. Generated for this test: the ID and versions are not a real advisory.
 */
function redHatRecord(id: string, cve: string, entries: Array<[ecosystem: string, name: string, fixed: string]>): OsvRecord {
  return {
    schema_version: '1.7.0',
    id,
    modified: '2024-09-02T14:30:00Z',
    published: '2024-09-02T14:30:00Z',
    upstream: [cve],
    summary: 'Red Hat Security Advisory: openssl security update (test record)',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
    affected: entries.map(([ecosystem, name, fixed]) => ({ package: { name, ecosystem, purl: `pkg:rpm/redhat/${name}` }, ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed }] }] })),
    references: [{ type: 'ADVISORY', url: `https://access.redhat.com/errata/${id}` }],
  };
}

test('Red Hat: rpm packages of a RHEL release match its main stream and its minor release\'s extended-support streams, through the store', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const extra = join(dir, 'redhat');
  mkdirSync(extra);
  const records = [
    redHatRecord('RHSA-TEST:0001', 'CVE-2099-0001', [
      ['Red Hat:enterprise_linux:9::baseos', 'openssl', '1:3.0.7-27.el9'],
      ['Red Hat:enterprise_linux:9::appstream', 'openssl-perl', '1:3.0.7-27.el9'],
      ['Red Hat:enterprise_linux:8::baseos', 'openssl', '1:1.1.1k-12.el8_9'],
    ]),
    // Another product's stream (OpenShift on RHEL 9): not the base system's packages.
    redHatRecord('RHSA-TEST:0002', 'CVE-2099-0002', [['Red Hat:openshift:4.14::el9', 'openssl-libs', '1:3.0.7-99.el9']]),
  ];
  for (const r of records) writeFileSync(join(extra, `${r.id.replace(':', '_')}.json`), JSON.stringify(r, null, 2));
  await importOsv(OSV_DIR, { dbPath: db });
  // A second import into the existing store (the in-place path, not the bulk build).
  await importOsv(extra, { dbPath: db });
  const store = openStore(db);
  t.after(() => store.close());
  assert.ok(store.ecosystems('Red Hat:').includes('Red Hat:rhel_aus:8.6::appstream'));
  const rows = (pkgs: PackageRef[]) => matchVulnerabilities(pkgs, store).map((m) => [`${m.package.ecosystem} ${m.package.name}@${m.package.version}`, m.id, m.records.join('+'), m.fixedVersions.join(' '), m.severity]);

  // RHEL 8.6: the AUS/E4S/TUS streams of 8.6 list git-lfs (RHSA-2024:4546, real record).
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:8.6', name: 'git-lfs', version: '2.13.3-3.el8_6', purl: 'pkg:rpm/rhel/git-lfs@2.13.3-3.el8_6?distro=rhel-8.6' }]), [['Red Hat:8.6 git-lfs@2.13.3-3.el8_6', 'CVE-2023-45288', 'RHSA-2024:4546', '0:2.13.3-3.el8_6.1', 'high']]);
  // Exactly the fixed EVR (epoch 0 written or not), another minor release, or no minor release: no match.
  for (const pkg of [
    { ecosystem: 'Red Hat:8.6', name: 'git-lfs', version: '2.13.3-3.el8_6.1' },
    { ecosystem: 'Red Hat:8.6', name: 'git-lfs', version: '0:2.13.3-3.el8_6.1' },
    { ecosystem: 'Red Hat:8.8', name: 'git-lfs', version: '2.13.3-3.el8_6' },
    { ecosystem: 'Red Hat:8', name: 'git-lfs', version: '2.13.3-3.el8_6' },
    { ecosystem: 'AlmaLinux:8', name: 'git-lfs', version: '2.13.3-3.el8_6' },
  ]) assert.deepEqual(rows([pkg]), [], JSON.stringify(pkg));

  // RHEL 9.4: openssl-libs is built from openssl, which the record names; the binary's EVR is the source's.
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:9.4', name: 'openssl-libs', version: '1:3.0.7-24.el9', sourceName: 'openssl', sourceVersion: '3.0.7-24.el9' }]), [['Red Hat:9.4 openssl-libs@1:3.0.7-24.el9', 'CVE-2099-0001', 'RHSA-TEST:0001', '1:3.0.7-27.el9', 'medium']]);
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:9.4', name: 'openssl-perl', version: '1:3.0.7-24.el9' }]).map((r) => r[1]), ['CVE-2099-0001']);
  // Fixed, the epoch outranks the version, or RHEL 8's entry for another release: no match.
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:9.4', name: 'openssl', version: '1:3.0.7-27.el9' }, { ecosystem: 'Red Hat:9.4', name: 'openssl', version: '2:1.0.0-1.el9' }]), []);
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:8.10', name: 'openssl', version: '1:1.1.1k-12.el8_9' }]), []);
  assert.deepEqual(rows([{ ecosystem: 'Red Hat:8.10', name: 'openssl', version: '1:1.1.1k-9.el8_7' }]).map((r) => r[3]), ['1:1.1.1k-12.el8_9']);
});
