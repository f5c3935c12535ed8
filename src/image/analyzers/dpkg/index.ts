/**
 * dpkg: `var/lib/dpkg/status` (deb-control(5) stanzas; only those whose `Status` ends in
 * `installed`), distroless `var/lib/dpkg/status.d/<pkg>` (one stanza per file, no Status field),
 * and `usr/share/doc/<pkg>/copyright` for licences (machine-readable DEP-5 `License:` fields only).
 * `Source: name (version)` gives the source package vulnerability data is keyed on.
 */
import { BosunError } from '../../../core/errors.ts';
import type { Analyzer, AnalysisResult } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';

/** Stanzas as field → value, field names lower-cased: dpkg reads them without case (`package:` is `Package:`). */
export function parseControlStanzas(text: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> = {};
  let last: string | undefined;
  let any = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (any) out.push(cur);
      cur = {};
      last = undefined;
      any = false;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      cur[last] += `\n${line.slice(1)}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BosunError('E_PACKAGE_DB', `malformed control line "${line.slice(0, 60)}"`);
    last = line.slice(0, colon).toLowerCase();
    cur[last] = line.slice(colon + 1).trim();
    any = true;
  }
  if (any) out.push(cur);
  return out;
}

/** Package names from a Depends/Pre-Depends field (alternatives kept, versions and arch qualifiers dropped). */
export function dependencyNames(field: string | undefined): string[] {
  if (field === undefined || field === '') return [];
  const names = new Set<string>();
  for (const part of field.split(/[,|]/)) {
    const name = part.trim().split(/[\s(:]/)[0];
    if (name !== undefined && name !== '') names.add(name);
  }
  return [...names];
}

export function parseDpkgStatus(text: string, path: string, requireStatus = true): Package[] {
  // status.d also holds `<pkg>.md5sums` file lists: not stanzas.
  if (path.endsWith('.md5sums')) return [];
  const pkgs: Package[] = [];
  for (const s of parseControlStanzas(text)) {
    const name = s['package'];
    const version = s['version'];
    if (name === undefined || name === '' || version === undefined || version === '') continue;
    const status = s['status'];
    // The third word of Status is the package state; only `installed` counts. Without a Status
    // field a stanza counts only in distroless status.d files.
    if (status !== undefined ? status.trim().split(/\s+/).at(-1) !== 'installed' : requireStatus) continue;
    const pkg: Package = { name, version, ecosystem: 'deb', purl: '', licenses: [], path };
    if (s['architecture'] !== undefined) pkg.arch = s['architecture'];
    const src = s['source'];
    if (src !== undefined && src !== '') {
      const m = /^(\S+)(?:\s+\((.+)\))?$/.exec(src);
      if (m !== null) pkg.source = { name: m[1]!, version: m[2] ?? version };
    } else {
      pkg.source = { name, version };
    }
    const deps = [...dependencyNames(s['pre-depends']), ...dependencyNames(s['depends'])];
    if (deps.length > 0) pkg.dependsOn = [...new Set(deps)];
    pkgs.push(pkg);
  }
  return pkgs;
}

/** DEP-5 copyright: the `License:` first lines (short names), normalised; undefined if not machine-readable. */
export function parseDebianCopyright(text: string): string[] | undefined {
  if (!/^Format:\s*\S*copyright-format/m.test(text)) return undefined;
  const seen = new Set<string>();
  for (const m of text.matchAll(/^License:[ \t]*([^\n]+)$/gm)) {
    const id = normalizeLicense(m[1]!.trim());
    if (id !== '') seen.add(id);
  }
  return [...seen];
}

const COPYRIGHT = /^usr\/share\/doc\/([^/]+)\/copyright$/;

export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  version: 2, // 2: field names without case
  maxBytes: 64 * 1024 * 1024,
  wants: (path) => path === 'var/lib/dpkg/status' || (path.startsWith('var/lib/dpkg/status.d/') && !path.endsWith('.md5sums')) || COPYRIGHT.test(path),
  analyze(file): AnalysisResult | undefined {
    const text = file.content.toString('utf8');
    const m = COPYRIGHT.exec(file.path);
    if (m !== null) {
      const licenses = parseDebianCopyright(text);
      return licenses === undefined || licenses.length === 0 ? undefined : { licenseNotes: [{ ecosystem: 'deb', name: m[1]!, licenses }] };
    }
    return { packages: parseDpkgStatus(text, file.path, file.path === 'var/lib/dpkg/status') };
  },
};
