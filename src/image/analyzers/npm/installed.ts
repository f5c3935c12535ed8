/** Installed npm packages: `node_modules/<name>/package.json` and `node_modules/@scope/<name>/package.json`, at any depth. */
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';

const INSTALLED = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;

/** The `license` field, the legacy `licenses: [{type}]` array, or `{type}` object. */
export function npmLicenses(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '' && v !== 'UNLICENSED') out.push(normalizeLicense(v));
    else if (v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') out.push(normalizeLicense((v as { type: string }).type));
  };
  add(json['license']);
  if (Array.isArray(json['licenses'])) json['licenses'].forEach(add);
  return out.filter((l) => l !== '');
}

export function packageFromPackageJson(text: string, path: string): Package | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const j = json as Record<string, unknown>;
  if (typeof j['name'] !== 'string' || typeof j['version'] !== 'string' || j['name'] === '' || j['version'] === '') return undefined;
  const pkg: Package = { name: j['name'], version: j['version'], ecosystem: 'npm', purl: '', licenses: npmLicenses(j), path };
  const deps = j['dependencies'];
  if (deps !== null && typeof deps === 'object' && !Array.isArray(deps)) {
    const names = Object.keys(deps);
    if (names.length > 0) pkg.dependsOn = names;
  }
  return pkg;
}

export const npmInstalledAnalyzer: Analyzer = {
  name: 'npm-installed',
  version: 1,
  maxBytes: 4 * 1024 * 1024,
  wants: (path) => path.endsWith('/package.json') && INSTALLED.test(path),
  analyze(file) {
    const p = packageFromPackageJson(file.content.toString('utf8'), file.path);
    return p === undefined ? undefined : { packages: [p] };
  },
};
