/** composer.lock (`packages` + `packages-dev`) and an installed `vendor/composer/installed.json` (v1 array or v2 `{packages}`). */
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';
import { dedupe, isObject, lockfileError, parseJsonFile, pkg, type LockfileContext } from '../lockfile-util.ts';

function fromEntries(list: unknown, ctx: LockfileContext): Package[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).filter((p) => typeof p['name'] === 'string' && typeof p['version'] === 'string').map((p) => {
    const lic = Array.isArray(p['license']) ? p['license'].filter((l): l is string => typeof l === 'string').map(normalizeLicense) : [];
    const req = isObject(p['require']) ? Object.keys(p['require']).filter((r) => r !== 'php' && !r.startsWith('ext-')) : [];
    return pkg(p['name'] as string, (p['version'] as string).replace(/^v(?=\d)/, ''), 'composer', ctx.path, { licenses: lic, ...(req.length > 0 && { dependsOn: req }) });
  });
}

export function parseComposerLock(body: string, ctx: LockfileContext): Package[] {
  const json = parseJsonFile(body, ctx.path);
  if (!isObject(json)) throw lockfileError(ctx.path, 'not a composer.lock object');
  return dedupe([...fromEntries(json['packages'], ctx), ...fromEntries(json['packages-dev'], ctx)]);
}

export function parseComposerInstalled(body: string, ctx: LockfileContext): Package[] {
  const json = parseJsonFile(body, ctx.path);
  return dedupe(fromEntries(Array.isArray(json) ? json : isObject(json) ? json['packages'] : [], ctx));
}
