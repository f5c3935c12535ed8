/** Installed gems: `…/specifications/<name>-<version>.gemspec` (name and version from the file name, licences from `s.licenses`). */
import type { Analyzer } from '../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';
import { gemFromSpecPath } from './gemfile-lock.ts';

export const gemspecAnalyzer: Analyzer = {
  name: 'gemspec',
  version: 1,
  maxBytes: 1024 * 1024,
  wants: (path) => path.endsWith('.gemspec') && path.includes('/specifications/'),
  analyze(file) {
    const p = gemFromSpecPath(file.path);
    if (p === undefined) return undefined;
    const m = /\.licenses?\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/.exec(file.content.toString('utf8'));
    if (m !== null) p.licenses = [...m[1]!.matchAll(/["']([^"']+)["']/g)].map((x) => normalizeLicense(x[1]!));
    return { packages: [p] };
  },
};
