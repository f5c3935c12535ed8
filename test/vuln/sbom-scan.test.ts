import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { distroEcosystem, packageFromPurl, packageRefFor, purlMatches } from '../../src/vuln/purl.ts';
import { scanSbom } from '../../src/vuln/sbom-scan.ts';
import { importOsv } from '../../src/vuln/store/import.ts';
import { parseVex } from '../../src/vuln/vex/index.ts';
import { OSV_DIR, tempDir } from './helpers.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE_PURL = `pkg:oci/app@${encodeURIComponent(DIGEST)}?repository_url=registry.example.com/app`;
const LODASH = 'pkg:npm/lodash@4.17.11';
const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1';
const NGINX = 'pkg:deb/debian/nginx-full@1.2.1-2.2%2Bwheezy2?arch=amd64&distro=debian-7&upstream=nginx';
const LIBSSL = 'pkg:apk/alpine/libssl1.0@1.0.2p-r0?arch=x86_64&distro=alpine-3.8.5';
const REQUESTS = 'pkg:pypi/requests@2.31.0';

function cyclonedx(): object {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: { component: { type: 'container', name: 'registry.example.com/app:1.0', purl: IMAGE_PURL } },
    components: [
      { type: 'library', name: 'lodash', version: '4.17.11', purl: LODASH, properties: [{ name: 'bosun:package:path', value: 'app/node_modules/lodash/package.json' }] },
      { type: 'library', name: 'log4j-core', version: '2.14.1', purl: LOG4J, 'bom-ref': 'log4j' },
      { type: 'library', name: 'nginx-full', version: '1.2.1-2.2+wheezy2', purl: NGINX },
      { type: 'library', name: 'libssl1.0', version: '1.0.2p-r0', purl: LIBSSL, 'bom-ref': 'libssl', properties: [{ name: 'bosun:package:srcName', value: 'openssl' }, { name: 'bosun:package:srcVersion', value: '1.0.2p-r0' }] },
      { type: 'library', name: 'requests', version: '2.31.0', purl: REQUESTS },
      { type: 'library', name: 'no-purl', version: '1.0' },
      { type: 'library', name: 'bash', version: '5.1.8-6.el9', purl: 'pkg:rpm/redhat/bash@5.1.8-6.el9?distro=rhel-9.4' },
      // CentOS Stream is ahead of RHEL: Red Hat's data does not apply to it.
      { type: 'library', name: 'bash', version: '5.1.8-9.el9', purl: 'pkg:rpm/centos/bash@5.1.8-9.el9?distro=centos-9' },
      { type: 'operating-system', name: 'alpine', version: '3.8.5' },
    ],
  };
}

function spdx(): object {
  const pkg = (id: string, name: string, purl: string) => ({ SPDXID: id, name, externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] });
  return {
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    documentDescribes: ['SPDXRef-lockfile'],
    packages: [{ SPDXID: 'SPDXRef-lockfile', name: 'package-lock.json' }, pkg('SPDXRef-1', 'lodash', LODASH), pkg('SPDXRef-2', 'log4j-core', LOG4J), { ...pkg('SPDXRef-3', 'nginx-full', NGINX.replace('&upstream=nginx', '')), sourceInfo: 'built package from: nginx 1.2.1-2.2+wheezy2' }],
  };
}

async function setup(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; db: string }> {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  await importOsv(OSV_DIR, { dbPath: db, now: new Date('2026-06-01T00:00:00Z') });
  return { dir, db };
}

const NOW = new Date('2026-06-02T00:00:00Z');
const ids = (r: Awaited<ReturnType<typeof scanSbom>>) => r.report.findings.map((f) => `${f.target.package?.name}:${f.ruleId}:${f.severity}${f.suppressed === undefined ? '' : ':suppressed'}`);

