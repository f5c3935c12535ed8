/**
 * Java archives in images (JAR, WAR, EAR, PAR): the zip central directory (APPNOTE.TXT 4.3.12)
 * is read from the end of the file; `META-INF/maven/<g>/<a>/pom.properties` give groupId,
 * artifactId and version; without one, the manifest's main section (`Implementation-Title` /
 * `Bundle-SymbolicName` and `Implementation-Version` / `Bundle-Version`) or the file name
 * `name-1.2.3.jar`. Nested archives (WEB-INF/lib, BOOT-INF/lib, lib/) are read recursively.
 */
import { inflateRawSync } from 'node:zlib';
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const MAX_DEPTH = 3;
const MAX_ENTRY = 64 * 1024 * 1024;

function centralDirectory(zip: Buffer): ZipEntry[] | undefined {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  const min = Math.max(0, zip.length - 65557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= min; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count && off + 46 <= zip.length; i++) {
    if (zip.readUInt32LE(off) !== 0x02014b50) return out;
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    out.push({
      method: zip.readUInt16LE(off + 10),
      compressedSize: zip.readUInt32LE(off + 20),
      size: zip.readUInt32LE(off + 24),
      localOffset: zip.readUInt32LE(off + 42),
      name: zip.toString('utf8', off + 46, off + 46 + nameLen),
    });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function entryData(zip: Buffer, e: ZipEntry): Buffer | undefined {
  if (e.size > MAX_ENTRY || e.localOffset + 30 > zip.length || zip.readUInt32LE(e.localOffset) !== 0x04034b50) return undefined;
  const start = e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
  const raw = zip.subarray(start, start + e.compressedSize);
  try {
    if (e.method === 0) return raw;
    if (e.method === 8) return inflateRawSync(raw, { maxOutputLength: MAX_ENTRY });
  } catch {
    return undefined;
  }
  return undefined;
}

function properties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (m !== null) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** MANIFEST.MF main section (until the first blank line), continuation lines start with a space. */
function manifestMain(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last !== undefined) {
      out[last] += line.slice(1);
      continue;
    }
    const i = line.indexOf(':');
    if (i > 0) {
      last = line.slice(0, i);
      out[last] = line.slice(i + 1).trim();
    }
  }
  return out;
}

export function jarPackages(zip: Buffer, path: string, depth = 0): Package[] {
  const entries = centralDirectory(zip);
  if (entries === undefined) return [];
  const out: Package[] = [];
  const poms = entries.filter((e) => /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(e.name));
  for (const e of poms) {
    const data = entryData(zip, e);
    if (data === undefined) continue;
    const p = properties(data.toString('utf8'));
    if (p['groupId'] && p['artifactId'] && p['version']) out.push({ name: `${p['groupId']}:${p['artifactId']}`, version: p['version'], ecosystem: 'maven', purl: '', licenses: [], path });
  }
  const mf = entries.find((e) => e.name === 'META-INF/MANIFEST.MF');
  const main = mf === undefined ? {} : manifestMain(entryData(zip, mf)?.toString('utf8') ?? '');
  if (out.length === 0) {
    const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.(jar|war|ear|par)$/i, '');
    const fromName = /^(.+?)-(\d[\w.-]*)$/.exec(file);
    const group = main['Implementation-Vendor-Id'] ?? main['Bundle-SymbolicName']?.split(';')[0]?.replace(/\.[^.]+$/, '');
    const artifact = main['Implementation-Title'] ?? fromName?.[1];
    const version = main['Implementation-Version'] ?? main['Bundle-Version'] ?? fromName?.[2];
    if (artifact !== undefined && version !== undefined) out.push({ name: group !== undefined && !artifact.includes(':') ? `${group}:${artifact}` : artifact, version, ecosystem: 'maven', purl: '', licenses: [], path });
  }
  const lic = main['Bundle-License'];
  if (lic !== undefined && out.length === 1) out[0]!.licenses = [normalizeLicense(lic.split(';')[0]!.split(',')[0]!)];
  if (depth < MAX_DEPTH) {
    for (const e of entries) {
      if (!/\.(jar|war|ear|par)$/i.test(e.name)) continue;
      const inner = entryData(zip, e);
      if (inner !== undefined) out.push(...jarPackages(inner, `${path}!/${e.name}`, depth + 1));
    }
  }
  return out;
}

export const javaArchiveAnalyzer: Analyzer = {
  name: 'java-archive',
  version: 1,
  maxBytes: 256 * 1024 * 1024,
  wants: (path) => /\.(jar|war|ear|par)$/i.test(path),
  analyze(file) {
    if (file.truncated) return undefined;
    const pkgs = jarPackages(file.content, file.path);
    return pkgs.length === 0 ? undefined : { packages: pkgs };
  },
};
