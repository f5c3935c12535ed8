/**
 * Turning one file of an export into what the store writes: parsed, checked against the OSV
 * schema, and reduced to its rows (the record's columns, its head, its raw text deflated,
 * per-package entries). Pure, so it runs on the import worker as well as inline.
 *
 * The raw record is kept deflated: for a zip entry that is the archive's own deflate stream
 * (already verified through the entry's CRC-32), so storing it costs no compression work.
 */
import { deflateRawSync } from 'node:zlib';
import { osvProblem, type OsvRecord } from '../osv/record.ts';
import type { ZipEntry } from '../osv/zip.ts';
import { affectedRows, recordHead, type AffectedRow } from './compact.ts';

/** More package rows than this in one record is not an advisory (and the row keys hold 20 bits). */
export const MAX_PACKAGES_PER_RECORD = 1 << 20;

export interface PreparedRecord {
  kind: 'record';
  id: string;
  modified: string;
  withdrawn: 0 | 1;
  /** The record's text, raw-deflated. */
  raw: Uint8Array;
  /** `recordHead` as JSON. */
  head: string;
  affected: AffectedRow[];
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
  return prepareRecord(value, entry.compressed ?? entry.data, entry.name, entry.compressed !== undefined);
}

/**
 * `bytes` is the record's text (UTF-8), or already its raw deflate stream when `deflated`.
 * The returned `raw` may be a view into `bytes`: copy it before `bytes` is reused.
 */
export function prepareRecord(value: unknown, bytes: Uint8Array | string, file: string, deflated = false): PreparedRecord | SkippedEntry {
  const problem = osvProblem(value);
  if (problem !== undefined) return { kind: 'skip', file, reason: problem };
  const record = value as OsvRecord;
  const affected = affectedRows(record);
  if (affected.length > MAX_PACKAGES_PER_RECORD) return { kind: 'skip', file, reason: `${affected.length} affected packages (at most ${MAX_PACKAGES_PER_RECORD})` };
  return {
    kind: 'record',
    id: record.id,
    modified: record.modified,
    withdrawn: record.withdrawn === undefined ? 0 : 1,
    raw: deflated ? (bytes as Uint8Array) : deflateRawSync(bytes),
    head: JSON.stringify(recordHead(record)),
    affected,
  };
}
