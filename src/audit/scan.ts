/**
 * `bosun audit scan`: audit events from a log file or stdin through the rules, streaming.
 *
 * Input is what the API server's log backend writes (JSON lines, one Event each), or a JSON
 * document (an EventList, an array) spread over several lines, recognised when the first line
 * is only `{` or `[`. Memory stays bounded: lines are split from the stream as they arrive, a
 * line longer than `maxLineBytes` is skipped without being buffered, and only the first
 * `maxErrors` problems are kept (all are counted). A bad line never stops the scan.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { BosunError } from '../core/errors.ts';
import type { InputError } from '../core/finding.ts';
import { DEFAULT_RULES_NAME, DEFAULT_RULES_YAML } from './default-rules.ts';
import { createEngine, type AuditEngine, type EngineOptions, type MatchedAlert } from './engine.ts';
import { decodeDocument, type AuditEvent, type DecodeError, type DecodeOptions } from './event.ts';
import { loadRules, type LoadRulesOptions, type Ruleset } from './loader.ts';
import type { RulesSource } from './rules-file.ts';
import { readFile } from 'node:fs/promises';

export interface AuditScanOptions extends EngineOptions, DecodeOptions {
  /** Longest line read (bytes); longer lines are counted as errors and skipped. Default 16 MiB. */
  maxLineBytes?: number;
  /** Largest multi-line JSON document (bytes). Default 256 MiB. */
  maxDocumentBytes?: number;
  /** Problems kept in the result (all are counted). Default 100. */
  maxErrors?: number;
  /** Called for every alert, in order. */
  onAlert?: (alert: MatchedAlert) => void;
  /** Called after each input chunk; a returned promise is awaited (output backpressure). */
  afterChunk?: () => Promise<void> | undefined;
}

