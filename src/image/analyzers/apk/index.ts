/**
 * apk: `lib/apk/db/installed` (and `usr/lib/apk/db/installed`): blocks of `X:value` lines
 * separated by blank lines; P name, V version, A arch, L licence, o origin (source package),
 * D dependencies (apk-tools "Installed database" format).
 */
import { BosunError } from '../../../core/errors.ts';
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';

export function parseApkInstalled(text: string, path: string): Package[] {
  const pkgs: Package[] = [];
  let cur: Record<string, string> = {};
  const flush = () => {
    const name = cur['P'];
    const version = cur['V'];
    if (name !== undefined && version !== undefined) {
      const pkg: Package = { name, version, ecosystem: 'apk', purl: '', licenses: [], path };
      if (cur['A'] !== undefined) pkg.arch = cur['A'];
      pkg.source = { name: cur['o'] ?? name, version };
      if (cur['L'] !== undefined) pkg.licenses = [normalizeLicense(cur['L'])].filter((l) => l !== '');
      const deps = (cur['D'] ?? '').split(/\s+/).filter((d) => d !== '' && !d.startsWith('!')).map((d) => d.split(/[<>=~]/)[0]!);
      if (deps.length > 0) pkg.dependsOn = deps;
      pkgs.push(pkg);
    }
    cur = {};
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.length < 2 || line[1] !== ':') throw new BosunError('E_PACKAGE_DB', `apk database: malformed line "${line.slice(0, 60)}"`);
    const key = line[0]!;
    // Only the first value of a key counts (R:/Z: repeat per file).
    if (cur[key] === undefined) cur[key] = line.slice(2);
  }
  flush();
  return pkgs;
}

export const apkAnalyzer: Analyzer = {
  name: 'apk',
  version: 1,
  maxBytes: 64 * 1024 * 1024,
  wants: (path) => path === 'lib/apk/db/installed' || path === 'usr/lib/apk/db/installed',
  analyze: (file) => ({ packages: parseApkInstalled(file.content.toString('utf8'), file.path) }),
};
