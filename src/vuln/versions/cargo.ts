/** crates.io versions: Cargo requires SemVer 2.0, so precedence is SemVer's. */
import type { Cmp } from './types.ts';
import { compareParsedSemver, parseSemver } from './semver.ts';

export function compareCargo(a: string, b: string): Cmp {
  return compareParsedSemver(parseSemver(a, 'cargo'), parseSemver(b, 'cargo'));
}