export interface AuditScanStats {
  /** Name of the input in messages (path or `-`). */
  input: string;
  lines: number;
  events: number;
  alerts: number;
  alertsByRule: Record<string, number>;
  /** Problems by code (E_AUDIT_JSON, E_AUDIT_NOT_EVENT …), all of them. */
  errorCounts: Record<string, number>;
  /** The first `maxErrors` problems, with line numbers. */
  errors: InputError[];
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** The rules files (or bosun's defaults) as loaded sources. */
export async function readRulesSources(paths: readonly string[]): Promise<RulesSource[]> {
  if (paths.length === 0) return [{ name: DEFAULT_RULES_NAME, text: DEFAULT_RULES_YAML }];
  const out: RulesSource[] = [];
  for (const p of paths) {
    try {
      const info = await stat(p);
      if (!info.isFile()) throw new BosunError('E_AUDIT_RULES', `${p}: not a regular file`);
      if (info.size > 64 * 1024 * 1024) throw new BosunError('E_AUDIT_RULES', `${p}: rules file too large (${info.size} bytes)`);
      out.push({ name: p, text: await readFile(p, 'utf8') });
    } catch (err) {
      if (err instanceof BosunError) throw err;
      throw new BosunError('E_AUDIT_RULES', `${p}: cannot read rules file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  }
  return out;
}

export async function loadRulesFiles(paths: readonly string[], options: LoadRulesOptions = {}): Promise<Ruleset> {
  return loadRules(await readRulesSources(paths), options);
}

/** Scans one input stream with an engine; resolves when the stream ends. */
export async function scanAuditStream(stream: AsyncIterable<Buffer | string>, input: string, engine: AuditEngine, options: AuditScanOptions = {}): Promise<AuditScanStats> {
  const maxLine = options.maxLineBytes ?? 16 * 1024 * 1024;
  const maxDoc = options.maxDocumentBytes ?? 256 * 1024 * 1024;
  const maxErrors = options.maxErrors ?? 100;
  const stats: AuditScanStats = { input, lines: 0, events: 0, alerts: 0, alertsByRule: {}, errorCounts: {}, errors: [] };
  const decodeOptions: DecodeOptions = {};
  if (options.maxEventSize !== undefined) decodeOptions.maxEventSize = options.maxEventSize;
  if (options.maxDepth !== undefined) decodeOptions.maxDepth = options.maxDepth;

  const error = (code: string, line: number, message: string): void => {
    stats.errorCounts[code] = (stats.errorCounts[code] ?? 0) + 1;
    if (stats.errors.length < maxErrors) stats.errors.push({ code, file: input, line, message: `${input}:${line}: ${message}` });
  };
  // One pair of callbacks for every line (no closures per line): the line number is shared state.
  let currentLine = 0;
  const onEvent = (obj: Record<string, unknown>, raw: string, timeNs: bigint): void => {
    const ev: AuditEvent = { obj, raw, timeNs, num: ++stats.events, line: currentLine };
    let alerts: MatchedAlert[];
    try {
      alerts = engine.process(ev);
    } catch (err) {
      error('E_AUDIT_EVAL', currentLine, `event could not be evaluated: ${(err as Error).message}`);
      return;
    }
    for (const a of alerts) {
      stats.alerts++;
      stats.alertsByRule[a.rule] = (stats.alertsByRule[a.rule] ?? 0) + 1;
      options.onAlert?.(a);
    }
  };
  const onDecodeError = (e: DecodeError): void => error(e.code, currentLine, e.message);
  const handle = (text: string, line: number): void => {
    currentLine = line;
    decodeDocument(text, onEvent, onDecodeError, decodeOptions);
  };

  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let pendingBytes = 0;
  let skipping = false;
  let lineNo = 0;
  let mode: 'detect' | 'lines' | 'document' = 'detect';
  let doc: string[] = [];
  let docBytes = 0;
  let docStart = 0;
  let docTooLarge = false;

  const onLine = (line: string): void => {
    lineNo++;
    stats.lines++;
    if (mode === 'document') {
      if (docTooLarge) return;
      docBytes += line.length + 1;
      if (docBytes > maxDoc) {
        docTooLarge = true;
        doc = [];
        error('E_AUDIT_TOO_LARGE', docStart, `JSON document larger than ${maxDoc} bytes`);
        return;
      }
      doc.push(line);
      return;
    }
    let first = 0;
    while (first < line.length && isBlank(line.charCodeAt(first))) first++;
    if (first === line.length) return;
    if (mode === 'detect') {
      const t = line.trim();
      if (t === '{' || t === '[') {
        mode = 'document';
        docStart = lineNo;
        doc.push(line);
        docBytes = line.length + 1;
        return;
      }
      mode = 'lines';
    }
    handle(line, lineNo);
  };

  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        const rest = text.slice(start);
        if (skipping) break;
        pending += rest;
        pendingBytes += rest.length;
        if (pendingBytes > maxLine) {
          skipping = true;
          pending = '';
          pendingBytes = 0;
        }
        break;
      }
      if (skipping) {
        skipping = false;
        lineNo++;
        stats.lines++;
        error('E_AUDIT_LINE_TOO_LONG', lineNo, `line longer than ${maxLine} bytes skipped`);
        start = nl + 1;
        continue;
      }
      let line = pending + text.slice(start, nl);
      pending = '';
      pendingBytes = 0;
      if (line.length > maxLine) {
        lineNo++;
        stats.lines++;
        error('E_AUDIT_LINE_TOO_LONG', lineNo, `line longer than ${maxLine} bytes skipped`);
        start = nl + 1;
        continue;
      }
      if (line.endsWith('\r')) line = line.slice(0, -1);
      onLine(line);
      start = nl + 1;
    }
    const wait = options.afterChunk?.();
    if (wait !== undefined) await wait;
  }
  const tail = pending + decoder.decode();
  if (skipping) {
    lineNo++;
    stats.lines++;
    error('E_AUDIT_LINE_TOO_LONG', lineNo, `line longer than ${maxLine} bytes skipped`);
  } else if (tail !== '') onLine(tail);
  if ((mode as string) === 'document' && !docTooLarge) handle(doc.join('\n'), docStart);
  return stats;
}

/** Scans a file path (gzip-compressed when it ends in .gz, as rotated logs often are), or `-` for stdin. */
export async function scanAuditFile(path: string, engine: AuditEngine, options: AuditScanOptions = {}): Promise<AuditScanStats> {
  if (path === '-') return scanAuditStream(process.stdin, '-', engine, options);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BosunError('E_INPUT', `${path}: not a regular file`);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_INPUT', `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!path.endsWith('.gz')) return scanAuditStream(file, path, engine, options);
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  try {
    return await scanAuditStream(file.pipe(gunzip), path, engine, options);
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot decompress: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Inputs as given, with directories replaced by their regular files, oldest first (modification
 * time, then name), as the k8saudit plugin reads a directory: rotated logs replay in order.
 */
export async function expandAuditInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    const info = await stat(p).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      out.push(p);
      continue;
    }
    const entries = await readdir(p, { withFileTypes: true });
    const files = await Promise.all(entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map(async (e) => ({ path: join(p, e.name), mtime: (await stat(join(p, e.name))).mtimeMs })));
    files.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
    out.push(...files.map((f) => f.path));
  }
  return out;
}

/** Library entry point: load rules, scan inputs, return every alert with the stats. */
export async function scanAuditLogs(inputs: readonly string[], options: AuditScanOptions & { rules?: readonly string[] } & LoadRulesOptions = {}): Promise<{ ruleset: Ruleset; stats: AuditScanStats[]; alerts: MatchedAlert[] }> {
  const ruleset = await loadRulesFiles(options.rules ?? [], options.minPriority === undefined ? {} : { minPriority: options.minPriority });
  const engine = createEngine(ruleset, options);
  const alerts: MatchedAlert[] = [];
  const stats: AuditScanStats[] = [];
  for (const input of await expandAuditInputs(inputs)) {
    stats.push(
      await scanAuditFile(input, engine, {
        ...options,
        onAlert: (a) => {
          alerts.push(a);
          options.onAlert?.(a);
        },
      }),
    );
  }
  return { ruleset, stats, alerts };
}
