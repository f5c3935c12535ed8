/**
 * Rust binaries built with cargo-auditable: an ELF section `.dep-v0` holding zlib-compressed JSON
 * `{"packages":[{"name","version","source","kind","dependencies":[index…]}]}` (the
 * rust-audit-info format). Only 64-bit little-endian ELF is read.
 */
import { inflateSync } from 'node:zlib';
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';

/** The bytes of ELF section `name`, if present. */
export function elfSection(bin: Buffer, name: string): Buffer | undefined {
  if (bin.length < 64 || bin.readUInt32BE(0) !== 0x7f454c46 || bin[4] !== 2 || bin[5] !== 1) return undefined;
  const shoff = Number(bin.readBigUInt64LE(0x28));
  const shentsize = bin.readUInt16LE(0x3a);
  const shnum = bin.readUInt16LE(0x3c);
  const shstrndx = bin.readUInt16LE(0x3e);
  if (shoff === 0 || shoff + shnum * shentsize > bin.length || shstrndx >= shnum) return undefined;
  const sh = (i: number) => shoff + i * shentsize;
  const strOff = Number(bin.readBigUInt64LE(sh(shstrndx) + 0x18));
  for (let i = 0; i < shnum; i++) {
    const nameOff = bin.readUInt32LE(sh(i));
    const end = bin.indexOf(0, strOff + nameOff);
    if (bin.toString('latin1', strOff + nameOff, end) !== name) continue;
    const off = Number(bin.readBigUInt64LE(sh(i) + 0x18));
    const size = Number(bin.readBigUInt64LE(sh(i) + 0x20));
    return off + size <= bin.length ? bin.subarray(off, off + size) : undefined;
  }
  return undefined;
}

export function auditablePackages(section: Buffer, path: string): Package[] {
  let json: { packages?: { name?: string; version?: string; source?: string; kind?: string; root?: boolean; dependencies?: number[] }[] };
  try {
    json = JSON.parse(inflateSync(section, { maxOutputLength: 16 * 1024 * 1024 }).toString('utf8')) as typeof json;
  } catch {
    return [];
  }
  const list = json.packages ?? [];
  return list
    .filter((p) => typeof p.name === 'string' && typeof p.version === 'string' && p.kind !== 'build')
    .map((p) => {
      const deps = (p.dependencies ?? []).map((i) => list[i]?.name).filter((n): n is string => n !== undefined);
      return { name: p.name!, version: p.version!, ecosystem: 'cargo' as const, purl: '', licenses: [], path, ...(deps.length > 0 && { dependsOn: deps }), ...(p.source !== undefined && p.source !== 'crates.io' && { properties: { source: p.source } }) };
    });
}

export const cargoAuditableAnalyzer: Analyzer = {
  name: 'cargo-auditable',
  version: 1,
  maxBytes: 256 * 1024 * 1024,
  wants: (_path, mode, size) => (mode & 0o111) !== 0 && size > 64 * 1024,
  analyze(file) {
    if (file.truncated) return undefined;
    const section = elfSection(file.content, '.dep-v0');
    return section === undefined ? undefined : { packages: auditablePackages(section, file.path) };
  },
};
