/**
 * Python lockfiles: poetry.lock, uv.lock, pdm.lock (TOML `[[package]]` name/version; uv's
 * project itself, `source = { virtual|editable = "." }`, skipped), Pipfile.lock (`default` and
 * `develop`, `==` pins), requirements.txt (pip's format: `==`, `===`, `>=`, `~=` give the bound,
 * anything else no version; `-r` includes followed once; URLs, paths and options skipped).
 */
import { parse as parseToml } from 'smol-toml';
import type { Package } from '../../types.ts';
import { dedupe, isObject, lockfileError, parseJsonFile, pkg, type LockfileContext } from '../lockfile-util.ts';

function tomlPackages(text: string, ctx: LockfileContext): Record<string, unknown>[] {
  if (text.trim() === '') return [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw lockfileError(ctx.path, `not TOML (${(err as Error).message.split('\n')[0]})`, err);
  }
  const list = doc['package'];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function depNames(v: unknown): string[] | undefined {
  if (Array.isArray(v)) {
    const names = v.map((d) => (isObject(d) ? d['name'] : typeof d === 'string' ? d.split(/[\s<>=!~;[]/)[0] : undefined)).filter((n): n is string => typeof n === 'string' && n !== '');
    return names.length > 0 ? names : undefined;
  }
  if (isObject(v)) return Object.keys(v).length > 0 ? Object.keys(v) : undefined;
  return undefined;
}

export function parsePoetryLock(text: string, ctx: LockfileContext): Package[] {
  return dedupe(
    tomlPackages(text, ctx)
      .filter((p) => typeof p['name'] === 'string' && typeof p['version'] === 'string')
      .map((p) => pkg(p['name'] as string, p['version'] as string, 'pypi', ctx.path, depNames(p['dependencies']) ? { dependsOn: depNames(p['dependencies'])! } : {})),
  );
}

export function parseUvLock(text: string, ctx: LockfileContext): Package[] {
  return dedupe(
    tomlPackages(text, ctx)
      .filter((p) => typeof p['name'] === 'string' && typeof p['version'] === 'string')
      .filter((p) => !(isObject(p['source']) && (p['source']['virtual'] === '.' || p['source']['editable'] === '.')))
      .map((p) => pkg(p['name'] as string, p['version'] as string, 'pypi', ctx.path, depNames(p['dependencies']) ? { dependsOn: depNames(p['dependencies'])! } : {})),
  );
}

export const parsePdmLock = parsePoetryLock;

export function parsePipfileLock(text: string, ctx: LockfileContext): Package[] {
  if (text.trim() === '') return [];
  const json = parseJsonFile(text, ctx.path);
  if (!isObject(json)) throw lockfileError(ctx.path, 'not a Pipfile.lock object');
  const out: Package[] = [];
  for (const group of ['default', 'develop']) {
    const deps = json[group];
    if (!isObject(deps)) continue;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry) || typeof entry['version'] !== 'string') continue;
      out.push(pkg(name, entry['version'].replace(/^===?/, ''), 'pypi', ctx.path));
    }
  }
  return dedupe(out);
}

/** One requirement line → [name, version] (version '' when not pinned to a single lower bound). */
export function parseRequirementLine(line: string): [string, string] | undefined {
  let l = line.replace(/(^|\s)#.*$/, '').trim();
  if (l === '' || l.startsWith('-') || /^(https?|file|git\+\w+):/.test(l) || l.startsWith('.') || l.startsWith('/')) return undefined;
  if (l.includes('${')) return undefined;
  l = l.split(';')[0]!.replace(/\s--?\w[\w-]*(=\S*)?(\s+\S+)?/g, '').trim();
  if (/\s@\s/.test(l) || l.includes('://')) return undefined;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(l);
  if (m === null) return undefined;
  const spec = m[3]!.trim();
  if (spec === '') return [m[1]!, ''];
  const parts = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length !== 1) return [m[1]!, ''];
  const c = /^(===|==|>=|~=)\s*([^\s*]+)$/.exec(parts[0]!);
  return [m[1]!, c === null ? '' : c[2]!];
}

export function parseRequirements(text: string, ctx: LockfileContext, seen: Set<string> = new Set([ctx.path])): Package[] {
  const out: Package[] = [];
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    const inc = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (inc !== null) {
      const rel = inc[1]!;
      if (seen.has(rel)) continue;
      seen.add(rel);
      const body = ctx.readRelative(rel);
      if (body !== undefined) out.push(...parseRequirements(body, { ...ctx, readRelative: ctx.readRelative }, seen));
      continue;
    }
    const r = parseRequirementLine(line);
    if (r !== undefined) out.push(pkg(r[0], r[1], 'pypi', ctx.path));
  }
  return dedupe(out);
}
