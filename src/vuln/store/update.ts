/**
 * `bosun db update`: brings the store up to date from OSV's per-ecosystem exports.
 *
 * - First time (or `full`), per ecosystem: download `<source>/<Ecosystem>/all.zip` to a file
 *   next to the store (streamed to disk, length checked), then import it entry by entry.
 * - Afterwards: read `<source>/<Ecosystem>/modified_id.csv` (`<RFC 3339 time>,<ID>` lines,
 *   newest first) up to the newest time already imported and fetch only those records
 *   (`<source>/<Ecosystem>/<ID>.json`); when too many changed, fall back to the full export.
 *
 * All ecosystems of one run go into one new store file that replaces the old one only when
 * every ecosystem succeeded (`withStoreUpdate`), so an interrupted download, a corrupt zip or
 * a server error leaves the previous store intact, and the error says which URL failed.
 */
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BosunError } from '../../core/errors.ts';
import { osvProblem, type OsvRecord } from '../osv/record.ts';
import { importZip, type Progress, type SkippedRecord } from './import.ts';
import { defaultStorePath } from './paths.ts';
import { withStoreUpdate, type StoreWriter } from './swap.ts';

export const DEFAULT_SOURCE = 'https://storage.googleapis.com/osv-vulnerabilities';

/** The OS and language ecosystems bosun's inventory produces. */
export const DEFAULT_ECOSYSTEMS = ['Alpine', 'Debian', 'Ubuntu', 'Red Hat', 'npm', 'PyPI', 'Maven', 'Go', 'crates.io', 'RubyGems', 'NuGet', 'Packagist'];

export interface UpdateOptions {
  /** Export directory names (`npm`, `Debian`, `Red Hat`); default `DEFAULT_ECOSYSTEMS`. */
  ecosystems?: readonly string[];
  /** Base URL of the export (default the public OSV bucket). */
  source?: string;
  dbPath?: string;
  /** Always download the full exports. */
  full?: boolean;
  /** More changed records than this in modified_id.csv → full download instead. Default 5,000. */
  maxIncremental?: number;
  fetch?: typeof globalThis.fetch;
  onProgress?: Progress;
  now?: Date;
}

export interface EcosystemUpdate {
  ecosystem: string;
  mode: 'full' | 'incremental' | 'unchanged';
  records: number;
  skipped: number;
  problems: SkippedRecord[];
  bytes: number;
}

export async function updateStore(options: UpdateOptions = {}): Promise<EcosystemUpdate[]> {
  const dbPath = options.dbPath ?? defaultStorePath();
  const source = (options.source ?? DEFAULT_SOURCE).replace(/\/+$/, '');
  const ecosystems = options.ecosystems ?? DEFAULT_ECOSYSTEMS;
  const ctx = { dbPath, source, fetch: options.fetch ?? globalThis.fetch, onProgress: options.onProgress, maxIncremental: options.maxIncremental ?? 5000 };
  const now = (options.now ?? new Date()).toISOString();
  return withStoreUpdate(dbPath, options.full === true && replacesEverything(dbPath, ecosystems) ? 'fresh' : 'copy', async (w) => {
    const results: Result[] = [];
    for (const ecosystem of ecosystems) {
      const base = `${source}/${encodeURIComponent(ecosystem)}`;
      const since = options.full === true ? undefined : w.newestModified(ecosystem);
      let result = since === undefined ? undefined : await incremental(w, ctx, ecosystem, base, since);
      result ??= await full(w, ctx, ecosystem, base);
      results.push(result);
      w.setSource({ name: ecosystem, url: base, newestModified: result.newest ?? since, records: w.countSource(ecosystem), skipped: result.skipped, mode: result.mode, updatedAt: now });
      w.checkpoint();
    }
    return results.map(({ newest: _n, ...r }) => r);
  });
}

/**
 * Does a full update of `ecosystems` replace every source in the store? Then the new store is
 * built from empty (the bulk path: indexes built once at the end) instead of from a copy whose
 * records would be deleted and rewritten one by one.
 */
function replacesEverything(dbPath: string, ecosystems: readonly string[]): boolean {
  if (!existsSync(dbPath)) return true;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
    const names = db.prepare("SELECT name FROM sources WHERE updated_at <> ''").all() as Array<{ name: string }>;
    return names.every((r) => ecosystems.includes(r.name));
  } catch {
    // An unreadable store is refused, or an older one migrated, by the copy path, with its message.
    return false;
  } finally {
    db?.close();
  }
}

interface Ctx {
  dbPath: string;
  fetch: typeof globalThis.fetch;
  onProgress: Progress | undefined;
  maxIncremental: number;
}

type Result = EcosystemUpdate & { newest: string | undefined };

