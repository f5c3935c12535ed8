/** `bosun cache info|clean`: what the cache directory holds, and removing it. */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { CACHE_PARTS, cacheUsage, cleanCache, type CachePart } from '../cache/maintenance.ts';
import { cacheDir } from '../vuln/store/paths.ts';
import { formatAge, parseAge } from '../vuln/store/store.ts';

const HELP = `Usage:
  bosun cache info [--format table|json]
                          image blobs, layer analyses and the vulnerability store: files, size, oldest
  bosun cache clean [--blobs] [--layers] [--vuln] [--all] [--older-than AGE]
                          remove them (default: blobs and layers; the vulnerability store only with
                          --vuln or --all); with --older-than (e.g. 30d, 12h) only files written
                          longer ago than AGE

The cache is ${cacheDir()} (set BOSUN_CACHE_DIR to move it). Everything in it is fetched or
computed again when needed.
`;

export async function runCache(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      blobs: { type: 'boolean' },
      layers: { type: 'boolean' },
      vuln: { type: 'boolean' },
      all: { type: 'boolean' },
      'older-than': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help === true || sub === undefined) {
    process.stdout.write(HELP);
    return sub === undefined && values.help !== true ? EXIT.badInput : EXIT.passed;
  }
  if (rest.length > 0) throw new UsageError(`cache ${sub}: unexpected argument "${rest[0]}"`);
  const dir = cacheDir();
  if (sub === 'info') {
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}"`);
    const usage = await cacheUsage(dir);
    if (format === 'json') process.stdout.write(`${JSON.stringify({ cacheDir: dir, parts: usage }, null, 2)}\n`);
    else {
      const now = Date.now();
      const lines = usage.map((u) => `${u.part.padEnd(7)} ${String(u.files).padStart(7)} files ${formatBytes(u.bytes).padStart(10)}${u.oldest === undefined ? '' : `  oldest ${formatAge(now - u.oldest)}`}`);
      process.stdout.write(`${dir}\n${lines.join('\n')}\n`);
    }
    return EXIT.passed;
  }
  if (sub === 'clean') {
    const chosen = (CACHE_PARTS as readonly CachePart[]).filter((p) => values.all === true || values[p] === true);
    const parts: CachePart[] = chosen.length > 0 ? chosen : ['blobs', 'layers'];
    const age = values['older-than'];
    const olderThanMs = age === undefined ? undefined : parseAge(age, '--older-than');
    const removed = await cleanCache(dir, parts, olderThanMs === undefined ? {} : { olderThanMs });
    for (const r of removed) process.stdout.write(`${r.part}: removed ${r.files} files, ${formatBytes(r.bytes)}\n`);
    return EXIT.passed;
  }
  throw new UsageError(`unknown cache command "${sub}" (info, clean)`);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
