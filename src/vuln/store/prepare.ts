/**
 * Turning one file of an export into what the store writes: parsed, checked against the OSV
 * schema, and reduced to the rows (record, compact head, per-package entries). Pure, so it
 * runs on the import worker as well as inline.
 */
import { osvProblem, type OsvRecord } from '../osv/record.ts';
import type { ZipEntry } from '../osv/zip.ts';
import { affectedByPackage, recordHead } from './compact.ts';

export interface PreparedRecord {
  kind: 'record';
  id: string;
  modified: string;
  withdrawn: 0 | 1;
  json: string;
  head: string;
  /** [ecosystem, package key, trimmed entries as JSON] */
  affected: Array<[string, string, string]>;
}

export interface SkippedEntry {
  kind: 'skip';
  file: string;
  reason: string;
}

/** Undefined for files that are not records at all (not `.json`). */
export function prepareEntry(entry: ZipEntry): PreparedRecord | SkippedEntry | undefined {
  if (!entry.name.endsWith('.json')) return undefined;
  const text = entry.data.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'skip', file: entry.name, reason: `not JSON (${(err as Error).message})` };
  }
  return prepareRecord(value, text, entry.name);
}

export function prepareRecord(value: unknown, text: string, file: string): PreparedRecord | SkippedEntry {
  const problem = osvProblem(value);
  if (problem !== undefined) return { kind: 'skip', file, reason: problem };
  const record = value as OsvRecord;
  return {
    kind: 'record',
    id: record.id,
    modified: record.modified,
    withdrawn: record.withdrawn === undefined ? 0 : 1,
    json: text,
    head: recordHead(record),
    affected: [...affectedByPackage(record).values()].map((a) => [a.ecosystem, a.name, a.data]),
  };
}
