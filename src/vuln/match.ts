/**
 * `matchVulnerabilities`: packages × the store → one match per (package, vulnerability).
 *
 * - Each package is looked up by its OSV ecosystem (with the distro release: `Debian:12`,
 *   `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Red Hat:…`) and name. Debian, Ubuntu and Alpine key
 *   their records on the source package, so OS packages are looked up by `sourceName` (dpkg
 *   `Source:`, apk origin) at `sourceVersion`, and by their own name too.
 * - Withdrawn records are ignored; the rest are evaluated with OSV semantics (`evaluate.ts`).
 * - Records that describe one vulnerability (linked through `id`, `aliases` and `upstream`:
 *   CVE ↔ GHSA ↔ PYSEC ↔ DSA) are merged, so each vulnerability appears once per package. The
 *   primary ID is the CVE when there is one. For an OS package only the distro's records are
 *   looked up, so its fixed versions and rating are the distro's, never an upstream's.
 */
import type { Severity } from '../core/finding.ts';
import { evaluateAffected } from './osv/evaluate.ts';
import { packageKey, type OsvAffected, type OsvRecord } from './osv/record.ts';
import { rateSeverity } from './osv/severity.ts';
import { compareVersions, ecosystemBase, schemeForEcosystem } from './versions/index.ts';

/** What matching needs to know about one installed package. */
export interface PackageRef {
  /** OSV ecosystem, with the release for distributions: `npm`, `PyPI`, `Debian:12`, `Alpine:v3.20`. */
  ecosystem: string;
  name: string;
  version: string;
  /** Source package of a binary distro package (dpkg `Source:`, apk origin, rpm source name). */
  sourceName?: string;
  sourceVersion?: string;
  purl?: string;
  /** Where it was found: a file path (lockfile, manifest) or an in-image path. */
  location?: string;
  /** Digest of the image layer that installed it. */
  layer?: string;
  /** VCS commit, when known (for OSV `GIT` ranges). */
  commit?: string;
}

/** The lookup side of the store (a `VulnStore`, or anything that answers the same question). */
export interface RecordSource {
  lookup(ecosystem: string, name: string): OsvRecord[];
  /** Optional lazy form (the store has it): evaluate first, read the rest of a record only on a hit. */
  candidates?(ecosystem: string, name: string): Array<{ id: string; withdrawn: boolean; affected: OsvAffected[]; record(): OsvRecord }>;
  /** The store's ecosystems starting with `prefix` (Red Hat's are found this way). */
  ecosystems?(prefix?: string): string[];
}

export interface VulnMatch {
  /** Primary ID: the CVE when there is one, else the first record's ID. */
  id: string;
  /** Every other ID of the vulnerability (record IDs, aliases, upstream IDs). */
  aliases: string[];
  /** The records that matched, by ID. */
  records: string[];
  package: PackageRef;
  summary: string;
  severity: Severity;
  /** `CVSS_V3`, `CVSS_V4`, `Ubuntu`, `Debian`, `database` or `unknown`. */
  severitySource: string;
  cvss?: { vector: string; score: number };
  /** Versions that fix it (empty: no fix published yet). */
  fixedVersions: string[];
  references: string[];
  /** Set when a version could not be ordered: the match may be wrong, and says why. */
  uncertain?: string;
}

export interface MatchOptions {
  /** Drop vulnerabilities without a published fix (`--ignore-unfixed`). */
  ignoreUnfixed?: boolean;
}

/** Distros whose OSV records name source packages. */
const SOURCE_KEYED = new Set(['Debian', 'Ubuntu', 'Alpine']);

interface Hit {
  record: OsvRecord;
  affected: OsvAffected;
  fixed: string[];
  uncertain: string | undefined;
}

export function matchVulnerabilities(packages: readonly PackageRef[], store: RecordSource, options: MatchOptions = {}): VulnMatch[] {
  const out: VulnMatch[] = [];
  for (const pkg of packages) {
    const hits = packageHits(pkg, store);
    if (hits.length === 0) continue;
    const matches = groupByVulnerability(hits).map((group) => toMatch(pkg, group));
    matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of matches) if (options.ignoreUnfixed !== true || m.fixedVersions.length > 0) out.push(m);
  }
  return out;
}

/**
 * The ecosystems a package is looked up in: its own, or for `Red Hat:<release>` (see purl.ts)
 * those of the release's main stream (`Red Hat:enterprise_linux:9::baseos`, `…::appstream`, …)
 * and of the extended-support streams of exactly its minor release (`Red Hat:rhel_eus:9.2::…`,
 * `rhel_aus`, `rhel_e4s`, `rhel_tus`), as present in the store. Other Red Hat products
 * (OpenShift, software collections, …) are not the base system's packages and are left out.
 */
export function lookupEcosystems(ecosystem: string, store: RecordSource): string[] {
  const m = /^Red Hat:(\d+)(?:\.(\d+))?[\d.]*$/.exec(ecosystem);
  if (m === null) return [ecosystem];
  let all = redHatCache.get(store);
  if (all === undefined) {
    all = store.ecosystems?.('Red Hat:') ?? [];
    redHatCache.set(store, all);
  }
  const [, major, minor] = m;
  const main = new RegExp(`^Red Hat:enterprise_linux:${major}(?::|$)`);
  const extended = minor === undefined ? undefined : new RegExp(`^Red Hat:rhel_(?:eus|aus|e4s|tus):${major}\\.${minor}(?::|$)`);
  return all.filter((e) => main.test(e) || (extended?.test(e) ?? false));
}