async function full(w: StoreWriter, ctx: Ctx, ecosystem: string, base: string): Promise<Result> {
  const file = `${ctx.dbPath}.download-${process.pid}-${encodeURIComponent(ecosystem)}.zip`;
  try {
    const bytes = await download(`${base}/all.zip`, file, ctx, ecosystem);
    w.dropSource(ecosystem);
    const stats = await importZip(w, file, ecosystem, ctx.onProgress);
    return { ecosystem, mode: 'full', records: stats.records, skipped: stats.skipped, problems: stats.problems, bytes, newest: stats.newestModified };
  } finally {
    rmSync(file, { force: true });
  }
}

/** Undefined when the change list is too long to be worth it (the caller goes full). */
async function incremental(w: StoreWriter, ctx: Ctx, ecosystem: string, base: string, since: string): Promise<Result | undefined> {
  const csvUrl = `${base}/modified_id.csv`;
  const csv = await fetchText(csvUrl, ctx);
  const changed: string[] = [];
  let newest: string | undefined;
  for (const line of csv.split('\n')) {
    const row = line.trim();
    if (row === '') continue;
    const comma = row.indexOf(',');
    const time = row.slice(0, comma);
    const id = row.slice(comma + 1).replace(/^.*\//, '');
    if (comma <= 0 || id === '' || Number.isNaN(Date.parse(time))) throw new BosunError('E_DB_DOWNLOAD', `${csvUrl}: unexpected line ${JSON.stringify(row.slice(0, 80))}`);
    newest ??= time;
    // Newest first: everything from here on was imported already.
    if (Date.parse(time) <= Date.parse(since)) break;
    changed.push(id);
    if (changed.length > ctx.maxIncremental) return undefined;
  }
  const result: Result = { ecosystem, mode: changed.length === 0 ? 'unchanged' : 'incremental', records: 0, skipped: 0, problems: [], bytes: csv.length, newest: newest ?? since };
  const texts = await fetchAll(changed.map((id) => `${base}/${encodeURIComponent(id)}.json`), ctx);
  for (const [i, text] of texts.entries()) {
    result.bytes += text.length;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const problem = value === undefined ? 'not JSON' : osvProblem(value);
    if (problem !== undefined) {
      result.skipped++;
      if (result.problems.length < 20) result.problems.push({ file: `${changed[i]}.json`, reason: problem });
      continue;
    }
    w.put(value as OsvRecord, text, ecosystem);
    result.records++;
  }
  ctx.onProgress?.({ phase: 'import', source: ecosystem, done: result.records, total: changed.length });
  return result;
}

async function get(url: string, ctx: Ctx): Promise<Response> {
  let res: Response;
  try {
    res = await ctx.fetch(url);
  } catch (err) {
    throw new BosunError('E_DB_DOWNLOAD', `${url}: ${describeFetchError(err)}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new BosunError('E_DB_DOWNLOAD', `${url}: HTTP ${res.status} ${res.statusText}`.trim());
  }
  return res;
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

async function fetchText(url: string, ctx: Ctx): Promise<string> {
  const res = await get(url, ctx);
  try {
    return await res.text();
  } catch (err) {
    throw new BosunError('E_DB_DOWNLOAD', `${url}: download interrupted (${describeFetchError(err)})`, { cause: err });
  }
}

/** Fetches texts with a few requests in flight, keeping the order of `urls`. */
async function fetchAll(urls: string[], ctx: Ctx, parallel = 8): Promise<string[]> {
  const out: string[] = new Array<string>(urls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const i = next++;
      out[i] = await fetchText(urls[i]!, ctx);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, urls.length) }, worker));
  return out;
}

/** Streams `url` to `file`; a body shorter than its Content-Length is a truncated download. */
async function download(url: string, file: string, ctx: Ctx, ecosystem: string): Promise<number> {
  const res = await get(url, ctx);
  const expected = Number(res.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(expected) ? expected : undefined;
  let bytes = 0;
  let lastReport = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (ctx.onProgress !== undefined && bytes - lastReport >= 1 << 20) {
        lastReport = bytes;
        ctx.onProgress({ phase: 'download', source: ecosystem, done: bytes, total });
      }
      done(null, chunk);
    },
  });
  if (res.body === null) throw new BosunError('E_DB_DOWNLOAD', `${url}: empty response`);
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), count, createWriteStream(file));
  } catch (err) {
    throw new BosunError('E_DB_DOWNLOAD', `${url}: download interrupted after ${bytes} bytes (${describeFetchError(err)})`, { cause: err });
  }
  if (total !== undefined && bytes !== total) throw new BosunError('E_DB_DOWNLOAD', `${url}: truncated download (${bytes} of ${total} bytes)`);
  ctx.onProgress?.({ phase: 'download', source: ecosystem, done: bytes, total });
  return bytes;
}
