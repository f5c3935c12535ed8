/**
 * Is a version inside an OSV `affected` entry? The osv-schema evaluation: the version is
 * affected if it is listed in `versions`, or if for some range, after sorting the range's
 * events by version (`introduced: "0"` first), the last event at or below the version is an
 * `introduced` (a `fixed` at or below it, or a `last_affected` below it, closes the range), and
 * the version is below one of the range's `limit`s when there are any.
 *
 * `SEMVER` ranges compare with SemVer (Go's records use them, read with the Go scheme);
 * `ECOSYSTEM` ranges with the ecosystem's scheme; `GIT` ranges need the repository's commit
 * graph, so they are only used when the package's commit is known and named by an event
 * (OSV also enumerates the affected tags of GIT ranges in `versions`).
 */
import { InvalidVersionError, compareVersions, schemeForEcosystem, type VersionScheme } from '../versions/index.ts';
import type { OsvAffected, OsvEvent, OsvRange } from './record.ts';

export interface AffectedResult {
  affected: boolean;
  /** Set when a version could not be compared: the answer is a guess and must say so. */
  uncertain?: string;
  /** For each affected range, the first `fixed` above the version. */
  fixed: string[];
}

interface Evt {
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  version: string;
}

function toEvt(e: OsvEvent): Evt {
  const [kind, version] = Object.entries(e)[0] as [Evt['kind'], string];
  return { kind, version };
}

function schemeFor(range: OsvRange, ecosystem: string): VersionScheme | undefined {
  if (range.type === 'SEMVER') return schemeForEcosystem(ecosystem) === 'go' ? 'go' : 'semver';
  if (range.type === 'ECOSYSTEM') return schemeForEcosystem(ecosystem);
  return undefined;
}

export function evaluateAffected(affected: OsvAffected, ecosystem: string, version: string, commit?: string): AffectedResult {
  const result: AffectedResult = { affected: false, fixed: [] };
  if (affected.versions?.includes(version) === true) result.affected = true;
  const scheme = schemeForEcosystem(ecosystem);
  if (!result.affected && scheme !== undefined && affected.versions !== undefined) {
    for (const listed of affected.versions) {
      try {
        if (compareVersions(scheme, listed, version) === 0) {
          result.affected = true;
          break;
        }
      } catch {
        // a listed version the scheme cannot read is only matched by exact text
      }
    }
  }
  for (const range of affected.ranges ?? []) {
    const events = range.events.map(toEvt);
    if (range.type === 'GIT') {
      if (commit !== undefined && gitRangeAffects(events, commit)) result.affected = true;
      continue;
    }
    const s = schemeFor(range, ecosystem);
    if (s === undefined) {
      result.uncertain ??= `no version ordering for ecosystem ${ecosystem}`;
      continue;
    }
    try {
      const r = evaluateRange(events, s, version, range.type === 'SEMVER');
      if (r.affected) {
        result.affected = true;
        if (r.fixed !== undefined) result.fixed.push(r.fixed);
      }
    } catch (err) {
      if (!(err instanceof InvalidVersionError)) throw err;
      result.uncertain ??= err.message;
      // Unorderable: report it, marked uncertain, unless the range can be decided on text alone.
      if (events.some((e) => e.kind === 'introduced') && !events.some((e) => (e.kind === 'fixed' || e.kind === 'last_affected') && e.version === version)) {
        result.affected = true;
        for (const e of events) if (e.kind === 'fixed') result.fixed.push(e.version);
      }
    }
  }
  if (result.affected && result.uncertain !== undefined && affected.versions?.includes(version) === true) delete result.uncertain;
  if (!result.affected) delete result.uncertain;
  return result;
}

/** Exact commits only: introduced at this commit → affected; fixed/limit at it → not. */
function gitRangeAffects(events: Evt[], commit: string): boolean {
  if (events.some((e) => (e.kind === 'fixed' || e.kind === 'limit' || e.kind === 'last_affected') && e.version === commit)) return false;
  return events.some((e) => e.kind === 'introduced' && e.version === commit);
}

/**
 * SEMVER ranges in the wild sometimes write `0.1` for `0.1.0` (GHSA-wcg3-cvx6-7396); OSV's
 * own tooling pads such versions, and so does bosun, for SEMVER ranges only.
 */
function padSemver(v: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?$/.exec(v);
  return m === null ? v : `${m[1]}.${m[2] ?? '0'}.0`;
}

function evaluateRange(events: Evt[], scheme: VersionScheme, version: string, padded: boolean): { affected: boolean; fixed?: string } {
  const cmp = (a: string, b: string): number => (padded ? compareVersions(scheme, padSemver(a), padSemver(b)) : compareVersions(scheme, a, b));
  const isZero = (e: Evt): boolean => e.kind === 'introduced' && e.version === '0';
  const sorted = events
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => {
      if (isZero(a) || isZero(b)) return isZero(a) === isZero(b) ? 0 : isZero(a) ? -1 : 1;
      return cmp(a.version, b.version);
    });
  let affected = false;
  let fixed: string | undefined;
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (isZero(e) || cmp(version, e.version) >= 0) affected = true;
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.version) >= 0) affected = false;
      else if (affected && fixed === undefined) fixed = e.version;
    } else if (e.kind === 'last_affected') {
      if (cmp(version, e.version) > 0) affected = false;
    }
  }
  const limits = events.filter((e) => e.kind === 'limit');
  if (affected && limits.length > 0 && !limits.some((l) => l.version === '*' || cmp(version, l.version) < 0)) affected = false;
  return fixed === undefined || !affected ? { affected } : { affected, fixed };
}
