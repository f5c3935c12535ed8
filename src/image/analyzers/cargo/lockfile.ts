/** Cargo.lock: TOML `[[package]]` with name and version (local crates included). */
import { parse as parseToml } from 'smol-toml';
import type { Package } from '../../types.ts';
import { dedupe, isObject, lockfileError, pkg, type LockfileContext } from '../lockfile-util.ts';

export function parseCargoLock(text: string, ctx: LockfileContext): Package[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw lockfileError(ctx.path, `not TOML (${(err as Error).message.split('\n')[0]})`, err);
  }
  const list = Array.isArray(doc['package']) ? doc['package'].filter(isObject) : [];
  return dedupe(
    list
      .filter((p) => typeof p['name'] === 'string' && typeof p['version'] === 'string')
      .map((p) => {
        const deps = Array.isArray(p['dependencies']) ? p['dependencies'].filter((d): d is string => typeof d === 'string').map((d) => d.split(' ')[0]!) : [];
        return pkg(p['name'] as string, p['version'] as string, 'cargo', ctx.path, deps.length > 0 ? { dependsOn: deps } : {});
      }),
  );
}
