/**
 * OSV records (osv-schema 1.7): the fields bosun reads, and a structural check that decides
 * whether a record is usable. A record that fails the check is skipped and counted by the
 * importer, never fatal for the whole import.
 */

export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

/** Exactly one key per event (osv-schema). */
export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface OsvRange {
  type: RangeType;
  repo?: string;
  events: OsvEvent[];
  database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: Record<string, unknown>;
}

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = new Set(['introduced', 'fixed', 'last_affected', 'limit']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Why `value` is not a usable OSV record, or undefined when it is. */
export function osvProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (typeof value['id'] !== 'string' || value['id'] === '') return '"id" missing or not a string';
  if (typeof value['modified'] !== 'string' || Number.isNaN(Date.parse(value['modified']))) return '"modified" missing or not an RFC 3339 time';
  if (value['withdrawn'] !== undefined && typeof value['withdrawn'] !== 'string') return '"withdrawn" is not a string';
  for (const key of ['aliases', 'upstream', 'related'] as const) {
    if (value[key] !== undefined && !isStringArray(value[key])) return `"${key}" is not a list of strings`;
  }
  const severity = value['severity'];
  if (severity !== undefined && !isSeverityList(severity)) return '"severity" entries need "type" and "score" strings';
  const affected = value['affected'];
  if (affected === undefined) return undefined;
  if (!Array.isArray(affected)) return '"affected" is not a list';
  for (const [i, a] of affected.entries()) {
    const problem = affectedProblem(a);
    if (problem !== undefined) return `affected[${i}]: ${problem}`;
  }
  return undefined;
}

function isSeverityList(v: unknown): boolean {
  return Array.isArray(v) && v.every((s) => isObject(s) && typeof s['type'] === 'string' && typeof s['score'] === 'string');
}

function affectedProblem(a: unknown): string | undefined {
  if (!isObject(a)) return 'not an object';
  const pkg = a['package'];
  if (pkg !== undefined && (!isObject(pkg) || typeof pkg['ecosystem'] !== 'string' || typeof pkg['name'] !== 'string')) return '"package" needs "ecosystem" and "name" strings';
  if (a['versions'] !== undefined && !isStringArray(a['versions'])) return '"versions" is not a list of strings';
  if (a['severity'] !== undefined && !isSeverityList(a['severity'])) return '"severity" entries need "type" and "score" strings';
  const ranges = a['ranges'];
  if (ranges === undefined) return undefined;
  if (!Array.isArray(ranges)) return '"ranges" is not a list';
  for (const [j, r] of ranges.entries()) {
    if (!isObject(r)) return `ranges[${j}] is not an object`;
    if (typeof r['type'] !== 'string' || !RANGE_TYPES.has(r['type'])) return `ranges[${j}].type must be SEMVER, ECOSYSTEM or GIT`;
    const events = r['events'];
    if (!Array.isArray(events) || events.length === 0) return `ranges[${j}].events is missing or empty`;
    for (const e of events) {
      if (!isObject(e)) return `ranges[${j}].events has a non-object event`;
      const keys = Object.keys(e);
      if (keys.length !== 1 || !EVENT_KEYS.has(keys[0]!) || typeof e[keys[0]!] !== 'string') return `ranges[${j}].events: each event needs exactly one of introduced, fixed, last_affected, limit (a string)`;
    }
  }
  return undefined;
}

/** Package names as OSV keys them: PyPI names are PEP 503-normalised, the rest are exact. */
export function packageKey(ecosystem: string, name: string): string {
  const base = ecosystem.split(':', 1)[0]!;
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}
