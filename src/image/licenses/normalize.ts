/**
 * Licence names as packages write them ("GPL-2+", "Apache 2.0", "Expat", "BSD-3-clause") to SPDX
 * identifiers and expressions (SPDX License List 3.x, SPDX spec annex D). Unknown names are kept
 * as `LicenseRef-<name>` so nothing is silently dropped.
 */

/** Lower-cased, spaces/underscores → '-' alias → SPDX ID. */
const ALIASES: Record<string, string> = {
  'expat': 'MIT', 'mit': 'MIT', 'mit-license': 'MIT', 'the-mit-license': 'MIT', 'x11': 'X11',
  'apache': 'Apache-2.0', 'apache-2': 'Apache-2.0', 'apache-2.0': 'Apache-2.0', 'apache2': 'Apache-2.0', 'apache-license-2.0': 'Apache-2.0', 'apache-license,-version-2.0': 'Apache-2.0', 'apache-software-license': 'Apache-2.0', 'asl-2.0': 'Apache-2.0', 'apache-1.1': 'Apache-1.1',
  'bsd': 'BSD-3-Clause', 'bsd-2': 'BSD-2-Clause', 'bsd-2-clause': 'BSD-2-Clause', 'bsd-3': 'BSD-3-Clause', 'bsd-3-clause': 'BSD-3-Clause', 'bsd-4-clause': 'BSD-4-Clause', 'new-bsd': 'BSD-3-Clause', 'simplified-bsd': 'BSD-2-Clause', '0bsd': '0BSD',
  'isc': 'ISC', 'zlib': 'Zlib', 'curl': 'curl', 'openssl': 'OpenSSL', 'psf': 'PSF-2.0', 'psf-2.0': 'PSF-2.0', 'python-2.0': 'Python-2.0',
  'mpl-1.1': 'MPL-1.1', 'mpl-2.0': 'MPL-2.0', 'mpl2': 'MPL-2.0', 'epl-1.0': 'EPL-1.0', 'epl-2.0': 'EPL-2.0', 'cddl-1.0': 'CDDL-1.0',
  'artistic': 'Artistic-1.0', 'artistic-1.0': 'Artistic-1.0', 'artistic-2.0': 'Artistic-2.0', 'perl': 'Artistic-1.0-Perl',
  'unlicense': 'Unlicense', 'the-unlicense': 'Unlicense', 'cc0': 'CC0-1.0', 'cc0-1.0': 'CC0-1.0', 'wtfpl': 'WTFPL', 'public-domain': 'LicenseRef-public-domain',
  'cc-by-4.0': 'CC-BY-4.0', 'cc-by-sa-4.0': 'CC-BY-SA-4.0', 'cc-by-3.0': 'CC-BY-3.0', 'ofl-1.1': 'OFL-1.1', 'bsl-1.0': 'BSL-1.0', 'boost': 'BSL-1.0',
  'agpl-3': 'AGPL-3.0-only', 'agpl-3.0': 'AGPL-3.0-only', 'agpl-3+': 'AGPL-3.0-or-later', 'agplv3': 'AGPL-3.0-only',
  'sspl-1.0': 'SSPL-1.0', 'busl-1.1': 'BUSL-1.1', 'gfdl-1.2': 'GFDL-1.2-only', 'gfdl-1.3': 'GFDL-1.3-only', 'gfdl-1.2+': 'GFDL-1.2-or-later', 'gfdl-1.3+': 'GFDL-1.3-or-later',
};

/** GPL family: `GPL-2`, `GPLv2+`, `GPL-2.0`, `gpl2`, `LGPL-2.1+` → `-only` / `-or-later` forms. */
function gnuFamily(key: string): string | undefined {
  const m = /^(a|l)?gpl-?v?([0-9])(?:\.([0-9]))?(\+|-or-later|-only)?$/.exec(key);
  if (m === null) return undefined;
  const fam = m[1] === 'l' ? 'LGPL' : m[1] === 'a' ? 'AGPL' : 'GPL';
  const minor = m[3] ?? (fam === 'LGPL' && m[2] === '2' ? '0' : '0');
  const ver = `${m[2]}.${minor}`;
  return `${fam}-${ver}${m[4] === '+' || m[4] === '-or-later' ? '-or-later' : '-only'}`;
}

/** One licence name → SPDX ID (or LicenseRef-). */
export function normalizeLicenseId(name: string): string {
  const trimmed = name.trim().replace(/^\(+|\)+$/g, '');
  if (trimmed === '') return '';
  if (/^LicenseRef-/i.test(trimmed)) return trimmed;
  const key = trimmed.toLowerCase().replace(/[\s_]+/g, '-').replace(/^the-/, '').replace(/-licen[sc]e$/, '');
  const alias = ALIASES[key] ?? gnuFamily(key);
  if (alias !== undefined) return alias;
  if (/^[A-Za-z0-9.+-]+$/.test(trimmed) && KNOWN_IDS.has(trimmed)) return trimmed;
  return `LicenseRef-${trimmed.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** A licence field → an SPDX expression: `GPL-2+ or Artistic` → `GPL-2.0-or-later OR Artistic-1.0`. */
export function normalizeLicense(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  const parts = t.split(/\s+(and|or|AND|OR|with|WITH)\s+|\s*[,;/]\s*|\s*\|\s*|\s*&\s*/).filter((p) => p !== undefined && p !== '');
  if (parts.length === 1) return normalizeLicenseId(parts[0]!);
  const out: string[] = [];
  let pendingOp = false;
  for (const p of parts) {
    const lower = p.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'with') {
      out.push(lower.toUpperCase());
      pendingOp = false;
      continue;
    }
    if (pendingOp) out.push('AND');
    const id = normalizeLicenseId(p);
    if (id !== '') out.push(out.at(-1) === 'WITH' ? p.trim() : id);
    pendingOp = true;
  }
  return out.join(' ');
}

/** The IDs inside an SPDX expression. */
export function licenseIds(expression: string): string[] {
  return expression.split(/\s+|[()]/).filter((t) => t !== '' && !['AND', 'OR', 'WITH'].includes(t));
}

const KNOWN_IDS = new Set([
  'MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later',
  'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'MPL-2.0',
  'EPL-2.0', 'Unlicense', 'CC0-1.0', 'Zlib', 'BlueOak-1.0.0', 'Python-2.0', 'PSF-2.0', 'OpenSSL', 'curl', 'X11', 'HPND',
  'GPL-2.0', 'GPL-3.0', 'LGPL-2.1', 'LGPL-3.0', 'AGPL-3.0', 'GPL-2.0+', 'GPL-3.0+', 'LGPL-2.1+', 'LGPL-3.0+', 'Artistic-2.0',
  'SSPL-1.0', 'BUSL-1.1', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'WTFPL', '0BSD', 'BSL-1.0', 'OFL-1.1', 'MIT-0',
]);