test('sbom scan: CycloneDX from an image, every ecosystem mapped from purls, gate on severity', async (t) => {
  const { dir, db } = await setup(t);
  const file = join(dir, 'bom.json');
  writeFileSync(file, JSON.stringify(cyclonedx()));
  const r = await scanSbom(file, { dbPath: db, config: false, now: NOW });
  assert.deepEqual(r.report.findings.map((f) => `${f.target.package?.name}:${f.ruleId}:${f.severity}`).sort(), [
    'libssl1.0:CVE-2018-5407:medium',
    'lodash:CVE-2019-10744:critical',
    'nginx-full:CVE-2014-3616:medium',
    'org.apache.logging.log4j:log4j-core:CVE-2021-44228:critical',
    'org.apache.logging.log4j:log4j-core:CVE-2021-45046:critical',
  ]);
  assert.deepEqual([r.sbom.format, r.sbom.packages.length, r.sbom.unmatchable, r.sbom.withoutPurl], ['cyclonedx', 6, 1, 1]);
  const lodash = r.report.findings.find((f) => f.ruleId === 'CVE-2019-10744')!;
  assert.deepEqual(lodash.target, { type: 'image', image: 'registry.example.com/app:1.0', digest: DIGEST, package: { name: 'lodash', version: '4.17.11', ecosystem: 'npm', purl: LODASH }, path: 'app/node_modules/lodash/package.json' });
  assert.equal(lodash.message, 'lodash 4.17.11 (npm) is affected by CVE-2019-10744 (CVSS 9.1); fixed in 4.17.12');
  assert.equal(lodash.remediation, 'Upgrade lodash to 4.17.12 or later.');
  assert.deepEqual(lodash.vulnerability.fixedVersions, ['4.17.12']);
  assert.deepEqual([r.report.summary.gateFailed, r.report.summary.findings, r.report.summary.bySeverity.critical], [true, 5, 3]);
  assert.deepEqual(r.warnings, [`${file}: 1 component not matched: no version, or an ecosystem without OSV data (e.g. an rpm without its distribution, or from CentOS Stream)`]);
  const unfixedOnly = await scanSbom(file, { dbPath: db, config: false, now: NOW, failOn: 'none' });
  assert.equal(unfixedOnly.report.summary.gateFailed, false);
});

test('sbom scan: SPDX JSON gives the same vulnerabilities (source package from sourceInfo)', async (t) => {
  const { dir, db } = await setup(t);
  const file = join(dir, 'sbom.spdx.json');
  writeFileSync(file, JSON.stringify(spdx()));
  const r = await scanSbom(file, { dbPath: db, config: false, now: NOW });
  assert.deepEqual(ids(r).sort(), ['lodash:CVE-2019-10744:critical', 'nginx-full:CVE-2014-3616:medium', 'org.apache.logging.log4j:log4j-core:CVE-2021-44228:critical', 'org.apache.logging.log4j:log4j-core:CVE-2021-45046:critical']);
  assert.equal(r.report.findings[0]!.target.type, 'file');
});