/** The store's Red Hat ecosystems, listed once per store (a scan asks for each package). */
const redHatCache = new WeakMap<RecordSource, string[]>();

function packageHits(pkg: PackageRef, store: RecordSource): Hit[] {
  const base = ecosystemBase(pkg.ecosystem);
  const hasSource = pkg.sourceName !== undefined && pkg.sourceName !== '';
  const bySource = SOURCE_KEYED.has(base) && hasSource;
  const lookups: Array<[string, string]> = bySource ? [[pkg.sourceName!, pkg.sourceVersion ?? pkg.version]] : [];
  if (!bySource || pkg.sourceName !== pkg.name) lookups.push([pkg.name, pkg.version]);
  // Red Hat lists binary packages, sometimes only the source's name: a binary rpm and its
  // source rpm share one epoch:version-release, so the binary's version stands for both.
  if (base === 'Red Hat' && hasSource && pkg.sourceName !== pkg.name) lookups.push([pkg.sourceName!, pkg.version]);
  const hits: Hit[] = [];
  const seen = new Set<string>();
  const queries = lookupEcosystems(pkg.ecosystem, store).flatMap((ecosystem) => lookups.map(([name, version]) => [ecosystem, name, version] as const));
  for (const [ecosystem, name, version] of queries) {
    const key = packageKey(ecosystem, name);
    const candidates = store.candidates?.(ecosystem, name) ?? store.lookup(ecosystem, name).map((r) => ({ id: r.id, withdrawn: r.withdrawn !== undefined, affected: r.affected ?? [], record: () => r }));
    for (const c of candidates) {
      if (c.withdrawn || seen.has(c.id)) continue;
      // A record may list the package in several entries (log4j-core has one per branch).
      let hit: Omit<Hit, 'record'> | undefined;
      for (const affected of c.affected) {
        const p = affected.package;
        if (p === undefined || p.ecosystem !== ecosystem || packageKey(p.ecosystem, p.name) !== key) continue;
        const r = evaluateAffected(affected, ecosystem, version, pkg.commit);
        if (!r.affected) continue;
        if (hit === undefined) hit = { affected, fixed: [...r.fixed], uncertain: r.uncertain };
        else {
          hit.fixed.push(...r.fixed);
          if (r.uncertain === undefined) hit.uncertain = undefined;
        }
      }
      if (hit !== undefined) {
        seen.add(c.id);
        hits.push({ ...hit, record: c.record() });
      }
    }
  }
  return hits;
}

/** Union-find over every ID a record names, so CVE ↔ GHSA ↔ DSA records become one group. */
function groupByVulnerability(hits: Hit[]): Hit[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const h of hits) {
    parent.set(h.record.id, find(h.record.id));
    for (const other of [...(h.record.aliases ?? []), ...(h.record.upstream ?? [])]) union(h.record.id, other);
  }
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const root = find(h.record.id);
    const list = groups.get(root);
    if (list === undefined) groups.set(root, [h]);
    else list.push(h);
  }
  return [...groups.values()];
}

function primaryId(ids: string[]): string {
  const cves = ids.filter((id) => /^CVE-\d{4}-\d+$/.test(id)).sort();
  return cves[0] ?? ids[0]!;
}

function toMatch(pkg: PackageRef, group: Hit[]): VulnMatch {
  const recordIds = group.map((h) => h.record.id);
  const allIds = [...new Set(group.flatMap((h) => [h.record.id, ...(h.record.aliases ?? []), ...(h.record.upstream ?? [])]))];
  const id = primaryId([...recordIds.filter((i) => /^CVE-/.test(i)), ...allIds]);
  const rating = rateSeverity(group);
  const scheme = schemeForEcosystem(pkg.ecosystem);
  const fixed = [...new Set(group.flatMap((h) => h.fixed))].sort((a, b) => {
    if (scheme === undefined) return a < b ? -1 : a > b ? 1 : 0;
    try {
      return compareVersions(scheme, a, b);
    } catch {
      return a < b ? -1 : a > b ? 1 : 0;
    }
  });
  const summary = group.map((h) => h.record.summary).find((s) => s !== undefined && s !== '') ?? group.map((h) => h.record.details?.split('\n')[0]).find((s) => s !== undefined && s !== '') ?? id;
  const uncertain = group.every((h) => h.uncertain !== undefined) ? group[0]!.uncertain : undefined;
  const m: VulnMatch = {
    id,
    aliases: allIds.filter((x) => x !== id).sort(),
    records: recordIds,
    package: pkg,
    summary,
    severity: rating.severity,
    severitySource: rating.source,
    fixedVersions: fixed,
    references: [...new Set(group.flatMap((h) => (h.record.references ?? []).map((r) => r.url)))],
  };
  if (rating.vector !== undefined && rating.score !== undefined) m.cvss = { vector: rating.vector, score: rating.score };
  if (uncertain !== undefined) m.uncertain = uncertain;
  return m;
}
