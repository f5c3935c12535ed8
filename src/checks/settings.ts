/**
 * bosun.yaml `checks.settings` is one namespace shared by every check (two checks may read the
 * same name, e.g. `excludedNamespaces`). A name no check declares is a typo that would silently
 * change nothing, so it is a configuration error naming the closest known setting.
 */
import { BosunError } from '../core/errors.ts';
import type { Check } from './types.ts';

/** Setting name → IDs of the checks that declare it. */
export function declaredSettings(checks: readonly Check[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of checks) {
    for (const name of Object.keys(c.settings ?? {})) {
      let ids = out.get(name);
      if (ids === undefined) out.set(name, (ids = []));
      ids.push(c.id);
    }
  }
  return out;
}

export function validateCheckSettings(settings: Record<string, unknown> | undefined, checks: readonly Check[], source = 'bosun.yaml'): void {
  if (settings === undefined) return;
  const declared = declaredSettings(checks);
  for (const name of Object.keys(settings)) {
    if (declared.has(name)) continue;
    const near = closest(name, [...declared.keys()]);
    throw new BosunError('E_CONFIG', `${source}: checks.settings.${name}: no check reads this setting${near === undefined ? '' : ` (did you mean ${near}?)`}`);
  }
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
