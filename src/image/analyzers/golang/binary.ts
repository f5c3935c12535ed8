/**
 * Go binaries: the build information the linker embeds (runtime/debug.BuildInfo). Since Go 1.18
 * the `.go.buildinfo` blob is "\xff Go buildinf:", pointer size, flags; with flag 2 the Go version
 * and the module info follow inline as uvarint-prefixed strings. The module info is
 * `path`/`mod`/`dep`/`=>` (replacement of the line before)/`build` lines between 16-byte sentinels.
 * Older binaries (pointer-based layout) are not read.
 */
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: { path: string; version: string };
  deps: { path: string; version: string; replacedBy?: { path: string; version: string } }[];
  settings: Record<string, string>;
}

function uvarint(buf: Buffer, off: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (let i = off; i < buf.length && i < off + 10; i++) {
    const b = buf[i]!;
    v += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [v, i + 1];
    shift += 7;
  }
  return [-1, off];
}

export function readGoBuildInfo(bin: Buffer): GoBuildInfo | undefined {
  const at = bin.indexOf(MAGIC);
  if (at === -1 || at + 32 > bin.length) return undefined;
  const flags = bin[at + 15]!;
  if ((flags & 2) === 0) return undefined;
  let off = at + 32;
  const [vlen, voff] = uvarint(bin, off);
  if (vlen < 0 || voff + vlen > bin.length) return undefined;
  const goVersion = bin.toString('utf8', voff, voff + vlen);
  off = voff + vlen;
  const [mlen, moff] = uvarint(bin, off);
  if (mlen < 0 || moff + mlen > bin.length) return undefined;
  let mod = bin.toString('utf8', moff, moff + mlen);
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  const info: GoBuildInfo = { goVersion, deps: [], settings: {} };
  for (const line of mod.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'path') info.path = f[1]!;
    else if (f[0] === 'mod') info.main = { path: f[1]!, version: f[2] ?? '' };
    else if (f[0] === 'dep') info.deps.push({ path: f[1]!, version: f[2] ?? '' });
    else if (f[0] === '=>' && info.deps.length > 0) info.deps.at(-1)!.replacedBy = { path: f[1]!, version: f[2] ?? '' };
    else if (f[0] === 'build' && f[1] !== undefined) {
      const eq = f[1].indexOf('=');
      if (eq > 0) info.settings[f[1].slice(0, eq)] = f[1].slice(eq + 1);
    }
  }
  return info;
}

const strip = (v: string) => (v.startsWith('v') ? v.slice(1) : v);

export function goBinaryPackages(info: GoBuildInfo, path: string): Package[] {
  const props = { goVersion: info.goVersion };
  const out: Package[] = [];
  const goVer = /^go([0-9][0-9.]*)/.exec(info.goVersion)?.[1] ?? '';
  const depNames: string[] = [];
  for (const d of info.deps) {
    const r = d.replacedBy;
    // A dependency replaced by a local directory is local code: original path, no version.
    const local = r !== undefined && (r.path.startsWith('.') || r.path.startsWith('/') || r.version === '' || r.version === '(devel)');
    const name = r !== undefined && !local ? r.path : d.path;
    const version = local ? '' : strip((r ?? d).version);
    out.push({ name, version, ecosystem: 'golang', purl: '', licenses: [], path, properties: r === undefined ? props : { ...props, replacedBy: `${r.path}${r.version === '' ? '' : ` ${r.version}`}` } });
    depNames.push(name);
  }
  if (info.main !== undefined) {
    const v = info.main.version === '(devel)' ? '' : strip(info.main.version);
    out.unshift({ name: info.main.path, version: v, ecosystem: 'golang', purl: '', licenses: [], path, properties: props, ...(depNames.length > 0 && { dependsOn: depNames }) });
  }
  if (goVer !== '') out.push({ name: 'stdlib', version: goVer, ecosystem: 'golang', purl: '', licenses: ['BSD-3-Clause'], path, properties: props });
  return out;
}

export const goBinaryAnalyzer: Analyzer = {
  name: 'go-binary',
  version: 1,
  maxBytes: 256 * 1024 * 1024,
  wants: (_path, mode, size) => (mode & 0o111) !== 0 && size > 64 * 1024,
  analyze(file) {
    if (file.truncated || !file.content.subarray(0, 4).equals(ELF)) return undefined;
    const info = readGoBuildInfo(file.content);
    return info === undefined ? undefined : { packages: goBinaryPackages(info, file.path) };
  },
};