test('VEX: OpenVEX by image digest + subcomponent and by purl, CycloneDX VEX by bom-ref; the latest statement wins', async (t) => {
  const { dir, db } = await setup(t);
  const bom = join(dir, 'bom.json');
  writeFileSync(bom, JSON.stringify(cyclonedx()));
  const openvex = join(dir, 'app.openvex.json');
  writeFileSync(
    openvex,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/1',
      author: 'security@example.com',
      timestamp: '2026-01-01T00:00:00Z',
      version: 1,
      statements: [
        { vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': IMAGE_PURL, subcomponents: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }] }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact_statement: 'JNDI lookups are disabled (log4j2.formatMsgNoLookups=true)' },
        { vulnerability: { name: 'CVE-2021-45046' }, products: [{ '@id': `registry.example.com/app@sha256:${'cd'.repeat(32)}` }], status: 'not_affected', justification: 'component_not_present' },
        { vulnerability: { name: 'GHSA-jf85-cpcp-j695' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'affected', timestamp: '2026-02-01T00:00:00Z' },
        { vulnerability: { name: 'GHSA-jf85-cpcp-j695' }, products: [{ '@id': 'pkg:npm/lodash@4.17.11' }], status: 'fixed', timestamp: '2026-03-01T00:00:00Z', action_statement: 'patched in our fork' },
        { vulnerability: { name: 'CVE-2014-3616' }, products: [{ '@id': 'pkg:deb/debian/nginx-full' }], status: 'under_investigation' },
        { vulnerability: 'CVE-2000-0001', products: ['pkg:npm/other'], status: 'bogus' },
      ],
    }),
  );
  const cdxVex = join(dir, 'app.cdx-vex.json');
  writeFileSync(
    cdxVex,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [{ 'bom-ref': 'libssl', name: 'libssl1.0', purl: 'pkg:apk/alpine/libssl1.0@1.0.2p-r0' }],
      vulnerabilities: [{ id: 'CVE-2018-5407', analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'no SMT on these nodes' }, affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#libssl' }] }],
    }),
  );
  const r = await scanSbom(bom, { dbPath: db, config: false, now: NOW, vex: [openvex, cdxVex] });
  assert.deepEqual(ids(r).sort(), [
    'libssl1.0:CVE-2018-5407:medium:suppressed',
    'lodash:CVE-2019-10744:critical:suppressed',
    'nginx-full:CVE-2014-3616:medium',
    'org.apache.logging.log4j:log4j-core:CVE-2021-44228:critical:suppressed',
    // The second statement names another image digest: it does not apply.
    'org.apache.logging.log4j:log4j-core:CVE-2021-45046:critical',
  ]);
  const log4shell = r.report.findings.find((f) => f.ruleId === 'CVE-2021-44228')!;
  assert.deepEqual(log4shell.suppressed, { by: 'vex', reason: `VEX ${openvex}: not_affected: vulnerable_code_not_in_execute_path (JNDI lookups are disabled (log4j2.formatMsgNoLookups=true))` });
  assert.equal(r.report.findings.find((f) => f.ruleId === 'CVE-2019-10744')!.suppressed?.reason, `VEX ${openvex}: fixed (patched in our fork)`);
  assert.equal(r.report.findings.find((f) => f.ruleId === 'CVE-2018-5407')!.suppressed?.reason, `VEX ${cdxVex}: not_affected: code_not_reachable (no SMT on these nodes)`);
  assert.deepEqual([r.report.summary.suppressed, r.report.summary.gateFailed], [3, true]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('VEX')), [`${openvex}: 1 VEX statement without a known status, vulnerability or product ignored`]);
});

