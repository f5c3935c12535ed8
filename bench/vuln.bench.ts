/**
 * `npm run bench:vuln`: a deterministic OSV export of 500,000 records over npm, PyPI, Maven,
 * Go, Debian and Alpine (realistic range shapes: one or two branches, last_affected, versions
 * lists, distro releases, unfixed records, aliases) is written as a ZIP64 `all.zip`, imported
 * into a fresh store, and an inventory of 10,000 packages is matched against it. Matching is
 * compared with only looking up the same 10,000 (ecosystem, name) pairs in the same store, in
 * the same run. Targets: import ≥ 50,000 records/s; matching 10,000 packages ≤ 1 s.
 * Not a test: nothing here asserts a time. BENCH_RECORDS overrides the record count.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { matchVulnerabilities, type PackageRef } from '../src/vuln/match.ts';
import type { OsvAffected, OsvRecord } from '../src/vuln/osv/record.ts';
import { importOsv } from '../src/vuln/store/import.ts';
import { openStore } from '../src/vuln/store/store.ts';
import { prng as rng } from './prng.ts';

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 500_000);
const INVENTORY = 10_000;
const ECOSYSTEMS = ['npm', 'PyPI', 'Maven', 'Go', 'Debian', 'Alpine'] as const;
/** Distinct package names per ecosystem: about five records per package on average. */
const NAMES_PER_ECOSYSTEM = Math.max(10, Math.floor(RECORDS / ECOSYSTEMS.length / 5));

const rand = rng(20260601);
const int = (n: number): number => Math.floor(rand() * n);

function packageName(eco: (typeof ECOSYSTEMS)[number], i: number): string {
  switch (eco) {
    case 'npm':
      return i % 7 === 0 ? `@scope${i % 50}/pkg-${i}` : `pkg-${i}`;
    case 'PyPI':
      return `py-pkg-${i}`;
    case 'Maven':
      return `org.example${i % 200}:artifact-${i}`;
    case 'Go':
      return `github.com/org${i % 300}/mod-${i}`;
    case 'Debian':
      return `src-${i}`;
    case 'Alpine':
      return `apk-${i}`;
  }
}

const RELEASES = { Debian: ['Debian:11', 'Debian:12', 'Debian:13'], Alpine: ['Alpine:v3.18', 'Alpine:v3.19', 'Alpine:v3.20'] };

function version(eco: string, major: number, minor: number, patch: number): string {
  if (eco === 'Debian') return `${major}.${minor}.${patch}-${1 + (patch % 3)}`;
  if (eco === 'Alpine') return `${major}.${minor}.${patch}-r${patch % 4}`;
  if (eco === 'Maven' && patch % 5 === 0) return `${major}.${minor}.${patch}.Final`;
  return `${major}.${minor}.${patch}`;
}

function affectedFor(eco: (typeof ECOSYSTEMS)[number], name: string): OsvAffected[] {
  const major = 1 + int(4);
  const minor = int(20);
  const fix = version(eco, major, minor, 1 + int(30));
  const type = eco === 'npm' || eco === 'Go' ? 'SEMVER' : 'ECOSYSTEM';
  if (eco === 'Debian' || eco === 'Alpine') {
    const releases = RELEASES[eco].filter(() => rand() < 0.7);
    return (releases.length === 0 ? [RELEASES[eco][1]!] : releases).map((ecosystem) => ({
      package: { ecosystem, name },
      // One in five distro records has no fix yet.
      ranges: [{ type: 'ECOSYSTEM', events: rand() < 0.2 ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed: fix }] }],
      ...(eco === 'Debian' && { ecosystem_specific: { urgency: ['low', 'medium', 'high', 'unimportant'][int(4)]! } }),
    }));
  }
  const shape = rand();
  if (shape < 0.6) return [{ package: { ecosystem: eco, name }, ranges: [{ type, events: [{ introduced: '0' }, { fixed: fix }] }] }];
  if (shape < 0.85) {
    // Two maintained branches.
    const older = version(eco, major - 1 < 0 ? 0 : Math.max(0, major - 1), minor, 5 + int(10));
    return [{ package: { ecosystem: eco, name }, ranges: [{ type, events: [{ introduced: '0' }, { fixed: older }, { introduced: version(eco, major, 0, 0) }, { fixed: fix }] }] }];
  }
  if (shape < 0.95) return [{ package: { ecosystem: eco, name }, ranges: [{ type, events: [{ introduced: version(eco, major, 0, 0) }, { last_affected: fix }] }] }];
  const versions = Array.from({ length: 10 + int(30) }, (_, k) => version(eco, major, minor, k));
  return [{ package: { ecosystem: eco, name }, ranges: [{ type, events: [{ introduced: '0' }, { fixed: fix }] }], versions }];
}

