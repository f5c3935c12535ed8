/** Shared by the lockfile parsers: typed failures, de-duplication, package construction. */
import { BosunError } from '../../core/errors.ts';
import type { Ecosystem, Package } from '../types.ts';

/** What a lockfile parser may read besides its own file (includes, go.sum, parent POMs). */
export interface LockfileContext {
  path: string;
  /** Reads a file relative to the lockfile's directory; undefined if absent. */
  readRelative(rel: string): string | undefined;
}

export function lockfileError(path: string, reason: string, cause?: unknown): BosunError {
  return new BosunError('E_LOCKFILE', `${path}: could not extract: ${reason}`, cause === undefined ? undefined : { cause });
}

export function parseJsonFile(text: string, path: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw lockfileError(path, `not JSON (${(err as Error).message})`, err);
  }
  if (v === null) throw lockfileError(path, 'decoded null JSON value');
  return v;
}

export function pkg(name: string, version: string, ecosystem: Ecosystem, path: string, extra: Partial<Package> = {}): Package {
  return { name, version, ecosystem, purl: '', licenses: [], path, ...extra };
}

/** One package per (name, version), first occurrence wins. */
export function dedupe(pkgs: Package[]): Package[] {
  const seen = new Set<string>();
  return pkgs.filter((p) => {
    const k = `${p.name}\u0000${p.version}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
