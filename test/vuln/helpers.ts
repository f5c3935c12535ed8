/** Test helpers: zip writing, OSV fixtures from ../shared/testdata/osv, a local OSV export server. */
import '../hermetic.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import type { OsvRecord } from '../../src/vuln/osv/record.ts';

export const SHARED = join(import.meta.dirname, '../../../shared/testdata');
export const OSV_DIR = join(SHARED, 'osv');

export interface Fixture {
  file: string;
  text: string;
  record: OsvRecord;
}

export function osvFixtures(): Fixture[] {
  return readdirSync(OSV_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(OSV_DIR, file), 'utf8');
      return { file, text, record: JSON.parse(text) as OsvRecord };
    });
}

export function fixture(file: string): OsvRecord {
  return JSON.parse(readFileSync(join(OSV_DIR, file), 'utf8')) as OsvRecord;
}

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-vuln-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A zip archive (deflated entries); `zip64` writes the ZIP64 end records as large archives have. */
export function writeZip(entries: Array<{ name: string; data: string | Buffer }>, options: { zip64?: boolean; stored?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const body = options.stored === true ? data : deflateRawSync(data);
    const name = Buffer.from(e.name);
    const method = options.stored === true ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc32(data), 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    parts.push(local, name, body);
    offset += local.length + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  if (options.zip64 === true) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeBigUInt64LE(BigInt(entries.length), 24);
    z.writeBigUInt64LE(BigInt(entries.length), 32);
    z.writeBigUInt64LE(BigInt(cdBuf.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cdBuf.length), 8);
    loc.writeUInt32LE(1, 16);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(0xffffffff, 12);
    eocd.writeUInt32LE(0xffffffff, 16);
    return Buffer.concat([...parts, cdBuf, z, loc, eocd]);
  }
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

/** What the server answers for a path: bytes, or a handler for failure modes. */
export type Served = Buffer | string | ((req: IncomingMessage, res: ServerResponse) => void);

export interface OsvServer {
  url: string;
  files: Map<string, Served>;
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (ephemeral port) serving `files` by URL path. */
export async function serve(t: { after: (fn: () => Promise<void>) => void }, files: Map<string, Served> = new Map()): Promise<OsvServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    if (typeof body === 'function') {
      body(req, res);
      return;
    }
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(200, { 'content-length': buf.length, 'content-type': 'application/octet-stream' }).end(buf);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.after(close);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, files, requests, close };
}

/** Sends a Content-Length for all of `body`, writes half of it, then drops the connection. */
export function truncated(body: Buffer): Served {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
  };
}

/** A generated OSV record: `count` versions of `name` fixed at 1.<i>.0. */
export function generatedRecord(ecosystem: string, id: string, name: string, fixed: string, modified: string, extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    schema_version: '1.7.0',
    id,
    modified,
    published: modified,
    summary: `generated record for ${name}`,
    affected: [{ package: { ecosystem, name }, ranges: [{ type: ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
    ...extra,
  };
}

/** An OSV export directory for one ecosystem, as the bucket lays it out. */
export function exportFiles(prefix: string, records: Array<{ record: OsvRecord; text?: string }>): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  const entries = records.map((r) => ({ name: `${r.record.id}.json`, data: r.text ?? JSON.stringify(r.record) }));
  files.set(`${prefix}/all.zip`, writeZip(entries));
  for (const e of entries) files.set(`${prefix}/${e.name}`, e.data);
  const csv = [...records]
    .sort((a, b) => (a.record.modified < b.record.modified ? 1 : a.record.modified > b.record.modified ? -1 : 0))
    .map((r) => `${r.record.modified},${r.record.id}`)
    .join('\n');
  files.set(`${prefix}/modified_id.csv`, `${csv}\n`);
  return files;
}
