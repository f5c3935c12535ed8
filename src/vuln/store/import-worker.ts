/**
 * The import worker: reads a zip export and prepares its records (inflate, JSON, schema check,
 * compact rows) on a second thread while the main thread writes to SQLite. Batches go to the
 * main thread; a shared counter of batches written keeps at most `IN_FLIGHT` batches queued.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readZip } from '../osv/zip.ts';
import { prepareEntry, type PreparedRecord, type SkippedEntry } from './prepare.ts';

export interface WorkerInput {
  path: string;
  /** Int32Array[0] = batches the main thread has written. */
  progress: SharedArrayBuffer;
}

export type WorkerMessage = { batch: Array<PreparedRecord | SkippedEntry> } | { done: true } | { error: { code?: string; message: string } };

export const BATCH = 1000;
export const IN_FLIGHT = 8;

function run(): void {
  const { path, progress } = workerData as WorkerInput;
  const written = new Int32Array(progress);
  let sent = 0;
  let batch: Array<PreparedRecord | SkippedEntry> = [];
  const flush = (): void => {
    while (sent - Atomics.load(written, 0) >= IN_FLIGHT) Atomics.wait(written, 0, Atomics.load(written, 0), 1000);
    parentPort!.postMessage({ batch } satisfies WorkerMessage);
    sent++;
    batch = [];
  };
  try {
    for (const entry of readZip(path)) {
      const prepared = prepareEntry(entry);
      if (prepared === undefined) continue;
      batch.push(prepared);
      if (batch.length >= BATCH) flush();
    }
    if (batch.length > 0) flush();
    parentPort!.postMessage({ done: true } satisfies WorkerMessage);
  } catch (err) {
    parentPort!.postMessage({ error: { code: (err as { code?: string }).code, message: (err as Error).message } } satisfies WorkerMessage);
  }
}

if (parentPort !== null && (workerData as WorkerInput | undefined)?.path !== undefined) run();
