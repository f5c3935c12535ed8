/** Package URLs (purl-spec): every package gets one; vulnerability matching and SBOMs key on it. */
import type { OsInfo, Package } from './types.ts';

function enc(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2B/gi, '%2B');
}

/** `namespace/name` split for ecosystems whose names carry a namespace. */
function nameParts(pkg: Package): { namespace?: string; name: string } {
  switch (pkg.ecosystem) {
    case 'npm':
      if (pkg.name.startsWith('@') && pkg.name.includes('/')) {
        const i = pkg.name.indexOf('/');
        return { namespace: pkg.name.slice(0, i), name: pkg.name.slice(i + 1) };
      }
      return { name: pkg.name };
    case 'golang':
    case 'composer': {
      const i = pkg.name.lastIndexOf('/');
      return i === -1 ? { name: pkg.name } : { namespace: pkg.name.slice(0, i), name: pkg.name.slice(i + 1) };
    }
    case 'maven': {
      const i = pkg.name.indexOf(':');
      return i === -1 ? { name: pkg.name } : { namespace: pkg.name.slice(0, i), name: pkg.name.slice(i + 1) };
    }
    case 'pypi':
      return { name: pkg.name.toLowerCase().replace(/[-_.]+/g, '-') };
    default:
      return { name: pkg.name };
  }
}

/** OS package namespace: the distribution (`debian`, `ubuntu`, `alpine`, `redhat`, …). */
function osNamespace(pkg: Package, os: OsInfo | undefined): string {
  if (os !== undefined && os.family !== '') return os.family;
  return pkg.ecosystem === 'deb' ? 'debian' : pkg.ecosystem === 'apk' ? 'alpine' : 'redhat';
}

export function purlFor(pkg: Package, os?: OsInfo): string {
  const { namespace, name } = nameParts(pkg);
  const isOs = pkg.ecosystem === 'deb' || pkg.ecosystem === 'apk' || pkg.ecosystem === 'rpm';
  const ns = isOs ? osNamespace(pkg, os) : namespace;
  const nsPart = ns === undefined ? '' : `${ns.split('/').map(enc).join('/')}/`;
  const q: [string, string][] = [];
  if (pkg.arch !== undefined && pkg.arch !== '') q.push(['arch', pkg.arch]);
  if (isOs && os !== undefined && os.version !== '') q.push(['distro', `${os.family}-${os.version}`]);
  if (pkg.epoch !== undefined && pkg.epoch !== 0) q.push(['epoch', String(pkg.epoch)]);
  if (isOs && pkg.source !== undefined && pkg.source.name !== pkg.name) q.push(['upstream', pkg.source.name]);
  q.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const qs = q.length === 0 ? '' : `?${q.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
  const version = pkg.version === '' ? '' : `@${enc(pkg.version)}`;
  return `pkg:${pkg.ecosystem}/${nsPart}${enc(name)}${version}${qs}`;
}
