/**
 * CycloneDX VEX (a BOM with `vulnerabilities[]`, standalone or inside the SBOM): each
 * vulnerability's `analysis.state` maps onto OpenVEX statuses (`not_affected` and
 * `false_positive` → not_affected; `resolved`, `resolved_with_pedigree` → fixed;
 * `exploitable` → affected; `in_triage` → under_investigation), and `affects[].ref` names the
 * products: a purl, a `bom-ref` of a component in the same document, or a BOM-Link
 * (`urn:cdx:…#bom-ref`) to one.
 */
import type { VexStatement, VexStatus } from './types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const STATES: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

export function isCycloneDxVex(doc: unknown): boolean {
  return isObject(doc) && doc['bomFormat'] === 'CycloneDX' && Array.isArray(doc['vulnerabilities']);
}

function componentRefs(doc: Json): Map<string, string> {
  const refs = new Map<string, string>();
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isObject(c)) continue;
      if (typeof c['bom-ref'] === 'string' && typeof c['purl'] === 'string') refs.set(c['bom-ref'], c['purl']);
      walk(c['components']);
    }
  };
  walk(doc['components']);
  const meta = isObject(doc['metadata']) ? doc['metadata']['component'] : undefined;
  if (isObject(meta)) walk([meta]);
  return refs;
}

export function readCycloneDxVex(doc: Json, source: string): { statements: VexStatement[]; skipped: number } {
  const refs = componentRefs(doc);
  const resolve = (ref: string): string => {
    const local = ref.startsWith('urn:cdx:') ? ref.slice(ref.indexOf('#') + 1) : ref;
    return refs.get(decodeURIComponent(local)) ?? refs.get(local) ?? ref;
  };
  const statements: VexStatement[] = [];
  let skipped = 0;
  for (const [i, v] of (doc['vulnerabilities'] as unknown[]).entries()) {
    const analysis = isObject(v) && isObject(v['analysis']) ? v['analysis'] : undefined;
    const status = typeof analysis?.['state'] === 'string' ? STATES[analysis['state']] : undefined;
    const id = isObject(v) && typeof v['id'] === 'string' ? v['id'] : undefined;
    const affects = isObject(v) && Array.isArray(v['affects']) ? v['affects'].filter(isObject).map((a) => a['ref']).filter((r): r is string => typeof r === 'string') : [];
    if (status === undefined || id === undefined || affects.length === 0) {
      skipped++;
      continue;
    }
    const vulnerability = [id, ...(Array.isArray((v as Json)['references']) ? ((v as Json)['references'] as unknown[]).filter(isObject).map((r) => r['id']).filter((x): x is string => typeof x === 'string') : [])];
    const st: VexStatement = { vulnerability, products: affects.map((r) => ({ id: resolve(r), subcomponents: [] })), status, source, order: i };
    if (typeof analysis!['justification'] === 'string') st.justification = analysis!['justification'];
    if (typeof analysis!['detail'] === 'string' && analysis!['detail'] !== '') st.detail = analysis!['detail'];
    const time = analysis!['lastUpdated'] ?? analysis!['firstIssued'] ?? (isObject(v) ? v['updated'] : undefined);
    if (typeof time === 'string') st.timestamp = time;
    statements.push(st);
  }
  return { statements, skipped };
}
