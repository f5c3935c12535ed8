/**
 * CycloneDX 1.6 JSON, built with @cyclonedx/cyclonedx-library's model and serializer. The root
 * (metadata.component) is the image (type container, version = digest) or the scanned directory;
 * the OS is an operating-system component that depends on the OS packages; every package carries
 * its PURL, licences, and bosun properties for the layer, the path and the source package.
 */
import { randomUUID } from 'node:crypto';
import { Enums, Models, Serialize, SPDX, Spec } from '@cyclonedx/cyclonedx-library';
import type { InventoryReport } from '../image/report.ts';
import type { Package } from '../image/types.ts';
import { VERSION } from '../version.ts';
import { dependencyEdges, isOsPackage, packageId } from './graph.ts';

export interface SbomOptions {
  /** Fixed for reproducible output (tests); default now. */
  timestamp?: Date;
  /** Fixed for reproducible output; default a random UUID. */
  serialNumber?: string;
}

const isSpdxId = (s: string): boolean => SPDX.isSupportedSpdxId(s);

function licenses(p: Package): Models.LicenseRepository {
  const repo = new Models.LicenseRepository();
  for (const l of p.licenses) {
    if (/\s(AND|OR|WITH)\s/.test(l)) repo.add(new Models.LicenseExpression(l));
    else if (isSpdxId(l)) repo.add(new Models.SpdxLicense(l));
    else repo.add(new Models.NamedLicense(l.replace(/^LicenseRef-/, '')));
  }
  return repo;
}

function properties(p: Package): Models.PropertyRepository {
  const props = new Models.PropertyRepository();
  props.add(new Models.Property('bosun:package:path', p.path));
  if (p.layer !== undefined) props.add(new Models.Property('bosun:layer:diffID', p.layer));
  if (p.source !== undefined) {
    props.add(new Models.Property('bosun:package:srcName', p.source.name));
    props.add(new Models.Property('bosun:package:srcVersion', p.source.version));
  }
  if (p.arch !== undefined) props.add(new Models.Property('bosun:package:arch', p.arch));
  for (const [k, v] of Object.entries(p.properties ?? {})) props.add(new Models.Property(`bosun:package:${k}`, v));
  return props;
}

export function imagePurl(report: InventoryReport): string | undefined {
  const digest = report.image.digest;
  if (digest === undefined || report.image.source === 'filesystem' || report.image.source === 'rootfs') return undefined;
  const tag = report.image.repoTags?.[0];
  const repo = tag?.replace(/:[^:/]+$/, '');
  const name = (repo ?? 'image').split('/').at(-1)!;
  return `pkg:oci/${encodeURIComponent(name)}@${encodeURIComponent(digest)}${repo === undefined ? '' : `?repository_url=${encodeURIComponent(repo)}`}`;
}

export function buildCycloneDx(report: InventoryReport, options: SbomOptions = {}): Models.Bom {
  const isImage = report.image.source !== 'filesystem';
  const rootName = report.image.repoTags?.[0] ?? report.image.ref;
  const root = new Models.Component(isImage ? Enums.ComponentType.Container : Enums.ComponentType.Application, rootName, {
    bomRef: 'root',
    ...(report.image.digest !== undefined && { version: report.image.digest }),
    ...(imagePurl(report) !== undefined && { purl: imagePurl(report)! }),
  });
  if (report.image.digest !== undefined) root.properties.add(new Models.Property('bosun:image:digest', report.image.digest));
  if (report.image.configDigest !== undefined) root.properties.add(new Models.Property('bosun:image:configDigest', report.image.configDigest));
  if (report.image.platform !== undefined) root.properties.add(new Models.Property('bosun:image:platform', report.image.platform));
  for (const l of report.image.layers) if (l.diffId !== undefined) root.properties.add(new Models.Property('bosun:image:diffID', l.diffId));

  const bom = new Models.Bom({ serialNumber: `urn:uuid:${options.serialNumber ?? randomUUID()}` });
  bom.metadata = new Models.Metadata({ timestamp: options.timestamp ?? new Date(), component: root });
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'bosun', { version: VERSION, group: 'bosun-dev' }));

  let osComponent: Models.Component | undefined;
  if (report.os !== undefined) {
    osComponent = new Models.Component(Enums.ComponentType.OperatingSystem, report.os.family, { bomRef: 'os', version: report.os.version, ...(report.os.name !== undefined && { description: report.os.name }) });
    bom.components.add(osComponent);
    root.dependencies.add(osComponent.bomRef);
  }
  const components = new Map<Package, Models.Component>();
  for (const p of report.packages) {
    const c = new Models.Component(Enums.ComponentType.Library, p.name, {
      bomRef: `pkg-${packageId(p)}`,
      version: p.version,
      purl: p.purl,
      licenses: licenses(p),
      properties: properties(p),
    });
    components.set(p, c);
    bom.components.add(c);
  }
  const edges = dependencyEdges(report.packages);
  const hasParent = new Set<Package>();
  for (const [from, tos] of edges) {
    for (const to of tos) {
      components.get(from)!.dependencies.add(components.get(to)!.bomRef);
      hasParent.add(to);
    }
  }
  for (const p of report.packages) {
    const c = components.get(p)!;
    if (isOsPackage(p) && osComponent !== undefined) osComponent.dependencies.add(c.bomRef);
    else if (!hasParent.has(p)) root.dependencies.add(c.bomRef);
  }
  return bom;
}

export function renderCycloneDx(report: InventoryReport, options: SbomOptions = {}): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(buildCycloneDx(report, options), { sortLists: true, space: 2 })}\n`;
}
