/**
 * OpenVEX documents (v0.0.1 and v0.2.0): `statements[]` with `vulnerability` (an object with
 * `name`/`@id`/`aliases`, or a plain string in v0.0.1), `products` (objects with `@id` and
 * `subcomponents`, or plain strings), `status`, `justification`, `impact_statement`,
 * `action_statement`, and a statement or document `timestamp`.
 */
import type { VexProduct, VexStatement, VexStatus } from './types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES = new Set(['not_affected', 'affected', 'fixed', 'under_investigation']);

function ids(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!isObject(v)) return [];
  const out = [v['name'], v['@id']].filter((x): x is string => typeof x === 'string');
  if (Array.isArray(v['aliases'])) out.push(...v['aliases'].filter((x): x is string => typeof x === 'string'));
  return out;
}

function products(v: unknown): VexProduct[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((p): VexProduct[] => {
    if (typeof p === 'string') return [{ id: p, subcomponents: [] }];
    if (!isObject(p)) return [];
    const id = typeof p['@id'] === 'string' ? p['@id'] : isObject(p['identifiers']) && typeof p['identifiers']['purl'] === 'string' ? p['identifiers']['purl'] : undefined;
    if (id === undefined) return [];
    const subs = Array.isArray(p['subcomponents']) ? p['subcomponents'].flatMap((s) => (typeof s === 'string' ? [s] : isObject(s) && typeof s['@id'] === 'string' ? [s['@id']] : isObject(s) && isObject(s['identifiers']) && typeof s['identifiers']['purl'] === 'string' ? [s['identifiers']['purl']] : [])) : [];
    return [{ id, subcomponents: subs }];
  });
}

export function isOpenVex(doc: unknown): boolean {
  return isObject(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns') && Array.isArray(doc['statements']);
}

export function readOpenVex(doc: Json, source: string): { statements: VexStatement[]; skipped: number } {
  const statements: VexStatement[] = [];
  let skipped = 0;
  const docTime = typeof doc['timestamp'] === 'string' ? doc['timestamp'] : undefined;
  for (const [i, s] of (doc['statements'] as unknown[]).entries()) {
    if (!isObject(s) || typeof s['status'] !== 'string' || !STATUSES.has(s['status'])) {
      skipped++;
      continue;
    }
    const vulnerability = ids(s['vulnerability']);
    const prods = products(s['products']);
    if (vulnerability.length === 0 || prods.length === 0) {
      skipped++;
      continue;
    }
    const st: VexStatement = { vulnerability, products: prods, status: s['status'] as VexStatus, source, order: i };
    if (typeof s['justification'] === 'string') st.justification = s['justification'];
    const detail = [s['impact_statement'], s['action_statement']].find((x) => typeof x === 'string' && x !== '') as string | undefined;
    if (detail !== undefined) st.detail = detail;
    const time = typeof s['timestamp'] === 'string' ? s['timestamp'] : docTime;
    if (time !== undefined) st.timestamp = time;
    statements.push(st);
  }
  return { statements, skipped };
}
