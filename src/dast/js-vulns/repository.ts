/**
 * Retire.js repositories (`jsrepository.json`): how to recognise a JavaScript library and its
 * version from a URL, a file name, a file's content or its SHA-1, and which versions are
 * vulnerable. The format is Retire.js's; bosun reads the extractors `uri`, `filename`,
 * `filecontent`, `filecontentreplace` and `hashes` (not `func` and `ast`, which need a JavaScript
 * engine on the page). Vulnerable: `atOrAbove` ≤ version < `below`, compared as Retire.js
 * compares versions (numeric parts as numbers, a pre-release before its release).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { BosunError } from '../../core/errors.ts';
import type { Severity } from '../../core/finding.ts';

export interface JsVulnerability {
  below: string;
  atOrAbove?: string;
  severity?: string;
  identifiers?: { summary?: string; CVE?: string[]; [k: string]: unknown };
  info?: string[];
  [k: string]: unknown;
}

export interface JsLibrary {
  vulnerabilities?: JsVulnerability[];
  extractors?: {
    uri?: string[];
    filename?: string[];
    filecontent?: string[];
    filecontentreplace?: string[];
    hashes?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export type JsRepository = Record<string, JsLibrary>;

/** A library version recognised in a response, and what is known against it. */
export interface JsDetection {
  library: string;
  version: string;
  /** What matched: the URL, or the excerpt of the file. */
  evidence: string;
  vulnerabilities: JsVulnerability[];
}

interface CompiledLibrary {
  name: string;
  uri: RegExp[];
  filename: RegExp[];
  filecontent: RegExp[];
  replace: Array<[RegExp, string]>;
  hashes: Map<string, string>;
  vulnerabilities: JsVulnerability[];
}

export interface CompiledRepository {
  libraries: CompiledLibrary[];
  /** When the data was last updated (built-in date, or the file's modification time). */
  updated: Date;
  source: string;
}

/** Retire.js's version pattern, substituted for `§§version§§`. */
const VERSION = '[0-9][0-9.a-z_\\-]+';

export function compileRepository(repo: unknown, source: string, updated: Date): CompiledRepository {
  if (typeof repo !== 'object' || repo === null || Array.isArray(repo)) throw new BosunError('E_CONFIG', `${source}: not a Retire.js repository (expected a JSON object of libraries)`);
  const libraries: CompiledLibrary[] = [];
  for (const [name, lib] of Object.entries(repo as Record<string, unknown>)) {
    if (name === 'retire-example') continue; // Retire.js's own sample entry
    const where = `${source}: ${name}`;
    if (typeof lib !== 'object' || lib === null) throw new BosunError('E_CONFIG', `${where}: expected an object with extractors and vulnerabilities`);
    const l = lib as JsLibrary;
    if (l.extractors !== undefined && (typeof l.extractors !== 'object' || l.extractors === null || Array.isArray(l.extractors))) throw new BosunError('E_CONFIG', `${where}: extractors must be an object`);
    const ex = l.extractors ?? {};
    const vulns = l.vulnerabilities ?? [];
    if (!Array.isArray(vulns)) throw new BosunError('E_CONFIG', `${where}: vulnerabilities must be a list`);
    for (const v of vulns) if (typeof v?.below !== 'string') throw new BosunError('E_CONFIG', `${where}: every vulnerability needs "below" (the first fixed version)`);
    const patterns = (kind: string, list: unknown): RegExp[] => {
      if (list === undefined) return [];
      if (!Array.isArray(list)) throw new BosunError('E_CONFIG', `${where}: extractors.${kind} must be a list of patterns`);
      return list.map((p) => {
        if (typeof p !== 'string') throw new BosunError('E_CONFIG', `${where}: extractors.${kind} must be a list of pattern strings`);
        return regex(p, `${where}: extractors.${kind}`);
      });
    };
    const replacements: unknown = ex.filecontentreplace ?? [];
    if (!Array.isArray(replacements)) throw new BosunError('E_CONFIG', `${where}: extractors.filecontentreplace must be a list of /regex/replacement/ strings`);
    const hashes: unknown = ex.hashes ?? {};
    if (typeof hashes !== 'object' || hashes === null || Array.isArray(hashes) || !Object.values(hashes).every((v) => typeof v === 'string')) throw new BosunError('E_CONFIG', `${where}: extractors.hashes must map hashes to version strings`);
    const replace = replacements.map((r): [RegExp, string] => {
      // `/regex/replacement/`, the regex may itself contain slashes.
      const m = /^\/(.*)\/([^/]*)\/$/s.exec(String(r));
      if (m === null) throw new BosunError('E_CONFIG', `${where}: extractors.filecontentreplace "${r}" is not /regex/replacement/`);
      return [regex(m[1]!, `${where}: extractors.filecontentreplace`), m[2]!];
    });
    libraries.push({
      name,
      uri: patterns('uri', ex.uri),
      filename: patterns('filename', ex.filename),
      filecontent: patterns('filecontent', ex.filecontent),
      replace,
      hashes: new Map(Object.entries(hashes as Record<string, string>)),
      vulnerabilities: vulns,
    });
  }
  return { libraries, updated, source };
}

