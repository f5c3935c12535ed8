/**
 * npm ecosystem lockfiles: package-lock.json / npm-shrinkwrap.json v1 (nested `dependencies`)
 * and v2/v3 (`packages` keyed by install path), yarn.lock v1 (its own format) and berry (YAML
 * with `resolution`), pnpm-lock.yaml v5–v9 (keys `/name/1.0.0`, `/name@1.0.0`, `name@1.0.0`,
 * peer suffixes `(peer@x)` / `_peer@x`), and a project package.json (itself plus its declared
 * dependency names; ranges are not resolved, as no registry is asked).
 */
import jsyaml from 'js-yaml';
import type { Package } from '../../types.ts';
import { dedupe, isObject, lockfileError, parseJsonFile, pkg, type LockfileContext } from '../lockfile-util.ts';
import { npmLicenses } from './installed.ts';

/** `npm:real-name@1.2.3` aliases resolve to the real package. */
function unalias(name: string, version: string): [string, string] {
  if (version.startsWith('npm:')) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf('@');
    if (at > 0) return [spec.slice(0, at), spec.slice(at + 1)];
  }
  return [name, version];
}

/** Versions that are URLs, git refs or paths have no registry version. */
function registryVersion(version: string): string {
  return /^(git|git\+|github:|gitlab:|bitbucket:|https?:|file:|link:|\.|\/)/.test(version) ? '' : version;
}

export function parsePackageLock(text: string, ctx: LockfileContext): Package[] {
  const json = parseJsonFile(text, ctx.path);
  if (!isObject(json)) throw lockfileError(ctx.path, 'not a package-lock object');
  const out: Package[] = [];
  if (isObject(json['packages'])) {
    for (const [path, entry] of Object.entries(json['packages'])) {
      if (path === '' || !isObject(entry) || entry['link'] === true) continue;
      const i = path.lastIndexOf('node_modules/');
      const fromPath = i === -1 ? path.slice(path.lastIndexOf('/') + 1) : path.slice(i + 'node_modules/'.length);
      const rawName = typeof entry['name'] === 'string' ? entry['name'] : fromPath;
      const [name, version] = unalias(rawName, typeof entry['version'] === 'string' ? entry['version'] : '');
      const p = pkg(name, registryVersion(version), 'npm', ctx.path, { licenses: npmLicenses(entry) });
      if (isObject(entry['dependencies'])) p.dependsOn = Object.keys(entry['dependencies']);
      out.push(p);
    }
    return dedupe(out);
  }
  const walk = (deps: unknown) => {
    if (!isObject(deps)) return;
    for (const [rawName, entry] of Object.entries(deps)) {
      if (!isObject(entry)) continue;
      const [name, version] = unalias(rawName, typeof entry['version'] === 'string' ? entry['version'] : '');
      const p = pkg(name, registryVersion(version), 'npm', ctx.path);
      if (isObject(entry['requires'])) p.dependsOn = Object.keys(entry['requires']);
      out.push(p);
      walk(entry['dependencies']);
    }
  };
  walk(json['dependencies']);
  return dedupe(out);
}

/** yarn v1: `"a@^1", a@^1.1:` headers, indented `version "1.2.3"`; `alias@npm:real@^1` names the real package. */
function parseYarnV1(text: string, ctx: LockfileContext): Package[] {
  const out: Package[] = [];
  let name: string | undefined;
  let version: string | undefined;
  const flush = () => {
    if (name !== undefined) out.push(pkg(name, version ?? '', 'npm', ctx.path));
    name = undefined;
    version = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      flush();
      name = yarnSpecName(line.replace(/:\s*$/, '').split(/,\s*/)[0]!.replace(/^"|"$/g, ''));
      continue;
    }
    const m = /^\s+"?version"?:?\s+"?([^"]*)"?\s*$/.exec(line);
    if (m !== null) version = m[1]!;
  }
  flush();
  return out;
}

/** `name@range` (scoped names start with `@`); an `npm:real@range` range names the real package. */
function yarnSpecName(spec: string): string {
  const at = spec.indexOf('@', 1);
  if (at === -1) return spec;
  const range = spec.slice(at + 1);
  if (range.startsWith('npm:')) {
    // `npm:1.2.3` is a plain registry version (berry resolutions); `npm:real@1.2.3` an alias.
    const real = range.slice(4);
    const rat = real.indexOf('@', 1);
    if (rat !== -1) return real.slice(0, rat);
  }
  return spec.slice(0, at);
}

