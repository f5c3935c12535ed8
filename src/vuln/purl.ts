/**
 * Package URLs (purl-spec) as SBOMs and VEX documents carry them, and their mapping to the OSV
 * ecosystem and name that matching looks up: `pkg:deb/debian/openssl@3.0.11-1?distro=debian-12`
 * → `Debian:12` / `openssl`; `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1` →
 * `Maven` / `org.apache.logging.log4j:log4j-core`.
 */
import type { PackageRef } from './match.ts';

export interface Purl {
  type: string;
  namespace: string | undefined;
  name: string;
  version: string | undefined;
  qualifiers: Record<string, string>;
  subpath: string | undefined;
}

export function parsePurl(text: string): Purl | undefined {
  const m = /^pkg:([a-zA-Z.+-][a-zA-Z0-9.+-]*)\/+([^?#]+?)(?:@([^?#]*))?(?:\?([^#]*))?(?:#(.*))?$/.exec(text.trim());
  if (m === null) return undefined;
  try {
    const segments = m[2]!.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const name = segments.pop();
    if (name === undefined || name === '') return undefined;
    const qualifiers: Record<string, string> = {};
    for (const pair of (m[4] ?? '').split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      qualifiers[pair.slice(0, eq).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1));
    }
    return {
      type: m[1]!.toLowerCase(),
      namespace: segments.length === 0 ? undefined : segments.join('/'),
      name,
      version: m[3] === undefined ? undefined : decodeURIComponent(m[3]),
      qualifiers,
      subpath: m[5],
    };
  } catch {
    return undefined;
  }
}

const DEBIAN_CODENAMES: Record<string, string> = { wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14' };

/** `debian-12`, `debian-12.4`, `bookworm` → `Debian:12`. */
function debianEcosystem(distro: string | undefined): string {
  if (distro === undefined) return 'Debian';
  const d = distro.toLowerCase().replace(/^debian-?/, '');
  const major = DEBIAN_CODENAMES[d] ?? /^(\d+)/.exec(d)?.[1];
  return major === undefined ? 'Debian' : `Debian:${major}`;
}

/** `ubuntu-22.04` → `Ubuntu:22.04:LTS` (even years' April releases are LTS). */
function ubuntuEcosystem(distro: string | undefined): string {
  const m = /(\d\d)\.(\d\d)/.exec(distro ?? '');
  if (m === null) return 'Ubuntu';
  const lts = Number(m[1]) % 2 === 0 && m[2] === '04';
  return `Ubuntu:${m[1]}.${m[2]}${lts ? ':LTS' : ''}`;
}

/** `alpine-3.18.4` → `Alpine:v3.18`. */
function alpineEcosystem(distro: string | undefined): string {
  const m = /(\d+)\.(\d+)/.exec(distro ?? '');
  return m === null ? 'Alpine' : `Alpine:v${m[1]}.${m[2]}`;
}

/**
 * Red Hat's OSV records are scoped by product CPE (`Red Hat:enterprise_linux:9::appstream`,
 * `Red Hat:rhel_eus:9.2::baseos`), one ecosystem per product stream and repository, which an
 * installed package does not name. Its matching input says only that Red Hat data applies and
 * for which release: `Red Hat:9.4`; matching expands that to the store's ecosystems of the
 * release's main stream and of its minor release's extended-support streams
 * (`redHatEcosystems` in match.ts).
 *
 * Red Hat data applies to Red Hat Enterprise Linux (and UBI, which says `rhel`) and to CentOS
 * Linux up to 8, rebuilt from RHEL sources with the same versions (Trivy matches both against
 * Red Hat's data). It does not apply to CentOS Stream (ahead of RHEL), nor to AlmaLinux, Rocky
 * Linux or Oracle Linux, which publish their own advisories.
 */
export const RED_HAT = 'Red Hat';

/** `9.4` → `Red Hat:9.4`; undefined without a numeric release. */
function redHatRelease(version: string | undefined): string | undefined {
  const m = /^(\d+)(\.\d+)?/.exec(version ?? '');
  return m === null ? undefined : `${RED_HAT}:${m[1]}${m[2] ?? ''}`;
}

/**
 * CentOS Linux 6–8 (`centos-7.9.2009`, `centos-8.5.2111`). A bare `centos-8` is also what
 * CentOS Stream 8 says, so only a caller that knows the distribution's name (`os-release`
 * NAME/PRETTY_NAME) can tell; without one, `centos-8` is not matched with Red Hat data.
 */
function centosRelease(version: string | undefined, name: string | undefined): string | undefined {
  if (name !== undefined && /stream/i.test(name)) return undefined;
  const m = /^(\d+)(\.\d+)?/.exec(version ?? '');
  if (m === null) return undefined;
  const major = Number(m[1]);
  if (major < 6 || major > 8) return undefined;
  if (major === 8 && m[2] === undefined && name === undefined) return undefined;
  return redHatRelease(version);
}

function rpmEcosystem(namespace: string | undefined, distro: string | undefined, name?: string): string | undefined {
  const version = distro?.replace(/^[a-z-]*?-?(?=\d)/i, '');
  const major = /(\d+)/.exec(distro ?? '')?.[1];
  const withRelease = (eco: string): string => (major === undefined ? eco : `${eco}:${major}`);
  switch (namespace?.toLowerCase()) {
    case 'almalinux':
      return withRelease('AlmaLinux');
    case 'rocky':
    case 'rocky-linux':
      return withRelease('Rocky Linux');
    case 'mariner':
    case 'azurelinux':
      return withRelease('Azure Linux');
    case 'redhat':
    case 'rhel':
      return redHatRelease(version);
    case 'centos':
      return centosRelease(version, name);
    default:
      return undefined;
  }
}

/**
 * The OSV ecosystem of an installed distribution, from os-release `ID` and `VERSION_ID`
 * (`debian`/`12` → `Debian:12`, `alpine`/`3.18.4` → `Alpine:v3.18`, `ubuntu`/`22.04` →
 * `Ubuntu:22.04:LTS`, `almalinux`/`9.3` → `AlmaLinux:9`, `rhel`/`9.4` → `Red Hat:9.4`), or
 * undefined when OSV has no data for it. `name` (os-release NAME or PRETTY_NAME) tells CentOS
 * Stream from CentOS Linux.
 */
export function distroEcosystem(id: string, versionId: string, name?: string): string | undefined {
  switch (id.toLowerCase()) {
    case 'debian':
      return debianEcosystem(versionId === '' ? undefined : versionId);
    case 'ubuntu':
      return ubuntuEcosystem(versionId);
    case 'alpine':
      return alpineEcosystem(versionId);
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'almalinux':
    case 'rocky':
      return rpmEcosystem(id, versionId);
    case 'rhel':
      return redHatRelease(versionId);
    case 'centos':
      return centosRelease(versionId, name);
    default:
      return undefined;
  }
}

/** The source package a purl names: `upstream=openssl` or `upstream=openssl@3.0.11-1`. */
function upstream(q: Record<string, string>): { name?: string; version?: string } {
  const u = q['upstream'];
  if (u === undefined || u === '') return {};
  const at = u.indexOf('@');
  return at === -1 ? { name: u } : { name: u.slice(0, at), version: u.slice(at + 1) };
}

/**
 * The matching input for a purl with a version, or undefined when its ecosystem has no OSV
 * mapping. `distroName` (os-release NAME) is what tells CentOS Stream from CentOS Linux.
 */
export function packageFromPurl(text: string, distroName?: string): PackageRef | undefined {
  const p = parsePurl(text);
  if (p === undefined || p.version === undefined || p.version === '') return undefined;
  const ns = p.namespace;
  const version = p.qualifiers['epoch'] !== undefined && !p.version.includes(':') ? `${p.qualifiers['epoch']}:${p.version}` : p.version;
  const base = { version, purl: text };
  switch (p.type) {
    case 'npm':
      return { ...base, ecosystem: 'npm', name: ns === undefined ? p.name : `${ns}/${p.name}` };
    case 'pypi':
      return { ...base, ecosystem: 'PyPI', name: p.name };
    case 'maven':
      return ns === undefined ? undefined : { ...base, ecosystem: 'Maven', name: `${ns}:${p.name}` };
    case 'golang':
      return { ...base, ecosystem: 'Go', name: ns === undefined ? p.name : `${ns}/${p.name}` };
    case 'cargo':
      return { ...base, ecosystem: 'crates.io', name: p.name };
    case 'gem':
      return { ...base, ecosystem: 'RubyGems', name: p.name };
    case 'nuget':
      return { ...base, ecosystem: 'NuGet', name: p.name };
    case 'composer':
      return { ...base, ecosystem: 'Packagist', name: ns === undefined ? p.name : `${ns}/${p.name}` };
    case 'deb':
    case 'apk': {
      const distro = p.qualifiers['distro'];
      const n = ns?.toLowerCase();
      const ecosystem = p.type === 'apk' ? (n === 'alpine' ? alpineEcosystem(distro) : n === 'wolfi' ? 'Wolfi' : n === 'chainguard' ? 'Chainguard' : undefined) : n === 'ubuntu' ? ubuntuEcosystem(distro) : n === 'debian' ? debianEcosystem(distro) : undefined;
      if (ecosystem === undefined) return undefined;
      const src = upstream(p.qualifiers);
      return { ...base, ecosystem, name: p.name, ...(src.name !== undefined && { sourceName: src.name }), ...(src.version !== undefined && { sourceVersion: src.version }) };
    }
    case 'rpm': {
      const ecosystem = rpmEcosystem(ns, p.qualifiers['distro'], distroName);
      if (ecosystem === undefined) return undefined;
      const src = upstream(p.qualifiers);
      return { ...base, ecosystem, name: p.name, ...(src.name !== undefined && { sourceName: src.name }), ...(src.version !== undefined && { sourceVersion: src.version }) };
    }
    default:
      return undefined;
  }
}

/** Do two purls name the same package (type, namespace, name; version when `pattern` has one)? Qualifiers are ignored. */
export function purlMatches(pattern: string, actual: string): boolean {
  const a = parsePurl(pattern);
  const b = parsePurl(actual);
  if (a === undefined || b === undefined) return false;
  const ci = (s: string | undefined): string => (s ?? '').toLowerCase();
  if (a.type !== b.type || ci(a.namespace) !== ci(b.namespace)) return false;
  if ((a.type === 'pypi' ? a.name.toLowerCase().replace(/[-_.]+/g, '-') : a.name) !== (b.type === 'pypi' ? b.name.toLowerCase().replace(/[-_.]+/g, '-') : b.name)) return false;
  return a.version === undefined || a.version === b.version;
}

/**
 * The matching input for an inventory package (any object with a purl, and optionally the
 * source package, the path it was read from and its layer), or undefined when its ecosystem
 * has no OSV mapping. This is how `bosun image scan` / `fs scan` packages reach matching; `os`
 * is the scanned system's os-release (its name tells CentOS Stream from CentOS Linux).
 */
export function packageRefFor(p: { purl?: string | undefined; source?: { name: string; version: string } | undefined; path?: string | undefined; layer?: string | undefined }, os?: { name?: string | undefined }): PackageRef | undefined {
  if (p.purl === undefined) return undefined;
  const ref = packageFromPurl(p.purl, os?.name);
  if (ref === undefined) return undefined;
  if (p.source !== undefined) {
    ref.sourceName = p.source.name;
    ref.sourceVersion = p.source.version;
  }
  if (p.path !== undefined && p.path !== '') ref.location = p.path;
  if (p.layer !== undefined) ref.layer = p.layer;
  return ref;
}
