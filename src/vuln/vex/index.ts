/**
 * VEX: statements from OpenVEX and CycloneDX VEX documents applied to vulnerability findings.
 * For each finding, the statements naming its vulnerability (by ID or alias) and its product
 * (the package's purl, or the image by digest, optionally narrowed to the package through
 * OpenVEX subcomponents) are considered; the latest one wins. `not_affected` and `fixed`
 * suppress the finding, which stays in the report marked with the statement's status,
 * justification and source; `affected` and `under_investigation` do not suppress.
 */
import { readFileSync } from 'node:fs';
import { BosunError } from '../../core/errors.ts';
import { purlMatches, parsePurl } from '../purl.ts';
import type { VulnFinding } from '../findings.ts';
import { isCycloneDxVex, readCycloneDxVex } from './cyclonedx.ts';
import { isOpenVex, readOpenVex } from './openvex.ts';
import type { VexProduct, VexStatement } from './types.ts';

export type { VexStatement, VexStatus, VexProduct } from './types.ts';

export interface VexDocument {
  source: string;
  format: 'openvex' | 'cyclonedx';
  statements: VexStatement[];
  /** Statements without a known status, vulnerability or product. */
  skipped: number;
}

export function parseVex(doc: unknown, source: string): VexDocument {
  if (isOpenVex(doc)) return { source, format: 'openvex', ...readOpenVex(doc as Record<string, unknown>, source) };
  if (isCycloneDxVex(doc)) return { source, format: 'cyclonedx', ...readCycloneDxVex(doc as Record<string, unknown>, source) };
  throw new BosunError('E_VEX', `${source}: not an OpenVEX or CycloneDX VEX document`);
}

export function readVexFile(path: string): VexDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot read VEX document (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BosunError('E_VEX', `${path}: not an OpenVEX or CycloneDX VEX document (not JSON: ${(err as Error).message})`, { cause: err });
  }
  return parseVex(doc, path);
}

/** `sha256:…` from a digest, an image reference with `@sha256:…`, or a `pkg:oci` purl. */
function digestOf(id: string): string | undefined {
  if (id.startsWith('pkg:')) {
    const p = parsePurl(id);
    return p?.type === 'oci' && p.version?.startsWith('sha256:') === true ? p.version : undefined;
  }
  const m = /(sha256:[0-9a-f]{64})$/.exec(id);
  return m?.[1];
}

function matchesPackage(id: string, purl: string | undefined): boolean {
  return purl !== undefined && id.startsWith('pkg:') && parsePurl(id)?.type !== 'oci' && purlMatches(id, purl);
}

function productApplies(p: VexProduct, f: VulnFinding): boolean {
  const purl = f.target.package?.purl;
  const imageDigest = f.target.type === 'image' ? f.target.digest : undefined;
  const productDigest = digestOf(p.id);
  if (productDigest !== undefined) {
    if (imageDigest === undefined || productDigest !== imageDigest) return false;
    return p.subcomponents.length === 0 || p.subcomponents.some((s) => matchesPackage(s, purl));
  }
  return matchesPackage(p.id, purl);
}

function statementApplies(s: VexStatement, f: VulnFinding): boolean {
  const ids = new Set([f.ruleId, ...(f.aliases ?? [])]);
  return s.vulnerability.some((v) => ids.has(v)) && s.products.some((p) => productApplies(p, f));
}

/** Later timestamps win; without timestamps, later files and later statements win. */
function latest(a: VexStatement, b: VexStatement, ia: number, ib: number): VexStatement {
  if (a.timestamp !== undefined && b.timestamp !== undefined && a.timestamp !== b.timestamp) return Date.parse(a.timestamp) > Date.parse(b.timestamp) ? a : b;
  if (ia !== ib) return ia > ib ? a : b;
  return a.order > b.order ? a : b;
}

/** Marks findings a VEX statement declares not_affected or fixed; returns how many it suppressed. */
export function applyVex(findings: VulnFinding[], documents: readonly VexDocument[]): number {
  let suppressed = 0;
  for (const f of findings) {
    let winner: { s: VexStatement; doc: number } | undefined;
    for (const [di, doc] of documents.entries()) {
      for (const s of doc.statements) {
        if (!statementApplies(s, f)) continue;
        winner = winner === undefined ? { s, doc: di } : latest(s, winner.s, di, winner.doc) === s ? { s, doc: di } : winner;
      }
    }
    if (winner === undefined || f.suppressed !== undefined) continue;
    const s = winner.s;
    if (s.status !== 'not_affected' && s.status !== 'fixed') continue;
    const why = [s.status, s.justification].filter((x) => x !== undefined).join(': ');
    // The core Suppression type knows `annotation` and `config`; a VEX file is configuration.
    f.suppressed = { by: 'vex', reason: `VEX ${s.source}: ${why}${s.detail === undefined ? '' : ` (${s.detail})`}` };
    suppressed++;
  }
  return suppressed;
}
