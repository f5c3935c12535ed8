import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { scanImage } from '../../src/image/scan.ts';
import { renderCycloneDx, renderSpdx } from '../../src/sbom/index.ts';
import { integrationSkip, testImages } from '../image/images.ts';
import { makeTar, writeLayout } from '../image/fixtures.ts';

const FIXED = { timestamp: new Date('2026-01-02T03:04:05Z'), serialNumber: '6f1b0f2e-5d7c-4c55-9a53-2b7f4d0c9e11' };

interface CdxComponent { 'bom-ref': string; type: string; name: string; version?: string; purl?: string; licenses?: unknown[]; properties?: { name: string; value: string }[] }
interface CdxBom { specVersion: string; serialNumber: string; metadata: { timestamp: string; component: CdxComponent }; components: CdxComponent[]; dependencies: { ref: string; dependsOn?: string[] }[] }

const tmp = mkdtempSync(join(tmpdir(), 'bosun-sbom-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function smallImage() {
  const dir = join(tmp, 'img');
  writeLayout(dir, [
    makeTar([
      { name: 'etc/os-release', body: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
      { name: 'var/lib/dpkg/status', body: 'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nSource: glibc\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2-2\nArchitecture: amd64\nDepends: libc6 (>= 2.36)\n\n' },
      { name: 'usr/share/doc/bash/copyright', body: 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-3+\n' },
      { name: 'app/node_modules/express/package.json', body: JSON.stringify({ name: 'express', version: '4.18.2', license: 'MIT', dependencies: { ms: '^2.0.0' } }) },
      { name: 'app/node_modules/ms/package.json', body: JSON.stringify({ name: 'ms', version: '2.1.3', license: 'Some Odd Licence' }) },
    ]),
  ]);
  return scanImage(`oci-layout:${dir}:t`, { config: false, scanners: [] });
}

describe('CycloneDX 1.6', () => {
  test('validates against the 1.6 schema (@cyclonedx/cyclonedx-library) with OS, packages, dependencies', async () => {
    const report = await smallImage();
    const text = renderCycloneDx(report, FIXED);
    assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text), null);
    const bom = JSON.parse(text) as CdxBom;
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.serialNumber, `urn:uuid:${FIXED.serialNumber}`);
    assert.equal(bom.metadata.timestamp, '2026-01-02T03:04:05.000Z');
    assert.equal(bom.metadata.component.type, 'container');
    assert.equal(bom.metadata.component.version, report.image.digest);
    const byName = new Map(bom.components.map((c) => [c.name, c]));
    assert.deepEqual([...byName.keys()].sort(), ['bash', 'debian', 'express', 'libc6', 'ms']);
    assert.equal(byName.get('debian')!.type, 'operating-system');
    assert.equal(byName.get('debian')!.version, '12');
    assert.equal(byName.get('libc6')!.purl, 'pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12&upstream=glibc');
    assert.deepEqual(byName.get('bash')!.licenses, [{ license: { id: 'GPL-3.0-or-later' } }]);
    assert.deepEqual(byName.get('ms')!.licenses, [{ license: { name: 'Some-Odd-Licence' } }]);
    assert.ok(byName.get('libc6')!.properties!.some((p) => p.name === 'bosun:package:srcName' && p.value === 'glibc'));
    const deps = new Map(bom.dependencies.map((d) => [d.ref, (d.dependsOn ?? []).map((r) => bom.components.find((c) => c['bom-ref'] === r)?.name ?? r).sort()]));
    assert.deepEqual(deps.get('root'), ['debian', 'express']);
    assert.deepEqual(deps.get('os'), ['bash', 'libc6']);
    assert.deepEqual(deps.get(byName.get('bash')!['bom-ref']), ['libc6']);
    assert.deepEqual(deps.get(byName.get('express')!['bom-ref']), ['ms']);
    // Same input, same options → same bytes.
    assert.equal(renderCycloneDx(report, FIXED), text);
  });
});

describe('SPDX 2.3', () => {
  test('document, packages with purls, CONTAINS/DEPENDS_ON, extracted licences', async () => {
    const report = await smallImage();
    const doc = JSON.parse(renderSpdx(report, FIXED)) as {
      spdxVersion: string; dataLicense: string; SPDXID: string; documentNamespace: string; creationInfo: { created: string; creators: string[] };
      packages: { SPDXID: string; name: string; versionInfo?: string; licenseDeclared: string; primaryPackagePurpose?: string; externalRefs?: { referenceLocator: string }[]; sourceInfo?: string }[];
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
      hasExtractedLicensingInfos?: { licenseId: string; name: string }[];
    };
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(doc.dataLicense, 'CC0-1.0');
    assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
    assert.equal(doc.creationInfo.created, '2026-01-02T03:04:05Z');
    assert.match(doc.documentNamespace, /^https:\/\/bosun\.dev\/spdx\/t-6f1b0f2e/);
    const name = (id: string) => doc.packages.find((p) => p.SPDXID === id)?.name ?? id;
    const rels = doc.relationships.map((r) => `${name(r.spdxElementId)} ${r.relationshipType} ${name(r.relatedSpdxElement)}`).sort();
    assert.deepEqual(rels, [
      'SPDXRef-DOCUMENT DESCRIBES t',
      'bash DEPENDS_ON libc6',
      'debian CONTAINS bash',
      'debian CONTAINS libc6',
      'express DEPENDS_ON ms',
      't CONTAINS debian',
      't CONTAINS express',
      't CONTAINS ms',
    ]);
    const image = doc.packages.find((p) => p.SPDXID === 'SPDXRef-Image')!;
    assert.equal(image.primaryPackagePurpose, 'CONTAINER');
    assert.equal(image.versionInfo, report.image.digest);
    const ms = doc.packages.find((p) => p.name === 'ms')!;
    assert.equal(ms.licenseDeclared, 'LicenseRef-Some-Odd-Licence');
    assert.deepEqual(doc.hasExtractedLicensingInfos?.map((l) => l.licenseId), ['LicenseRef-Some-Odd-Licence']);
    assert.equal(doc.packages.find((p) => p.name === 'libc6')!.sourceInfo, 'built package from: glibc 2.36-9');
    assert.deepEqual(doc.packages.find((p) => p.name === 'express')!.externalRefs?.map((r) => r.referenceLocator), ['pkg:npm/express@4.18.2']);
    for (const p of doc.packages) assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/);
  });
});

describe('SBOM of the real Debian app image', { skip: integrationSkip(['debootstrap', 'umoci', 'skopeo', 'go']) }, () => {
  test('CycloneDX validates; every package appears once with its purl', async () => {
    const imgs = testImages()!;
    const report = await scanImage(`oci-layout:${imgs.oci}:app`, { config: false, scanners: [] });
    assert.ok(report.packages.length > 80, `${report.packages.length} packages`);
    const text = renderCycloneDx(report, FIXED);
    assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text), null);
    const bom = JSON.parse(text) as CdxBom;
    assert.equal(bom.components.length, report.packages.length + 1);
    assert.deepEqual(bom.components.filter((c) => c.type === 'library').map((c) => c.purl).sort(), report.packages.map((p) => p.purl).sort());
    const spdx = JSON.parse(renderSpdx(report, FIXED)) as { packages: unknown[] };
    assert.equal(spdx.packages.length, report.packages.length + 2);
  });
});
