/**
 * What matching reads. Per affected package, the store keeps only that package's entries,
 * trimmed to what evaluation and rating use and without their `package` (the row's columns say
 * it), so a lookup parses a few hundred bytes. What a finding shows of a record (IDs, summary,
 * severity, references) is its "head", kept as JSON beside the record's deflated text and read
 * only when a candidate matches.
 */
import type { OsvAffected, OsvRecord } from '../osv/record.ts';
import { packageKey } from '../osv/record.ts';

/** The record without `affected`, `details`, `credits` and most database-specific data. */
export function recordHead(r: OsvRecord): OsvRecord {
  const summary = r.summary !== undefined && r.summary !== '' ? r.summary : r.details?.split('\n').find((l) => l.trim() !== '')?.slice(0, 200);
  const dbSeverity = r.database_specific?.['severity'];
  return {
    id: r.id,
    modified: r.modified,
    ...(r.withdrawn !== undefined && { withdrawn: r.withdrawn }),
    ...(r.aliases !== undefined && { aliases: r.aliases }),
    ...(r.upstream !== undefined && { upstream: r.upstream }),
    ...(summary !== undefined && { summary }),
    ...(r.severity !== undefined && { severity: r.severity }),
    ...(dbSeverity !== undefined && { database_specific: { severity: dbSeverity } }),
    ...(r.references !== undefined && { references: r.references.map((x) => ({ type: x.type, url: x.url })) }),
  };
}

/** One affected entry as stored: no `package`, ranges without `repo`/database data. */
function trimAffected(a: OsvAffected): OsvAffected {
  const urgency = a.ecosystem_specific?.['urgency'];
  const severity = a.database_specific?.['severity'];
  const out: OsvAffected = {};
  if (a.severity !== undefined) out.severity = a.severity;
  if (a.ranges !== undefined) out.ranges = a.ranges.map((r) => ({ type: r.type, events: r.events }));
  if (a.versions !== undefined) out.versions = a.versions;
  if (urgency !== undefined) out.ecosystem_specific = { urgency };
  if (severity !== undefined) out.database_specific = { severity };
  return out;
}

/** One row of the `affected` table: ecosystem, package key, the entries as JSON. */
export type AffectedRow = [ecosystem: string, name: string, data: string];

/** The record's affected entries grouped by (ecosystem, package key), trimmed, as JSON. */
export function affectedRows(r: OsvRecord): AffectedRow[] {
  const groups = new Map<string, { ecosystem: string; name: string; entries: OsvAffected[] }>();
  for (const a of r.affected ?? []) {
    if (a.package === undefined) continue;
    const name = packageKey(a.package.ecosystem, a.package.name);
    const key = `${a.package.ecosystem}\u0000${name}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { ecosystem: a.package.ecosystem, name, entries: [trimAffected(a)] });
    else g.entries.push(trimAffected(a));
  }
  const rows: AffectedRow[] = [];
  for (const g of groups.values()) rows.push([g.ecosystem, g.name, JSON.stringify(g.entries)]);
  return rows;
}

/** A stored row's entries with their `package` put back. */
export function restoreAffected(ecosystem: string, name: string, data: string): OsvAffected[] {
  const entries = JSON.parse(data) as OsvAffected[];
  for (const e of entries) e.package = { ecosystem, name };
  return entries;
}
