/**
 * Go module versions: SemVer with a `v` prefix (optional here: OSV's Go records omit it),
 * `+incompatible` ignored, pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) ordered as
 * the pre-releases they are. The `stdlib` and `toolchain` packages carry Go release names
 * (`go1.21`, `go1.21.3`, `go1.22rc1`), read as 1.21.0, 1.21.3, 1.22.0-rc.1.
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError } from './types.ts';
import { compareParsedSemver, parseSemver, type SemVer } from './semver.ts';

const GO_RELEASE = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$/;

export function parseGo(text: string): SemVer {
  const t = text.trim();
  const release = GO_RELEASE.exec(t.startsWith('v') ? t.slice(1) : t);
  if (release !== null && (t.startsWith('go') || release[2] === undefined || release[3] === undefined || release[4] !== undefined)) {
    const pre = release[4] === undefined ? [] : [release[4], release[5]!];
    return { core: [release[1]!, release[2] ?? '0', release[3] ?? '0'], pre };
  }
  try {
    return parseSemver(t.startsWith('v') ? t : `v${t}`, 'go');
  } catch {
    throw new InvalidVersionError('go', text, 'not a Go module or release version');
  }
}

export function compareGo(a: string, b: string): Cmp {
  return compareParsedSemver(parseGo(a), parseGo(b));
}