test('VEX from bosun.yaml vex:, relative to the config file; waivers still apply', async (t) => {
  const { dir, db } = await setup(t);
  const bom = join(dir, 'bom.json');
  writeFileSync(bom, JSON.stringify(cyclonedx()));
  writeFileSync(join(dir, 'log4j.vex.json'), JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-2021-45046' }, products: [{ '@id': LOG4J }], status: 'not_affected', justification: 'inline_mitigations_already_exist' }] }));
  writeFileSync(join(dir, 'bosun.yaml'), 'vex: [log4j.vex.json]\nfailOn: critical\nwaivers:\n  - rule: CVE-2021-44228\n    reason: "accepted until the rebuild (SEC-1)"\n');
  const r = await scanSbom(bom, { dbPath: db, now: NOW });
  const log4j = r.report.findings.filter((f) => f.target.package?.name.endsWith('log4j-core'));
  assert.deepEqual(log4j.map((f) => [f.ruleId, f.suppressed?.reason]), [
    ['CVE-2021-44228', 'accepted until the rebuild (SEC-1)'],
    ['CVE-2021-45046', `VEX ${join(dir, 'log4j.vex.json')}: not_affected: inline_mitigations_already_exist`],
  ]);
  assert.equal(r.report.summary.failOn, 'critical');
});

test('bad input: not an SBOM, not JSON, not VEX; stale store warns or fails', async (t) => {
  const { dir, db } = await setup(t);
  const yaml = join(dir, 'deploy.json');
  writeFileSync(yaml, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment' }));
  await assert.rejects(scanSbom(yaml, { dbPath: db, config: false }), { code: 'E_SBOM', message: `${yaml}: not a CycloneDX or SPDX JSON document (no "bomFormat": "CycloneDX" or "spdxVersion")` });
  const text = join(dir, 'bom.xml');
  writeFileSync(text, '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>');
  await assert.rejects(scanSbom(text, { dbPath: db, config: false }), { code: 'E_SBOM', message: /not JSON/ });
  assert.throws(() => parseVex({ bomFormat: 'CycloneDX', components: [] }, 'x.json'), { code: 'E_VEX' });
  const bom = join(dir, 'bom.json');
  writeFileSync(bom, JSON.stringify(cyclonedx()));
  const later = new Date('2026-07-01T00:00:00Z');
  const stale = await scanSbom(bom, { dbPath: db, config: false, now: later });
  assert.equal(stale.warnings[0], 'vulnerability store is 30d old (limit 7d): run "bosun db update"');
  await assert.rejects(scanSbom(bom, { dbPath: db, config: false, now: later, requireFreshDb: true }), { code: 'E_DB_STALE' });
  await assert.rejects(scanSbom(bom, { dbPath: join(dir, 'none.sqlite'), config: false }), { code: 'E_DB_MISSING' });
});

test('bosun sbom scan and bosun db on the command line: exit codes, JSON report, one-line errors', async (t) => {
  const { dir, db } = await setup(t);
  const bom = join(dir, 'bom.json');
  writeFileSync(bom, JSON.stringify(cyclonedx()));
  const node = process.execPath;
  const main = join(import.meta.dirname, '../../src/cli/main.ts');
  const run = (...args: string[]) => spawnSync(node, [main, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, BOSUN_CACHE_DIR: join(dir, 'cache') } });
  const r = run('sbom', 'scan', bom, '--db', db, '--format', 'json', '--no-config', '--ignore-unfixed');
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; vulnerability: { fixedVersions: string[] } }> };
  assert.deepEqual(report.findings.map((f) => f.ruleId).sort(), ['CVE-2014-3616', 'CVE-2018-5407', 'CVE-2019-10744', 'CVE-2021-44228', 'CVE-2021-45046']);
  const bad = run('sbom', 'scan', join(OSV_DIR, 'SOURCE.md'), '--db', db, '--no-config');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bosun: .*SOURCE\.md: not a CycloneDX or SPDX JSON document \(not JSON: .*\)\n$/);
  const missing = run('db', 'status');
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `bosun: no vulnerability store at ${join(dir, 'cache', 'vuln', 'osv.sqlite')}: run "bosun db update" (or "bosun db import PATH") first\n`);
  const status = run('db', 'status', '--db', db, '--format', 'json');
  assert.equal(status.status, 0);
  assert.equal((JSON.parse(status.stdout) as { records: number }).records, 49);
});