const CVSS = ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N'];

function record(n: number): OsvRecord {
  const eco = ECOSYSTEMS[n % ECOSYSTEMS.length]!;
  const name = packageName(eco, int(NAMES_PER_ECOSYSTEM));
  const cve = `CVE-${2015 + (n % 11)}-${100000 + n}`;
  const prefix = { npm: 'GHSA', PyPI: 'PYSEC', Maven: 'GHSA', Go: 'GO', Debian: 'DEBIAN', Alpine: 'ALPINE' }[eco];
  const id = prefix === 'DEBIAN' || prefix === 'ALPINE' ? `${prefix}-${cve}` : `${prefix}-BENCH-${n}`;
  const distro = eco === 'Debian' || eco === 'Alpine';
  return {
    schema_version: '1.7.0',
    id,
    modified: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    published: new Date(Date.UTC(2023, 0, 1) + n * 60_000).toISOString(),
    ...(distro ? { upstream: [cve] } : { aliases: [cve] }),
    summary: `Generated vulnerability ${n} in ${name}`,
    details: 'A generated record for the bosun benchmark. '.repeat(4),
    ...(!distro && rand() < 0.8 && { severity: [{ type: 'CVSS_V3', score: CVSS[int(CVSS.length)]! }] }),
    affected: affectedFor(eco, name),
    references: [{ type: 'ADVISORY', url: `https://example.com/advisories/${id}` }, { type: 'WEB', url: `https://nvd.example.com/${cve}` }],
  };
}

/** A ZIP64 archive written entry by entry (the central directory is kept in memory). */
function writeExport(path: string): number {
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const write = (b: Buffer): void => {
    writeSync(fd, b);
    offset += b.length;
  };
  for (let n = 0; n < RECORDS; n++) {
    const data = Buffer.from(JSON.stringify(record(n)));
    const body = deflateRawSync(data, { level: 6 });
    const name = Buffer.from(`BENCH-${n}.json`);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46 + name.length);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(45, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    name.copy(cd, 46);
    central.push(cd);
    write(local);
    write(name);
    write(body);
  }
  const cdStart = offset;
  for (const c of central) write(c);
  const cdSize = offset - cdStart;
  const z = Buffer.alloc(56);
  z.writeUInt32LE(0x06064b50, 0);
  z.writeBigUInt64LE(44n, 4);
  z.writeUInt16LE(45, 12);
  z.writeUInt16LE(45, 14);
  z.writeBigUInt64LE(BigInt(RECORDS), 24);
  z.writeBigUInt64LE(BigInt(RECORDS), 32);
  z.writeBigUInt64LE(BigInt(cdSize), 40);
  z.writeBigUInt64LE(BigInt(cdStart), 48);
  const zAt = offset;
  write(z);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(zAt), 8);
  loc.writeUInt32LE(1, 16);
  write(loc);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  write(eocd);
  closeSync(fd);
  return offset;
}

