/** One comparator per version scheme, and which scheme each OSV ecosystem uses. */
import { compareApk, isComparableApk, isValidApk } from './apk.ts';
import { compareCargo } from './cargo.ts';
import { compareDpkg } from './dpkg.ts';
import { compareGo } from './go.ts';
import { compareMaven } from './maven.ts';
import { compareNuget } from './nuget.ts';
import { comparePackagist } from './packagist.ts';
import { comparePep440 } from './pep440.ts';
import { compareRpm } from './rpm.ts';
import { compareRubygems } from './rubygems.ts';
import { compareSemver } from './semver.ts';
import { InvalidVersionError, type Cmp } from './types.ts';

export const VERSION_SCHEMES = ['dpkg', 'rpm', 'apk', 'semver', 'go', 'pep440', 'maven', 'rubygems', 'cargo', 'nuget', 'packagist'] as const;
export type VersionScheme = (typeof VERSION_SCHEMES)[number];

const COMPARATORS: Record<VersionScheme, (a: string, b: string) => Cmp> = {
  dpkg: compareDpkg,
  rpm: compareRpm,
  apk: (a, b) => {
    // apk compares what it can of an invalid version; bosun refuses, so a match built on it is flagged.
    if (!isComparableApk(a)) throw new InvalidVersionError('apk', a, 'not an apk version');
    if (!isComparableApk(b)) throw new InvalidVersionError('apk', b, 'not an apk version');
    return compareApk(a, b);
  },
  semver: compareSemver,
  go: compareGo,
  pep440: comparePep440,
  maven: compareMaven,
  rubygems: compareRubygems,
  cargo: compareCargo,
  nuget: compareNuget,
  packagist: comparePackagist,
};

export function isVersionScheme(value: string): value is VersionScheme {
  return (VERSION_SCHEMES as readonly string[]).includes(value);
}

/**
 * Orders two versions of one scheme: -1, 0 or 1. Throws `InvalidVersionError` (code
 * `E_VERSION`) when either version does not parse in that scheme.
 */
export function compareVersions(scheme: VersionScheme, a: string, b: string): Cmp {
  const compare = COMPARATORS[scheme];
  if (compare === undefined) throw new InvalidVersionError(String(scheme), a, 'unknown version scheme');
  return compare(a, b);
}

/** Raw apk ordering (compares invalid versions as far as they go, like apk-tools). */
export { compareApk, isValidApk };

const ECOSYSTEM_SCHEMES: Record<string, VersionScheme> = {
  Debian: 'dpkg',
  Ubuntu: 'dpkg',
  Echo: 'dpkg',
  Alpine: 'apk',
  Chainguard: 'apk',
  Wolfi: 'apk',
  MinimOS: 'apk',
  Alpaquita: 'apk',
  'BellSoft Hardened Containers': 'apk',
  'Red Hat': 'rpm',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  SUSE: 'rpm',
  openSUSE: 'rpm',
  'Photon OS': 'rpm',
  'Azure Linux': 'rpm',
  Mageia: 'rpm',
  openEuler: 'rpm',
  npm: 'semver',
  Bitnami: 'semver',
  Hex: 'semver',
  Pub: 'semver',
  SwiftURL: 'semver',
  Go: 'go',
  PyPI: 'pep440',
  Maven: 'maven',
  RubyGems: 'rubygems',
  'crates.io': 'cargo',
  NuGet: 'nuget',
  Packagist: 'packagist',
};

/** The base of an OSV ecosystem string: `Debian:12` → `Debian`, `Ubuntu:Pro:22.04:LTS` → `Ubuntu`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

/** The version scheme of an OSV ecosystem, or undefined when bosun has no comparator for it. */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  return ECOSYSTEM_SCHEMES[ecosystemBase(ecosystem)];
}

export { InvalidVersionError, type Cmp } from './types.ts';
