/**
 * An import worker: reads a zip export and prepares its records (inflate, JSON, schema check,
 * package rows) while the main thread writes to SQLite. The archive's entries are taken in
 * chunks of `CHUNK`, claimed from a shared counter by the workers and, when it would otherwise
 * wait, by the main thread itself; the main thread writes the chunks in archive order, so the
 * result does not depend on who prepared what. A chunk goes to the main thread as one batch in
 * columns (arrays of strings, one transferred buffer for the deflated records: far cheaper to
 * pass between threads than an object per record); a shared counter of batches written per
 * worker keeps at most `IN_FLIGHT` batches of each worker queued.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openZip, type ZipArchive } from '../osv/zip.ts';
import type { AffectedRow } from './compact.ts';
import { prepareEntry, type PreparedRecord, type SkippedEntry } from './prepare.ts';

export interface WorkerInput {
  path: string;
  /** Int32Array: [0] = the next chunk to claim; [1 + worker] = batches of that worker written. */
  state: SharedArrayBuffer;
  worker: number;
}

/** Records in columns; record i's package rows are `rows[3k..3k+2]` for k in its share of `packages`. */
export interface WireBatch {
  ids: string[];
  modified: string[];
  heads: string[];
  withdrawn: Uint8Array;
  /** End offset of record i's deflated text in `bytes`. */
  rawEnd: Uint32Array;
  bytes: ArrayBuffer;
  packages: Uint32Array;
  rows: string[];
  skipped: SkippedEntry[];
}

export type WorkerMessage = { batch: WireBatch; chunk: number } | { done: true } | { error: { code?: string; message: string } };

/** Archive entries per chunk (one batch each). */
export const CHUNK = 2000;
export const IN_FLIGHT = 4;

class BatchBuilder {
  ids: string[] = [];
  modified: string[] = [];
  heads: string[] = [];
  withdrawn = new Uint8Array(CHUNK);
  rawEnd = new Uint32Array(CHUNK);
  packages = new Uint32Array(CHUNK);
  rows: string[] = [];
  skipped: SkippedEntry[] = [];
  bytes = new Uint8Array(1 << 20);
  used = 0;

  add(p: PreparedRecord | SkippedEntry): void {
    if (p.kind === 'skip') {
      this.skipped.push(p);
      return;
    }
    const i = this.ids.length;
    this.ids.push(p.id);
    this.modified.push(p.modified);
    this.heads.push(p.head);
    this.withdrawn[i] = p.withdrawn;
    if (this.used + p.raw.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + p.raw.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(p.raw, this.used);
    this.used += p.raw.length;
    this.rawEnd[i] = this.used;
    this.packages[i] = p.affected.length;
    for (const [ecosystem, name, data] of p.affected) this.rows.push(ecosystem, name, data);
  }

  /** The batch to post and the buffer to transfer. */
  take(): WireBatch {
    const n = this.ids.length;
    const bytes = this.bytes.buffer.slice(0, this.used);
    return { ids: this.ids, modified: this.modified, heads: this.heads, withdrawn: this.withdrawn.slice(0, n), rawEnd: this.rawEnd.slice(0, n), bytes, packages: this.packages.slice(0, n), rows: this.rows, skipped: this.skipped };
  }
}

/** Calls `fn` with every record of a batch, in order, skipped entries first. */
export function unpackBatch(b: WireBatch, onRecord: (p: PreparedRecord) => void, onSkip: (s: SkippedEntry) => void): void {
  for (const s of b.skipped) onSkip(s);
  let start = 0;
  let row = 0;
  for (let i = 0; i < b.ids.length; i++) {
    const affected: AffectedRow[] = [];
    for (let k = 0; k < b.packages[i]!; k++, row += 3) affected.push([b.rows[row]!, b.rows[row + 1]!, b.rows[row + 2]!]);
    const end = b.rawEnd[i]!;
    onRecord({ kind: 'record', id: b.ids[i]!, modified: b.modified[i]!, withdrawn: b.withdrawn[i] as 0 | 1, raw: new Uint8Array(b.bytes, start, end - start), head: b.heads[i]!, affected });
    start = end;
  }
}

/** Reads and prepares chunk `chunk` of `zip` (entries `chunk * CHUNK` up to the next chunk). */
export function prepareChunk(zip: ZipArchive, chunk: number): WireBatch {
  const batch = new BatchBuilder();
  for (let i = chunk * CHUNK; i < Math.min(zip.count, (chunk + 1) * CHUNK); i++) {
    const entry = zip.entry(i);
    const prepared = entry === undefined ? undefined : prepareEntry(entry);
    if (prepared !== undefined) batch.add(prepared);
  }
  return batch.take();
}

function run(): void {
  const { path, state, worker } = workerData as WorkerInput;
  const shared = new Int32Array(state);
  const written = 1 + worker;
  let sent = 0;
  const zip = openZip(path);
  try {
    const chunks = Math.ceil(zip.count / CHUNK);
    for (let chunk = Atomics.add(shared, 0, 1); chunk < chunks; chunk = Atomics.add(shared, 0, 1)) {
      const wire = prepareChunk(zip, chunk);
      while (sent - Atomics.load(shared, written) >= IN_FLIGHT) Atomics.wait(shared, written, Atomics.load(shared, written), 1000);
      parentPort!.postMessage({ batch: wire, chunk } satisfies WorkerMessage, [wire.bytes]);
      sent++;
    }
    parentPort!.postMessage({ done: true } satisfies WorkerMessage);
  } catch (err) {
    parentPort!.postMessage({ error: { code: (err as { code?: string }).code, message: (err as Error).message } } satisfies WorkerMessage);
  } finally {
    zip.close();
  }
}

if (parentPort !== null && (workerData as WorkerInput | undefined)?.path !== undefined) run();