/** 10,000 packages: 60 % named in the store (old and new versions), 40 % unknown to it. */
function inventory(): PackageRef[] {
  const pick = rng(7);
  const out: PackageRef[] = [];
  for (let i = 0; i < INVENTORY; i++) {
    const eco = ECOSYSTEMS[i % ECOSYSTEMS.length]!;
    const known = pick() < 0.6;
    const idx = known ? Math.floor(pick() * NAMES_PER_ECOSYSTEM) : NAMES_PER_ECOSYSTEM + i;
    const v = version(eco, 1 + Math.floor(pick() * 4), Math.floor(pick() * 20), Math.floor(pick() * 30));
    if (eco === 'Debian' || eco === 'Alpine') {
      const ecosystem = RELEASES[eco][Math.floor(pick() * 3)]!;
      const src = packageName(eco, idx);
      out.push({ ecosystem, name: `lib${src}`, version: v, sourceName: src, sourceVersion: v });
    } else out.push({ ecosystem: eco, name: packageName(eco, idx), version: v });
  }
  return out;
}

/** Wall seconds and CPU seconds (user + system) of `fn`: on a shared machine the CPU time is the steadier figure. */
function time<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

const dir = mkdtempSync(join(tmpdir(), 'bosun-vuln-bench-'));
try {
  const zip = join(dir, 'all.zip');
  const db = join(dir, 'osv.sqlite');
  const [zipBytes, genSeconds] = time(() => writeExport(zip));
  console.log(`export: ${RECORDS.toLocaleString('en')} records, ${(zipBytes / 1048576).toFixed(1)} MiB zip (generated in ${genSeconds.toFixed(1)} s)`);

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const stats = await importOsv(zip, { dbPath: db });
  const importSeconds = (performance.now() - t0) / 1000;
  const importUsage = process.cpuUsage(c0);
  const importCpu = (importUsage.user + importUsage.system) / 1e6;
  const dbBytes = statSync(db).size;
  console.log(`import: ${stats.records.toLocaleString('en')} records in ${importSeconds.toFixed(2)} s wall = ${Math.round(stats.records / importSeconds).toLocaleString('en')} records/s (target ≥ 50,000); ${importCpu.toFixed(2)} s CPU = ${Math.round(stats.records / importCpu).toLocaleString('en')} records per CPU-second; store ${(dbBytes / 1048576).toFixed(1)} MiB on disk`);

  const packages = inventory();
  const store = openStore(db);
  // Warm the page cache the same way for both, then measure each on a fresh store handle.
  for (const p of packages.slice(0, 500)) store.lookupIds(p.ecosystem, p.sourceName ?? p.name);
  store.close();

  const lookupStore = openStore(db);
  const [hitNames, lookupSeconds, lookupCpu] = time(() => packages.reduce((n, p) => n + lookupStore.lookupIds(p.ecosystem, p.sourceName ?? p.name).length, 0));
  lookupStore.close();

  const matchStore = openStore(db);
  const [matches, matchSeconds, matchCpu] = time(() => matchVulnerabilities(packages, matchStore));
  matchStore.close();

  console.log(`lookup only: ${INVENTORY.toLocaleString('en')} packages, ${hitNames.toLocaleString('en')} candidate records, ${(lookupSeconds * 1000).toFixed(0)} ms wall, ${(lookupCpu * 1000).toFixed(0)} ms CPU`);
  console.log(`matching:    ${INVENTORY.toLocaleString('en')} packages → ${matches.length.toLocaleString('en')} vulnerabilities (${matches.filter((m) => m.fixedVersions.length === 0).length.toLocaleString('en')} unfixed), ${(matchSeconds * 1000).toFixed(0)} ms wall, ${(matchCpu * 1000).toFixed(0)} ms CPU (target ≤ 1,000 ms); ${(matchCpu / lookupCpu).toFixed(2)}× the lookup CPU time`);
  console.log(`load average during the run: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} CPUs`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  if (process.env["BENCH_KEEP"] === undefined) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
