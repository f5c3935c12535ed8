/**
 * OS detection from release files. `os-release` (freedesktop.org os-release(5): ID, VERSION_ID,
 * VERSION_CODENAME, PRETTY_NAME) wins; the distribution-specific files are fallbacks for images
 * that lack it (old Debian, distroless variants, old RHEL).
 */
import type { Analyzer, AnalyzedFile, AnalysisResult } from '../types.ts';
import type { OsInfo } from '../../types.ts';

const FILES: Record<string, number> = {
  'etc/os-release': 0,
  'usr/lib/os-release': 1,
  'etc/alpine-release': 2,
  'etc/redhat-release': 3,
  'etc/centos-release': 3,
  'etc/debian_version': 4,
};

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let v = line.slice(eq + 1).trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[line.slice(0, eq)] = v.replace(/\\(["'$`\\])/g, '$1');
  }
  return out;
}

function detect(file: AnalyzedFile): OsInfo | undefined {
  const text = file.content.toString('utf8');
  switch (file.path) {
    case 'etc/os-release':
    case 'usr/lib/os-release': {
      const f = parseOsRelease(text);
      if (f['ID'] === undefined) return undefined;
      const os: OsInfo = { family: f['ID'].toLowerCase(), version: f['VERSION_ID'] ?? '' };
      if (f['PRETTY_NAME'] !== undefined) os.name = f['PRETTY_NAME'];
      if (f['VERSION_CODENAME'] !== undefined && f['VERSION_CODENAME'] !== '') os.codename = f['VERSION_CODENAME'];
      return os;
    }
    case 'etc/alpine-release':
      return { family: 'alpine', version: text.trim() };
    case 'etc/debian_version':
      return { family: 'debian', version: text.trim() };
    default: {
      // "Red Hat Enterprise Linux release 8.9 (Ootpa)", "CentOS Linux release 7.9.2009 (Core)"
      const m = /^(.*?) release ([0-9][0-9.]*)/.exec(text.trim());
      if (m === null) return undefined;
      const name = m[1]!.toLowerCase();
      const family = name.startsWith('centos') ? 'centos' : name.startsWith('red hat') ? 'rhel' : name.startsWith('fedora') ? 'fedora' : name.split(' ')[0]!;
      return { family, version: m[2]! };
    }
  }
}

export const osReleaseAnalyzer: Analyzer = {
  name: 'os-release',
  version: 1,
  maxBytes: 64 * 1024,
  wants: (path) => Object.hasOwn(FILES, path),
  analyze(file): AnalysisResult | undefined {
    const os = detect(file);
    return os === undefined ? undefined : { os, osPriority: FILES[file.path]! };
  },
};