test('purls map to OSV ecosystems and names', () => {
  const m = (p: string) => {
    const r = packageFromPurl(p);
    return r === undefined ? undefined : [r.ecosystem, r.name, r.version, r.sourceName ?? ''].join(' ');
  };
  assert.deepEqual(
    [
      'pkg:npm/%40babel/core@7.0.0',
      'pkg:maven/org.yaml/snakeyaml@1.33',
      'pkg:golang/golang.org/x/net@v0.16.0',
      'pkg:pypi/PyYAML@5.3',
      'pkg:cargo/time@0.1.43',
      'pkg:gem/rails@7.0.0',
      'pkg:nuget/Newtonsoft.Json@13.0.1',
      'pkg:composer/symfony/http-kernel@5.4.0',
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12.4&upstream=openssl',
      'pkg:deb/debian/bash@5.2.15-2?distro=bookworm',
      'pkg:deb/ubuntu/libc6@2.35-0ubuntu3?distro=ubuntu-22.04',
      'pkg:apk/alpine/busybox@1.36.1-r2?distro=alpine-3.18.4&upstream=busybox',
      'pkg:rpm/almalinux/delve@1.5.0-1?distro=almalinux-8.5&epoch=1',
      'pkg:rpm/redhat/bash@5.1.8-6.el9',
      'pkg:generic/openssl@3.0.0',
      'pkg:npm/lodash',
      'not a purl',
    ].map(m),
    [
      'npm @babel/core 7.0.0 ',
      'Maven org.yaml:snakeyaml 1.33 ',
      'Go golang.org/x/net v0.16.0 ',
      'PyPI PyYAML 5.3 ',
      'crates.io time 0.1.43 ',
      'RubyGems rails 7.0.0 ',
      'NuGet Newtonsoft.Json 13.0.1 ',
      'Packagist symfony/http-kernel 5.4.0 ',
      'Debian:12 libssl3 3.0.11-1~deb12u2 openssl',
      'Debian:12 bash 5.2.15-2 ',
      'Ubuntu:22.04:LTS libc6 2.35-0ubuntu3 ',
      'Alpine:v3.18 busybox 1.36.1-r2 busybox',
      'AlmaLinux:8 delve 1:1.5.0-1 ',
      undefined,
      undefined,
      undefined,
      undefined,
    ],
  );
  assert.deepEqual([distroEcosystem('debian', '12'), distroEcosystem('alpine', '3.18.4'), distroEcosystem('ubuntu', '22.04'), distroEcosystem('ubuntu', '23.10'), distroEcosystem('rocky', '9.3'), distroEcosystem('rhel', '9.4')], ['Debian:12', 'Alpine:v3.18', 'Ubuntu:22.04:LTS', 'Ubuntu:23.10', 'Rocky Linux:9', 'Red Hat:9.4']);
  // Red Hat's data applies to RHEL and CentOS Linux 6-8, not to CentOS Stream, Fedora or Oracle Linux.
  assert.deepEqual(
    [distroEcosystem('centos', '7', 'CentOS Linux 7 (Core)'), distroEcosystem('centos', '8', 'CentOS Linux 8'), distroEcosystem('centos', '8', 'CentOS Stream 8'), distroEcosystem('centos', '9', 'CentOS Stream 9'), distroEcosystem('centos', '5.11'), distroEcosystem('fedora', '40'), distroEcosystem('ol', '9.3')],
    ['Red Hat:7', 'Red Hat:8', undefined, undefined, undefined, undefined, undefined],
  );
  assert.deepEqual(
    ['pkg:rpm/rhel/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=openssl', 'pkg:rpm/centos/bash@4.2.46-35.el7_9?distro=centos-7.9.2009', 'pkg:rpm/centos/bash@4.4.20-4.el8?distro=centos-8'].map(m),
    ['Red Hat:9.4 openssl-libs 1:3.0.7-24.el9 openssl', 'Red Hat:7.9 bash 4.2.46-35.el7_9 ', undefined],
  );
  // With the os-release name, a bare "centos-8" is told apart: CentOS Linux 8 yes, Stream no.
  assert.equal(packageRefFor({ purl: 'pkg:rpm/centos/bash@4.4.20-4.el8?distro=centos-8' }, { name: 'CentOS Linux 8' })?.ecosystem, 'Red Hat:8');
  assert.equal(packageRefFor({ purl: 'pkg:rpm/centos/bash@4.4.20-4.el8?distro=centos-8' }, { name: 'CentOS Stream 8' }), undefined);
  // An inventory package (as src/image builds them) becomes a matching input.
  assert.deepEqual(packageRefFor({ purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', source: { name: 'openssl', version: '3.0.11-1~deb12u2' }, path: 'var/lib/dpkg/status', layer: 'sha256:aa' }), {
    ecosystem: 'Debian:12',
    name: 'libssl3',
    version: '3.0.11-1~deb12u2',
    purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    sourceName: 'openssl',
    sourceVersion: '3.0.11-1~deb12u2',
    location: 'var/lib/dpkg/status',
    layer: 'sha256:aa',
  });
  assert.equal(purlMatches('pkg:npm/lodash', 'pkg:npm/lodash@4.17.11'), true);
  assert.equal(purlMatches('pkg:npm/lodash@4.17.12', 'pkg:npm/lodash@4.17.11'), false);
  assert.equal(purlMatches('pkg:pypi/PyYAML', 'pkg:pypi/pyyaml@5.3'), true);
});