function parseYarnBerry(doc: Record<string, unknown>, ctx: LockfileContext): Package[] {
  const out: Package[] = [];
  for (const [key, entry] of Object.entries(doc)) {
    if (key === '__metadata' || !isObject(entry)) continue;
    const resolution = typeof entry['resolution'] === 'string' ? entry['resolution'] : key.split(/,\s*/)[0]!;
    // The workspace root is the project itself, not a dependency.
    if (/@workspace:\.$/.test(resolution)) continue;
    out.push(pkg(yarnSpecName(resolution), entry['version'] === undefined ? '' : String(entry['version']), 'npm', ctx.path));
  }
  return out;
}

export function parseYarnLock(text: string, ctx: LockfileContext): Package[] {
  if (/^__metadata:/m.test(text)) {
    let doc: unknown;
    try {
      doc = jsyaml.load(text);
    } catch (err) {
      throw lockfileError(ctx.path, `not YAML (${(err as Error).message})`, err);
    }
    if (!isObject(doc)) return [];
    return dedupe(parseYarnBerry(doc, ctx));
  }
  return dedupe(parseYarnV1(text, ctx));
}

/** `/@scope/name/1.0.0_peer@1` (v5), `/name@1.0.0(peer@1)` (v6), `name@1.0.0` (v9) → [name, version]. */
export function parsePnpmKey(key: string): [string, string] | undefined {
  const k = key.replace(/\(.*$/, '').replace(/^\//, '');
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/([0-9][^/]*)$/.exec(k);
  if (v5 !== null) return [v5[1]!, v5[2]!.replace(/_.*$/, '')];
  const at = k.indexOf('@', 1);
  if (at === -1) return undefined;
  const name = k.slice(0, at);
  const version = k.slice(at + 1).replace(/_.*$/, '');
  if (name === '' || !/^[0-9]/.test(version)) return undefined;
  return [name, version];
}

export function parsePnpmLock(text: string, ctx: LockfileContext): Package[] {
  let doc: unknown;
  try {
    doc = jsyaml.load(text);
  } catch (err) {
    throw lockfileError(ctx.path, `not YAML (${(err as Error).message})`, err);
  }
  if (doc === undefined || doc === null) return [];
  if (!isObject(doc)) throw lockfileError(ctx.path, 'not a pnpm lockfile');
  const packages = doc['packages'];
  if (!isObject(packages)) return [];
  const out: Package[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    const e = isObject(entry) ? entry : {};
    const parsed = parsePnpmKey(key);
    const local = /^(file|link):/.test(key);
    let name = typeof e['name'] === 'string' ? e['name'] : parsed?.[0] ?? (local ? undefined : key.replace(/^\//, '').split('@')[0]);
    let version = e['version'] !== undefined ? String(e['version']) : parsed?.[1];
    if (name === undefined) continue; // a local package without a name: nothing to report
    if (version === undefined) {
      if (parsed === undefined && typeof e['name'] !== 'string' && !/@/.test(key.slice(1))) throw lockfileError(ctx.path, `invalid package path "${key}"`);
      version = '';
    }
    if (name === '') throw lockfileError(ctx.path, `invalid package path "${key}"`);
    name = name.trim();
    const p = pkg(name, version, 'npm', ctx.path);
    if (isObject(e['dependencies'])) p.dependsOn = Object.keys(e['dependencies']);
    out.push(p);
  }
  return dedupe(out);
}

/** The lowest version a range admits (`^1.2.3` → 1.2.3, `>2.0.0` → 2.0.1, `5.x` → 5.0.0); undefined if none. */
export function minimumVersion(range: string): string | undefined {
  const first = range.split('||')[0]!.trim();
  let best: number[] | undefined;
  for (const tok of first.split(/\s+/)) {
    const m = /^(>=|>|=|\^|~|v)?\s*(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?$/.exec(tok);
    if (m === null) {
      if (/^<=?/.test(tok)) continue;
      return undefined;
    }
    const parts = [m[2], m[3], m[4]].map((x) => (x === undefined || /[xX*]/.test(x) ? 0 : Number(x)));
    if (m[1] === '>') parts[2]! += 1;
    if (best === undefined || cmp(parts, best) > 0) best = parts;
  }
  return best?.join('.');
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function parsePackageJson(text: string, ctx: LockfileContext): Package[] {
  const json = parseJsonFile(text, ctx.path);
  if (!isObject(json)) throw lockfileError(ctx.path, 'not a package.json object');
  const name = json['name'];
  const version = json['version'];
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') return [];
  // VS Code extensions and Unity packages share the file name but are not npm packages.
  if ((isObject(json['engines']) && 'vscode' in json['engines']) || 'contributes' in json || 'unity' in json) return [];
  const self = pkg(name, version, 'npm', ctx.path, { licenses: npmLicenses(json) });
  const deps = json['dependencies'];
  if (isObject(deps) && Object.keys(deps).length > 0) self.dependsOn = Object.keys(deps);
  return [self];
}
