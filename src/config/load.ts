/**
 * Finding and loading bosun.yaml. Every problem is a `BosunError('E_CONFIG')` whose message is
 * one line naming the file, the position or field path, and what is wrong:
 * `bosun.yaml: waivers[1].reason: required`, `bosun.yaml:3:5: bad indentation of a mapping entry`.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import type { z } from 'zod';
import { BosunError } from '../core/errors.ts';
import { configSchema, type ConfigInput } from './schema.ts';
import type { BosunConfig } from './types.ts';

export const CONFIG_FILE_NAMES = ['bosun.yaml', 'bosun.yml'];

/** A config is a few KiB; anything this large is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Walks up from `startDir` to the filesystem root; the first directory holding bosun.yaml (or
 * bosun.yml) wins. A directory containing `.git` is the repository root: it is checked, then the
 * walk stops, so a checkout never picks up a config from outside it.
 */
export async function findConfigFile(startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      if (await isFile(p)) return p;
    }
    const parent = dirname(dir);
    if (parent === dir || (await exists(join(dir, '.git')))) return undefined;
    dir = parent;
  }
}

/** Reads and validates a bosun.yaml; `source` is set to `path`. */
export async function loadConfigFile(path: string): Promise<BosunConfig> {
  const text = await readConfigText(path);
  return { ...parseConfig(text, path), source: path };
}

/** Validates bosun.yaml text; `name` is the file name used in error messages. */
export function parseConfig(text: string, name: string): BosunConfig {
  const data = parseYaml(text, name);
  if (data === null || data === undefined) return { waivers: [], checks: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw configError(name, `expected a mapping of settings at the top level, got ${describeValue(data)}`);
  }
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw configError(name, formatIssues(result.error.issues));
  return toConfig(result.data);
}

function toConfig(input: ConfigInput): BosunConfig {
  const config: BosunConfig = { waivers: input.waivers ?? [], checks: input.checks ?? {} };
  if (input.failOn !== undefined) config.failOn = input.failOn;
  if (input.pss !== undefined) config.pss = input.pss;
  if (input.defaultNamespace !== undefined) config.defaultNamespace = input.defaultNamespace;
  if (input.policies !== undefined) config.policies = input.policies;
  if (input.exclude !== undefined) config.exclude = input.exclude;
  if (input.vex !== undefined) config.vex = input.vex;
  return config;
}

async function readConfigText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw configError(path, 'not a regular file');
    if (info.size > MAX_CONFIG_BYTES) throw configError(path, `file is too large for a config (${info.size} bytes, limit ${MAX_CONFIG_BYTES})`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_CONFIG', `${path}: cannot read config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  if (bytes.includes(0)) throw configError(path, 'binary file, not YAML');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: not valid UTF-8 text`, { cause: err });
  }
}

/**
 * YAML 1.2 core schema: `expires: 2026-03-01` stays the string the user wrote (the default
 * schema would turn it into a Date and roll 2026-02-30 over to March). Duplicate keys are errors.
 */
function parseYaml(text: string, name: string): unknown {
  try {
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: name });
  } catch (err) {
    if (!(err instanceof jsyaml.YAMLException)) throw err;
    const mark = err.mark as { line: number; column: number } | undefined;
    if (mark === undefined) throw new BosunError('E_CONFIG', `${name}: ${err.reason}`, { cause: err });
    let reason = err.reason;
    if (reason === 'duplicated mapping key') reason = `duplicate key ${JSON.stringify(keyAt(text, mark.line, mark.column))}`;
    throw new BosunError('E_CONFIG', `${name}:${mark.line + 1}:${mark.column + 1}: ${reason}`, { cause: err });
  }
}

/** The mapping key written at a 0-based line/column (for naming a duplicate key). */
function keyAt(text: string, line: number, column: number): string {
  const rest = (text.split(/\r?\n/)[line] ?? '').slice(column);
  const key = rest.replace(/\s*:(\s.*)?$/, '').trim();
  return key.replace(/^(['"])(.*)\1$/, '$2');
}

function configError(name: string, problem: string): BosunError {
  return new BosunError('E_CONFIG', `${name}: ${problem}`);
}

// ── zod issues → one line ────────────────────────────────────────────────────────────────

type Issue = z.core.$ZodIssue;

/** The first problem, as `field.path: problem`, plus how many more there are. */
function formatIssues(issues: readonly Issue[]): string {
  const lines = issues.flatMap(describeIssue);
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''})` : '';
  return `${lines[0] ?? 'invalid config'}${more}`;
}

function describeIssue(issue: Issue): string[] {
  const at = (path: readonly PropertyKey[]): string => (path.length === 0 ? '' : `${formatFieldPath(path)}: `);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${at([...issue.path, k])}unknown key${suggestion(k, issue.path)}`);
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return [`${at(issue.path)}required`];
      return [`${at(issue.path)}expected ${issue.expected}, got ${describeValue(issue.input)}`];
    case 'invalid_value':
      return [`${at(issue.path)}must be one of ${issue.values.map(String).join(', ')} (got ${describeValue(issue.input)})`];
    case 'invalid_format':
    case 'custom':
      return [`${at(issue.path)}${issue.message} (got ${describeValue(issue.input)})`];
    case 'invalid_key':
      return [`${at(issue.path)}invalid key ${describeValue(issue.input)}`];
    default:
      return [`${at(issue.path)}${issue.message}`];
  }
}

/** `waivers[1].reason`, `checks.severity.K8S-PRIVILEGED`; odd keys are quoted: `settings["a.b"]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z0-9_/*-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema.shape),
  waivers: Object.keys(configSchema.shape.waivers.unwrap().element.shape),
  checks: Object.keys(configSchema.shape.checks.unwrap().shape),
};

/** ` (did you mean "failOn"?)` for a key one or two edits (or only case) away from a known one. */
function suggestion(key: string, parentPath: readonly PropertyKey[]): string {
  const parent = parentPath.filter((p) => typeof p === 'string').join('.');
  const known = KNOWN_KEYS[parent] ?? [];
  const best = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
