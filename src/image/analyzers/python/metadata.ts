/**
 * Installed Python distributions: `*.dist-info/METADATA` (wheels), `*.egg-info/PKG-INFO`,
 * `EGG-INFO/PKG-INFO` and a bare `*.egg-info` file (core metadata, packaging.python.org
 * "Core metadata specifications": RFC 822 headers, keys case-insensitive, first value wins).
 */
import { BosunError } from '../../../core/errors.ts';
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';

export function parsePythonMetadata(text: string, path: string): Package {
  const headers = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(key) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(key, list);
  }
  const name = headers.get('name')?.[0];
  const version = headers.get('version')?.[0];
  if (name === undefined || name === '' || version === undefined || version === '') throw new BosunError('E_PACKAGE_DB', `${path}: Python metadata without Name and Version`);
  const pkg: Package = { name, version, ecosystem: 'pypi', purl: '', licenses: [], path };
  const expr = headers.get('license-expression')?.[0];
  const lic = headers.get('license')?.[0];
  const classifiers = (headers.get('classifier') ?? []).filter((c) => c.startsWith('License ::')).map((c) => c.split('::').at(-1)!.trim());
  if (expr !== undefined && expr !== '') pkg.licenses = [normalizeLicense(expr)];
  else if (lic !== undefined && lic !== '' && lic !== 'UNKNOWN' && !lic.includes('\n') && lic.length < 80) pkg.licenses = [normalizeLicense(lic)];
  else if (classifiers.length > 0) pkg.licenses = classifiers.map((c) => normalizeLicense(c.replace(/ License$/, '')));
  const deps = (headers.get('requires-dist') ?? []).filter((d) => !d.includes('extra ==')).map((d) => d.split(/[\s;(<>=!~[]/)[0]!).filter((d) => d !== '');
  if (deps.length > 0) pkg.dependsOn = deps;
  return pkg;
}

export function isPythonMetadataPath(path: string): boolean {
  return /\.dist-info\/METADATA$/.test(path) || /\.egg-info\/PKG-INFO$/.test(path) || /(?:^|\/)EGG-INFO\/PKG-INFO$/.test(path) || /\.egg-info$/.test(path);
}

export const pythonInstalledAnalyzer: Analyzer = {
  name: 'python-installed',
  version: 1,
  maxBytes: 4 * 1024 * 1024,
  wants: (path) => isPythonMetadataPath(path),
  analyze(file) {
    try {
      return { packages: [parsePythonMetadata(file.content.toString('utf8'), file.path)] };
    } catch {
      return undefined;
    }
  },
};
