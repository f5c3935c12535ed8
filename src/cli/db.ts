/** `bosun db update|import|status`: the local vulnerability store. */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { importOsv, type ImportStats, type Progress } from '../vuln/store/import.ts';
import { defaultStorePath } from '../vuln/store/paths.ts';
import { checkFreshness, formatAge, openStore, parseAge, type StoreStatus } from '../vuln/store/store.ts';
import { DEFAULT_ECOSYSTEMS, DEFAULT_SOURCE, updateStore } from '../vuln/store/update.ts';

const HELP = `Usage:
  bosun db update [--ecosystem E]... [--source URL] [--full]
                                    download OSV exports (<source>/<E>/all.zip), then only what
                                    changed (modified_id.csv); the store is swapped in atomically
  bosun db import PATH              import a directory of OSV JSON files or an OSV zip export
  bosun db status [--format table|json] [--max-db-age AGE]
                                    ecosystems, record counts and age (exit 1 when older than AGE)

Flags:
      --db FILE          the store (default ${defaultStorePath()}; or set BOSUN_CACHE_DIR)
      --ecosystem E      OSV ecosystem directory, repeatable (default: ${DEFAULT_ECOSYSTEMS.join(', ')})
      --source URL       base URL of the OSV export (default ${DEFAULT_SOURCE})
      --full             download the full exports even when an incremental update is possible
`;

export async function runDb(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      ecosystem: { type: 'string', multiple: true },
      source: { type: 'string' },
      full: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      'max-db-age': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help === true || sub === undefined) {
    process.stdout.write(HELP);
    return sub === undefined && values.help !== true ? EXIT.badInput : EXIT.passed;
  }
  const dbPath = values.db ?? defaultStorePath();
  const progress = terminalProgress();
  switch (sub) {
    case 'update': {
      if (rest.length > 0) throw new UsageError(`db update: unexpected argument "${rest[0]}"`);
      const results = await updateStore({ dbPath, ...(values.ecosystem !== undefined && { ecosystems: values.ecosystem }), ...(values.source !== undefined && { source: values.source }), ...(values.full === true && { full: true }), ...(progress !== undefined && { onProgress: progress }) });
      clearProgress(progress);
      for (const r of results) {
        process.stdout.write(`${r.ecosystem}: ${r.mode}, ${r.records} record${r.records === 1 ? '' : 's'} imported${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}\n`);
        for (const p of r.problems) process.stderr.write(`bosun: skipped ${r.ecosystem}/${p.file}: ${p.reason}\n`);
      }
      process.stdout.write(`store: ${dbPath}\n`);
      return EXIT.passed;
    }
    case 'import': {
      if (rest.length !== 1) throw new UsageError('db import: give exactly one PATH (a directory of OSV JSON files or a zip)');
      const stats = await importOsv(rest[0]!, { dbPath, ...(progress !== undefined && { onProgress: progress }) });
      clearProgress(progress);
      writeImport(stats);
      process.stdout.write(`store: ${dbPath}\n`);
      return EXIT.passed;
    }
    case 'status': {
      const maxAge = values['max-db-age'] === undefined ? undefined : parseAge(values['max-db-age']);
      const format = values.format ?? 'table';
      if (format !== 'table' && format !== 'json') throw new UsageError(`--format: db status prints table or json, not "${format}"`);
      const store = openStore(dbPath);
      let status: StoreStatus;
      try {
        status = store.status();
      } finally {
        store.close();
      }
      process.stdout.write(format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
      if (maxAge === undefined) return EXIT.passed;
      const fresh = checkFreshness(status, maxAge);
      if (!fresh.ok) process.stderr.write(`bosun: ${fresh.message}\n`);
      return fresh.ok ? EXIT.passed : EXIT.gateFailed;
    }
    default:
      throw new UsageError(`db: unknown subcommand "${sub}" (update, import or status)`);
  }
}

function writeImport(stats: ImportStats): void {
  process.stdout.write(`imported ${stats.records} record${stats.records === 1 ? '' : 's'}${stats.skipped > 0 ? `, skipped ${stats.skipped}` : ''}\n`);
  for (const p of stats.problems) process.stderr.write(`bosun: skipped ${p.file}: ${p.reason}\n`);
  if (stats.skipped > stats.problems.length) process.stderr.write(`bosun: … and ${stats.skipped - stats.problems.length} more skipped\n`);
}

export function renderStatus(s: StoreStatus, now: Date = new Date()): string {
  const lines = [`store: ${s.path} (schema ${s.schemaVersion}, ${(s.bytes / 1048576).toFixed(1)} MiB)`, `records: ${s.records} (${s.withdrawn} withdrawn)`];
  if (s.sources.length === 0) lines.push('sources: none (run "bosun db update")');
  for (const src of s.sources) {
    lines.push(`  ${src.name.padEnd(16)} ${String(src.records).padStart(8)} records  updated ${formatAge(now.getTime() - Date.parse(src.updatedAt))} ago (${src.updatedAt}, ${src.mode ?? 'full'})${src.skipped > 0 ? `  ${src.skipped} skipped` : ''}`);
  }
  lines.push('ecosystems:');
  for (const e of s.ecosystems) lines.push(`  ${e.ecosystem.padEnd(40)} ${String(e.records).padStart(8)}`);
  return `${lines.join('\n')}\n`;
}

/** A one-line progress display on a terminal; nothing in CI or when piped. */
function terminalProgress(): Progress | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  return (e) => {
    const amount = e.phase === 'download' ? `${(e.done / 1048576).toFixed(1)}${e.total === undefined ? '' : `/${(e.total / 1048576).toFixed(1)}`} MiB` : `${e.done}${e.total === undefined ? '' : `/${e.total}`} records`;
    process.stderr.write(`\r\x1b[K${e.source}: ${e.phase === 'download' ? 'downloading' : 'importing'} ${amount}`);
  };
}

function clearProgress(progress: Progress | undefined): void {
  if (progress !== undefined) process.stderr.write('\r\x1b[K');
}
