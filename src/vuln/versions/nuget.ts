/**
 * NuGet versions: up to four numeric parts (`Major.Minor.Patch.Revision`, missing parts 0, so
 * `1.0 == 1.0.0.0`), then a SemVer 2.0 pre-release compared case-insensitively; build metadata
 * ignored.
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric } from './types.ts';
import { comparePrerelease } from './semver.ts';

const PATTERN = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?\s*$/;

function parse(text: string): { parts: string[]; pre: string[] } {
  const m = PATTERN.exec(text);
  if (m === null) throw new InvalidVersionError('nuget', text, 'not a NuGet version');
  return { parts: [m[1]!, m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'], pre: m[5] === undefined ? [] : m[5].split('.') };
}

export function compareNuget(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 4; i++) {
    const c = compareNumeric(x.parts[i]!, y.parts[i]!);
    if (c !== 0) return c;
  }
  return comparePrerelease(x.pre, y.pre, true);
}
