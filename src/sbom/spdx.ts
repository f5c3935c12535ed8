/**
 * SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3): the document DESCRIBES the image (purpose
 * CONTAINER) or directory; the image CONTAINS the OS (OPERATING-SYSTEM) and the packages
 * (LIBRARY, with a purl external reference); DEPENDS_ON where the sources record it. Licence
 * names that are not SPDX IDs become LicenseRef-s declared in hasExtractedLicensingInfos.
 */
import { randomUUID } from 'node:crypto';
import { SPDX } from '@cyclonedx/cyclonedx-library';
import type { InventoryReport } from '../image/report.ts';
import type { Package } from '../image/types.ts';
import { VERSION } from '../version.ts';
import { imagePurl, type SbomOptions } from './cyclonedx.ts';
import { dependencyEdges, isOsPackage, packageId } from './graph.ts';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: 'NOASSERTION';
  primaryPackagePurpose?: string;
  sourceInfo?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  annotations?: { annotator: string; annotationDate: string; annotationType: 'OTHER'; comment: string }[];
}

const isSpdxId = (s: string): boolean => SPDX.isSupportedSpdxId(s);
const idSafe = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, '-');

export function buildSpdx(report: InventoryReport, options: SbomOptions = {}): Record<string, unknown> {
  const created = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const isImage = report.image.source !== 'filesystem';
  const rootName = report.image.repoTags?.[0] ?? report.image.ref;
  const extracted = new Map<string, string>();
  const licenseOf = (p: Package): string => {
    if (p.licenses.length === 0) return 'NOASSERTION';
    const parts = p.licenses.map((expr) =>
      expr
        .split(/(\s+|\(|\))/)
        .map((tok) => {
          if (tok.trim() === '' || tok === '(' || tok === ')' || ['AND', 'OR', 'WITH'].includes(tok) || isSpdxId(tok)) return tok;
          const ref = tok.startsWith('LicenseRef-') ? `LicenseRef-${idSafe(tok.slice(11))}` : `LicenseRef-${idSafe(tok)}`;
          extracted.set(ref, tok.replace(/^LicenseRef-/, ''));
          return ref;
        })
        .join(''),
    );
    return parts.length === 1 ? parts[0]! : parts.map((x) => (/\s/.test(x) ? `(${x})` : x)).join(' AND ');
  };
  const rootId = isImage ? 'SPDXRef-Image' : 'SPDXRef-Directory';
  const root: SpdxPackage = {
    SPDXID: rootId,
    name: rootName,
    ...(report.image.digest !== undefined && { versionInfo: report.image.digest }),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: isImage ? 'CONTAINER' : 'SOURCE',
  };
  const purl = imagePurl(report);
  if (purl !== undefined) root.externalRefs = [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }];
  const packages: SpdxPackage[] = [root];
  const relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId },
  ];
  let osId: string | undefined;
  if (report.os !== undefined) {
    osId = `SPDXRef-OperatingSystem-${idSafe(report.os.family)}`;
    packages.push({ SPDXID: osId, name: report.os.family, versionInfo: report.os.version, downloadLocation: 'NOASSERTION', filesAnalyzed: false, licenseConcluded: 'NOASSERTION', licenseDeclared: 'NOASSERTION', copyrightText: 'NOASSERTION', primaryPackagePurpose: 'OPERATING-SYSTEM' });
    relationships.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
  }
  const ids = new Map<Package, string>();
  for (const p of report.packages) {
    const id = `SPDXRef-Package-${packageId(p)}`;
    ids.set(p, id);
    const entry: SpdxPackage = {
      SPDXID: id,
      name: p.name,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: licenseOf(p),
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
    };
    if (p.source !== undefined && (p.source.name !== p.name || p.source.version !== p.version)) entry.sourceInfo = `built package from: ${p.source.name} ${p.source.version}`;
    const notes = [`path: ${p.path}`, ...(p.layer !== undefined ? [`layer diffID: ${p.layer}`] : [])];
    entry.annotations = [{ annotator: `Tool: bosun-${VERSION}`, annotationDate: created, annotationType: 'OTHER', comment: notes.join('; ') }];
    packages.push(entry);
    relationships.push({ spdxElementId: isOsPackage(p) && osId !== undefined ? osId : rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }
  for (const [from, tos] of dependencyEdges(report.packages)) {
    for (const to of tos) relationships.push({ spdxElementId: ids.get(from)!, relationshipType: 'DEPENDS_ON', relatedSpdxElement: ids.get(to)! });
  }
  const doc: Record<string, unknown> = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: rootName,
    documentNamespace: `https://bosun.dev/spdx/${encodeURIComponent(rootName)}-${options.serialNumber ?? randomUUID()}`,
    creationInfo: { creators: [`Tool: bosun-${VERSION}`], created },
    packages,
    relationships,
  };
  if (extracted.size > 0) doc['hasExtractedLicensingInfos'] = [...extracted].sort().map(([licenseId, name]) => ({ licenseId, name, extractedText: `The license "${name}" as declared in the package metadata.` }));
  return doc;
}

export function renderSpdx(report: InventoryReport, options: SbomOptions = {}): string {
  return `${JSON.stringify(buildSpdx(report, options), null, 2)}\n`;
}
