/**
 * Per-layer analysis cache: what the analyzers found in a layer, stored under the cache dir
 * (`layers/sha256/<key>.json`) so a later scan of an image sharing those layers does not read
 * their blobs again. The key is the layer's chain ID (OCI image-spec config.md: the diff IDs of
 * it and every layer below) plus the analyzer set, versions and settings, because a layer's
 * record is a replay log (walker.ts `LayerEvent`) that is exact only on top of the same lower
 * layers. A record is written only after the layer's content matched its diff ID; writes are
 * atomic (temporary file, rename) and an unreadable record is a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../core/finding.ts';
import type { Analyzer } from './analyzers/types.ts';
import { cacheDir as userCacheDir } from '../vuln/store/paths.ts';
import type { LayerEvent, LayerStats } from './walker.ts';

/**
 * Bump when the walker's replay format or its meaning changes, or when layers are read
 * differently (2: tar headers read as Go's archive/tar reads them).
 */
const FORMAT = 2;

export interface LayerRecord {
  format: number;
  stats: LayerStats;
  events: LayerEvent[];
  /** Warnings with the image-specific `<ref>: layer N (…)` prefix taken off (`where` marks it). */
  warnings: InputError[];
}

const WHERE = '\u0000where\u0000';

/** OCI ChainID: ChainID(L0) = DiffID(L0); ChainID(L0|…|Ln) = sha256(ChainID(…Ln-1) + " " + DiffID(Ln)). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? d : `sha256:${createHash('sha256').update(`${prev} ${d}`).digest('hex')}`);
  }
  return out;
}

/** Names, versions and settings of an analyzer set, in a stable order. */
export function analyzerSetKey(analyzers: readonly Analyzer[]): string {
  return analyzers.map((a) => `${a.name}@${a.version}${a.configKey === undefined ? '' : `#${a.configKey}`}/${a.maxBytes}`).sort().join(',');
}

export class LayerCache {
  readonly dir: string;
  /** Records read and written by this instance (tests, --verbose). */
  hits = 0;
  writes = 0;

  constructor(cacheDir: string = userCacheDir()) {
    this.dir = join(cacheDir, 'layers', 'sha256');
  }

  key(chainId: string, analyzerKey: string): string {
    return createHash('sha256').update(`v${FORMAT}\n${chainId}\n${analyzerKey}`).digest('hex');
  }

  async get(key: string, where: string): Promise<LayerRecord | undefined> {
    let rec: LayerRecord;
    try {
      rec = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as LayerRecord;
    } catch {
      return undefined;
    }
    if (rec === null || typeof rec !== 'object' || rec.format !== FORMAT || !Array.isArray(rec.events) || !Array.isArray(rec.warnings)) return undefined;
    this.hits++;
    const relabel = (s: string) => s.split(WHERE).join(where);
    return { ...rec, warnings: rec.warnings.map((w) => ({ ...w, message: relabel(w.message), file: relabel(w.file) })) };
  }

  async put(key: string, record: Omit<LayerRecord, 'format'>, where: string): Promise<void> {
    const unlabel = (s: string) => s.split(where).join(WHERE);
    const data: LayerRecord = { format: FORMAT, stats: record.stats, events: record.events, warnings: record.warnings.map((w) => ({ ...w, message: unlabel(w.message), file: unlabel(w.file) })) };
    const final = join(this.dir, `${key}.json`);
    const tmp = join(this.dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, JSON.stringify(data), { mode: 0o644 });
      await rename(tmp, final);
      this.writes++;
    } catch {
      // A cache that cannot be written only costs the next scan time.
      await rm(tmp, { force: true }).catch(() => {});
    }
  }
}
