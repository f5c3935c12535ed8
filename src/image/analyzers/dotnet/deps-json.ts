/** .NET `*.deps.json`: `libraries` keyed `Name/Version` (projects and packages). */
import type { Package } from '../../types.ts';
import { dedupe, isObject, lockfileError, parseJsonFile, pkg, type LockfileContext } from '../lockfile-util.ts';

export function parseDepsJson(body: string, ctx: LockfileContext): Package[] {
  const json = parseJsonFile(body, ctx.path);
  if (!isObject(json) || !isObject(json['libraries'])) throw lockfileError(ctx.path, 'no "libraries" in deps.json');
  const out: Package[] = [];
  for (const key of Object.keys(json['libraries'])) {
    const slash = key.lastIndexOf('/');
    if (slash <= 0) continue;
    out.push(pkg(key.slice(0, slash), key.slice(slash + 1), 'nuget', ctx.path));
  }
  return dedupe(out);
}