function regex(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern.replaceAll('§§version§§', VERSION));
  } catch (err) {
    throw new BosunError('E_CONFIG', `${where}: invalid pattern "${pattern}": ${(err as Error).message}`);
  }
}

const loaded = new Map<string, CompiledRepository>();

/** A Retire.js repository file, compiled once per version of the file; its age is its modification time. */
export function loadRepositoryFile(path: string): CompiledRepository {
  let mtime: Date;
  try {
    mtime = statSync(path).mtime;
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read the JS vulnerability repository: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const key = `${mtime.getTime()} ${path}`;
  const cached = loaded.get(key);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read the JS vulnerability repository: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: not JSON: ${(err as Error).message}`);
  }
  const repo = compileRepository(json, path, mtime);
  if (loaded.size >= 16) loaded.clear();
  loaded.set(key, repo);
  return repo;
}

/** Libraries recognised in a script: by URL and file name first, then by content and hash. */
export function detectLibraries(repo: CompiledRepository, url: URL, body: string | undefined): JsDetection[] {
  const out: JsDetection[] = [];
  const seen = new Set<string>();
  const add = (lib: CompiledLibrary, found: string, evidence: string): void => {
    // The version pattern also takes a `.min`/`-min` suffix of a file name (Retire.js strips it too).
    const version = found.replace(/[.-]min$/, '');
    const key = `${lib.name}@${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ library: lib.name, version, evidence, vulnerabilities: lib.vulnerabilities.filter((v) => isVulnerable(version, v)) });
  };
  const path = url.pathname;
  const file = path.slice(path.lastIndexOf('/') + 1);
  let sha1: string | undefined;
  for (const lib of repo.libraries) {
    for (const re of lib.uri) {
      const m = re.exec(path);
      if (m?.[1] !== undefined) add(lib, m[1], url.href);
    }
    for (const re of lib.filename) {
      const m = re.exec(file);
      if (m?.[1] !== undefined) add(lib, m[1], file);
    }
    if (body === undefined || body === '') continue;
    for (const re of lib.filecontent) {
      const m = re.exec(body);
      if (m?.[1] !== undefined) add(lib, m[1], m[0].slice(0, 200));
    }
    for (const [re, replacement] of lib.replace) {
      const m = re.exec(body);
      if (m !== null) add(lib, m[0].replace(re, replacement), m[0].slice(0, 200));
    }
    if (lib.hashes.size > 0) {
      sha1 ??= createHash('sha1').update(body).digest('hex');
      const version = lib.hashes.get(sha1);
      if (version !== undefined) add(lib, version, `SHA-1 ${sha1}`);
    }
  }
  return out;
}

export function isVulnerable(version: string, v: JsVulnerability): boolean {
  if (compareVersions(version, v.below) >= 0) return false;
  return v.atOrAbove === undefined || compareVersions(version, v.atOrAbove) >= 0;
}

/**
 * Retire.js's ordering: parts split at `.` and `-`; a part's leading number compares as a number,
 * then its suffix (`0b1` < `0`: a pre-release comes before its release); when one version runs
 * out of parts, a remaining numeric part makes the other greater, a pre-release part smaller.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return /^\d/.test(y!) ? -1 : 1;
    if (y === undefined) return /^\d/.test(x) ? 1 : -1;
    const [, xn = '', xs = ''] = /^(\d*)(.*)$/.exec(x)!;
    const [, yn = '', ys = ''] = /^(\d*)(.*)$/.exec(y)!;
    if (xn !== yn) {
      if (xn === '') return -1;
      if (yn === '') return 1;
      const d = Number(xn) - Number(yn);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    if (xs !== ys) {
      if (xs === '') return 1;
      if (ys === '') return -1;
      return xs < ys ? -1 : 1;
    }
  }
  return 0;
}

/** ZAP's risk for Retire.js severities (no severity: Medium; ZAP has no Critical). */
export function riskOf(severity: string | undefined): Severity {
  switch (severity?.toLowerCase()) {
    case 'low':
      return 'low';
    case 'high':
    case 'critical':
      return 'high';
    default:
      return 'medium';
  }
}
