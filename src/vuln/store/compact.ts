/**
 * What matching reads, stored beside each record so a lookup parses a few hundred bytes
 * instead of the whole record (advisory texts run to kilobytes): a record "head" (IDs,
 * summary, severity, references) and, per affected package, only that package's entries.
 */
import type { OsvAffected, OsvRecord } from '../osv/record.ts';
import { packageKey } from '../osv/record.ts';

/** The record without `affected`, `details`, `credits` and most database-specific data. */
export function recordHead(r: OsvRecord): string {
  const summary = r.summary !== undefined && r.summary !== '' ? r.summary : r.details?.split('\n').find((l) => l.trim() !== '')?.slice(0, 200);
  const dbSeverity = r.database_specific?.['severity'];
  return JSON.stringify({
    id: r.id,
    modified: r.modified,
    ...(r.withdrawn !== undefined && { withdrawn: r.withdrawn }),
    ...(r.aliases !== undefined && { aliases: r.aliases }),
    ...(r.upstream !== undefined && { upstream: r.upstream }),
    ...(summary !== undefined && { summary }),
    ...(r.severity !== undefined && { severity: r.severity }),
    ...(dbSeverity !== undefined && { database_specific: { severity: dbSeverity } }),
    ...(r.references !== undefined && { references: r.references.map((x) => ({ type: x.type, url: x.url })) }),
  });
}

function trimAffected(a: OsvAffected): OsvAffected {
  const urgency = a.ecosystem_specific?.['urgency'];
  const severity = a.database_specific?.['severity'];
  return {
    ...(a.package !== undefined && { package: a.package }),
    ...(a.severity !== undefined && { severity: a.severity }),
    ...(a.ranges !== undefined && { ranges: a.ranges.map((r) => ({ type: r.type, events: r.events })) }),
    ...(a.versions !== undefined && { versions: a.versions }),
    ...(urgency !== undefined && { ecosystem_specific: { urgency } }),
    ...(severity !== undefined && { database_specific: { severity } }),
  };
}

/** The record's affected entries grouped by (ecosystem, package key), trimmed, as JSON. */
export function affectedByPackage(r: OsvRecord): Map<string, { ecosystem: string; name: string; data: string }> {
  const groups = new Map<string, { ecosystem: string; name: string; entries: OsvAffected[] }>();
  for (const a of r.affected ?? []) {
    if (a.package === undefined) continue;
    const name = packageKey(a.package.ecosystem, a.package.name);
    const key = `${a.package.ecosystem}\u0000${name}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { ecosystem: a.package.ecosystem, name, entries: [trimAffected(a)] });
    else g.entries.push(trimAffected(a));
  }
  return new Map([...groups].map(([k, g]) => [k, { ecosystem: g.ecosystem, name: g.name, data: JSON.stringify(g.entries) }]));
}
