/**
 * Reading packages back from an SBOM (CycloneDX JSON 1.2–1.6, SPDX JSON 2.2/2.3) for
 * `bosun sbom scan`: every component or package with a purl becomes a matching input; the
 * subject (the image the SBOM describes, from a `pkg:oci` purl or the document's main
 * component) is kept for VEX product matching. Source packages come from the purl's
 * `upstream` qualifier or Trivy's `SrcName`/`SrcVersion` properties.
 */
import { readFileSync, statSync } from 'node:fs';
import { BosunError } from '../core/errors.ts';
import type { PackageRef } from './match.ts';
import { packageFromPurl, parsePurl } from './purl.ts';

export interface SbomSubject {
  name: string;
  /** `sha256:…` when the SBOM names the image's digest. */
  digest?: string;
  purl?: string;
}

export interface SbomInput {
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  subject: SbomSubject | undefined;
  packages: PackageRef[];
  /** Components with a purl bosun cannot match: no version, or no OSV mapping (counted, not silently lost). */
  unmatchable: number;
  /** Components without a purl. */
  withoutPurl: number;
}

/** SBOMs are JSON documents of at most this size (a very large image is a few tens of MB). */
export const MAX_SBOM_BYTES = 512 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function readSbom(path: string): SbomInput {
  let text: string;
  try {
    if (statSync(path).size > MAX_SBOM_BYTES) throw new BosunError('E_SBOM', `${path}: larger than ${MAX_SBOM_BYTES} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_INPUT', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BosunError('E_SBOM', `${path}: not a CycloneDX or SPDX JSON document (not JSON: ${(err as Error).message})`, { cause: err });
  }
  return parseSbom(doc, path);
}

export function parseSbom(doc: unknown, name: string): SbomInput {
  if (isObject(doc) && doc['bomFormat'] === 'CycloneDX') return readCycloneDx(doc);
  if (isObject(doc) && typeof doc['spdxVersion'] === 'string' && doc['spdxVersion'].startsWith('SPDX-')) return readSpdx(doc);
  throw new BosunError('E_SBOM', `${name}: not a CycloneDX or SPDX JSON document (no "bomFormat": "CycloneDX" or "spdxVersion")`);
}

function digestFromPurl(purl: string | undefined): string | undefined {
  const p = purl === undefined ? undefined : parsePurl(purl);
  if (p?.type !== 'oci' || p.version === undefined) return undefined;
  return /^sha256:[0-9a-f]{64}$/.test(p.version) ? p.version : undefined;
}

function subjectOf(name: string | undefined, purl: string | undefined, digest: string | undefined): SbomSubject | undefined {
  if (name === undefined && purl === undefined) return undefined;
  const d = /sha256:[0-9a-f]{64}/.exec(digest ?? '')?.[0] ?? digestFromPurl(purl);
  return { name: name ?? purl!, ...(d !== undefined && { digest: d }), ...(purl !== undefined && { purl }) };
}

class Collector {
  packages: PackageRef[] = [];
  unmatchable = 0;
  withoutPurl = 0;
  private seen = new Set<string>();

  add(purl: string | undefined, extra: { sourceName?: string | undefined; sourceVersion?: string | undefined; location?: string | undefined; layer?: string | undefined }): void {
    if (purl === undefined) {
      this.withoutPurl++;
      return;
    }
    const pkg = packageFromPurl(purl);
    if (pkg === undefined) {
      this.unmatchable++;
      return;
    }
    if (extra.sourceName !== undefined && pkg.sourceName === undefined) pkg.sourceName = extra.sourceName;
    if (extra.sourceVersion !== undefined && pkg.sourceVersion === undefined) pkg.sourceVersion = extra.sourceVersion;
    if (extra.location !== undefined) pkg.location = extra.location;
    if (extra.layer !== undefined) pkg.layer = extra.layer;
    const key = `${purl}\u0000${pkg.location ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.packages.push(pkg);
  }
}

function readCycloneDx(doc: Json): SbomInput {
  const out = new Collector();
  const prop = (c: Json, names: string[]): string | undefined => {
    const props = Array.isArray(c['properties']) ? c['properties'] : [];
    for (const p of props) if (isObject(p) && names.includes(String(p['name']))) return str(p['value']);
    return undefined;
  };
  const walk = (components: unknown): void => {
    if (!Array.isArray(components)) return;
    for (const c of components) {
      if (!isObject(c)) continue;
      const type = str(c['type']);
      if (type !== 'operating-system' && type !== 'container') {
        out.add(str(c['purl']), {
          sourceName: prop(c, ['aquasecurity:trivy:SrcName', 'syft:metadata:source', 'bosun:package:srcName']),
          sourceVersion: prop(c, ['aquasecurity:trivy:SrcVersion', 'syft:metadata:sourceVersion', 'bosun:package:srcVersion']),
          location: prop(c, ['aquasecurity:trivy:FilePath', 'syft:location:0:path', 'bosun:package:path']),
          layer: prop(c, ['bosun:layer:diffID', 'aquasecurity:trivy:LayerDiffID']),
        });
      }
      walk(c['components']);
    }
  };
  walk(doc['components']);
  const meta = isObject(doc['metadata']) && isObject(doc['metadata']['component']) ? doc['metadata']['component'] : undefined;
  const subject = meta === undefined ? undefined : subjectOf(str(meta['name']), str(meta['purl']), prop(meta, ['bosun:image:digest', 'aquasecurity:trivy:RepoDigest']));
  return { format: 'cyclonedx', specVersion: String(doc['specVersion'] ?? ''), subject, packages: out.packages, unmatchable: out.unmatchable, withoutPurl: out.withoutPurl };
}

function readSpdx(doc: Json): SbomInput {
  const out = new Collector();
  const described = new Set(Array.isArray(doc['documentDescribes']) ? doc['documentDescribes'].map(String) : []);
  for (const rel of Array.isArray(doc['relationships']) ? doc['relationships'] : []) {
    if (isObject(rel) && rel['relationshipType'] === 'DESCRIBES' && rel['spdxElementId'] === 'SPDXRef-DOCUMENT') described.add(String(rel['relatedSpdxElement']));
  }
  let subject: SbomSubject | undefined;
  for (const p of Array.isArray(doc['packages']) ? doc['packages'] : []) {
    if (!isObject(p)) continue;
    const refs = Array.isArray(p['externalRefs']) ? p['externalRefs'] : [];
    const purl = refs.filter(isObject).find((r) => r['referenceType'] === 'purl' && /^PACKAGE[-_]MANAGER$/.test(String(r['referenceCategory'])))?.['referenceLocator'];
    if (described.has(String(p['SPDXID'])) && (typeof purl !== 'string' || purl.startsWith('pkg:oci/') || packageFromPurl(purl) === undefined)) {
      subject = subjectOf(str(p['name']), str(purl), undefined);
      continue;
    }
    out.add(str(purl), { sourceName: str(p['sourceInfo'])?.match(/built package from: (\S+)/)?.[1] });
  }
  return { format: 'spdx', specVersion: String(doc['spdxVersion']), subject, packages: out.packages, unmatchable: out.unmatchable, withoutPurl: out.withoutPurl };
}
