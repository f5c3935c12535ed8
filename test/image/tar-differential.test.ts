/**
 * bosun must read a layer as the runtime unpacks it, or a file can hide from the scan: containerd
 * and Docker unpack layers with Go's archive/tar. This test writes tar streams in every header
 * dialect (v7, ustar with prefix, GNU with atime/ctime where ustar keeps its prefix, pax, GNU long
 * names), with numeric fields written the ways tools write them (leading zeros or spaces, NUL or
 * space terminated, unterminated, base-256) and random entries, and compares bosun's reader with
 * Go's (test/image/go-tar, built offline) on every entry: name, type, size, link, mode and body.
 * Where Go refuses a stream, bosun must refuse it too, never read something else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TarReader, type TarHeader } from '../../src/image/tar.ts';
import { indexTarFile, readMember } from '../../src/image/sources/tar-index.ts';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';
import { prng } from '../../bench/prng.ts';

const GO_TAR: GoTool = { name: 'go-tar', source: new URL('./go-tar/main.go', import.meta.url).pathname, packages: {} };
const skip = goToolSkip(GO_TAR) ?? false;
const SEPARATOR = Buffer.from('\0BOSUN\0\0', 'latin1');

interface Entry {
  name: string;
  type: string;
  size: number;
  linkname: string;
  mode: number;
  body: string;
}

type Rnd = () => number;
type NumberStyle = 'zeros-nul' | 'zeros-space' | 'spaces' | 'full' | 'base256' | 'space-nul';

interface Spec {
  name: string;
  typeflag: string;
  body: Buffer;
  linkname?: string;
  mode?: number;
  dialect: 'v7' | 'ustar' | 'gnu' | 'gnu-times' | 'pax';
  numbers: NumberStyle;
  longName?: 'gnu' | 'pax';
}

function numberField(value: number, width: number, style: NumberStyle): Buffer {
  const field = Buffer.alloc(width, 0);
  const octal = value.toString(8);
  switch (style) {
    case 'zeros-nul':
      field.write(octal.padStart(width - 1, '0'), 'latin1');
      break;
    case 'zeros-space':
      field.write(`${octal.padStart(width - 2, '0')} `, 'latin1');
      break;
    case 'space-nul':
      field.write(`${octal.padStart(width - 2, '0')} \0`, 'latin1');
      break;
    case 'spaces':
      field.write(`${octal.padStart(width - 1, ' ')}`, 'latin1');
      break;
    case 'full':
      if (octal.length > width) throw new Error('too long');
      field.write(octal.padStart(width, '0'), 'latin1');
      break;
    case 'base256': {
      field[0] = 0x80;
      let v = value;
      for (let i = width - 1; i > 0; i--, v = Math.floor(v / 256)) field[i] = v % 256;
      break;
    }
  }
  return field;
}

function header(name: string, typeflag: string, size: number, spec: Spec, linkname = ''): Buffer {
  const b = Buffer.alloc(512, 0);
  let base = name;
  let prefix = '';
  if (spec.dialect === 'ustar' || spec.dialect === 'pax') {
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 154);
      if (cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100) {
        prefix = name.slice(0, cut);
        base = name.slice(cut + 1);
      }
    }
  }
  b.write(base, 0, 100, 'utf8'); // (at most 100 bytes: Buffer.write stops at the field's end)
  const numbers = spec.numbers;
  numberField(spec.mode ?? 0o644, 8, numbers === 'base256' ? 'zeros-nul' : numbers).copy(b, 100);
  numberField(1000, 8, numbers === 'base256' ? 'zeros-nul' : numbers).copy(b, 108);
  numberField(1000, 8, numbers === 'base256' ? 'zeros-nul' : numbers).copy(b, 116);
  numberField(size, 12, numbers).copy(b, 124);
  numberField(1700000000, 12, numbers === 'base256' ? 'zeros-nul' : numbers).copy(b, 136);
  b.write(typeflag, 156, 'latin1');
  b.write(linkname, 157, 100, 'utf8');
  if (spec.dialect === 'ustar' || spec.dialect === 'pax') {
    b.write('ustar\x0000', 257, 'latin1');
    b.write(prefix, 345, 155, 'utf8');
  } else if (spec.dialect === 'gnu' || spec.dialect === 'gnu-times') {
    b.write('ustar  \0', 257, 'latin1');
    // GNU keeps atime and ctime where ustar has its prefix (tar --incremental, --atime-preserve …)
    if (spec.dialect === 'gnu-times') {
      numberField(1700000001, 12, 'zeros-nul').copy(b, 345);
      numberField(1700000002, 12, 'zeros-nul').copy(b, 357);
    }
  }
  b.write('        ', 148, 'latin1');
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

/** The first 100 bytes of a UTF-8 name, on a character boundary (what a header's field holds). */
function truncate(name: string): string {
  let out = '';
  for (const c of name) {
    if (Buffer.byteLength(out + c) > 100) break;
    out += c;
  }
  return out;
}

function padded(body: Buffer): Buffer {
  return Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

function paxRecords(records: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len++;
    out += `${len}${rest}`;
  }
  return Buffer.from(out, 'utf8');
}

function archive(specs: Spec[], end = true): Buffer {
  const parts: Buffer[] = [];
  for (const s of specs) {
    let name = s.name;
    let linkname = s.linkname ?? '';
    if (s.longName === 'gnu' && Buffer.byteLength(name) > 100) {
      const data = Buffer.from(`${name}\0`, 'utf8');
      parts.push(header('././@LongLink', 'L', data.length, { ...s, dialect: 'gnu' }), padded(data));
      name = truncate(name);
    }
    if (s.longName === 'gnu' && Buffer.byteLength(linkname) > 100) {
      const data = Buffer.from(`${linkname}\0`, 'utf8');
      parts.push(header('././@LongLink', 'K', data.length, { ...s, dialect: 'gnu' }), padded(data));
      linkname = truncate(linkname);
    }
    if (s.dialect === 'pax') {
      const records: Record<string, string> = {};
      if (Buffer.byteLength(name) > 100) records['path'] = name;
      if (Buffer.byteLength(linkname) > 100) records['linkpath'] = linkname;
      if (Object.keys(records).length > 0) {
        const data = paxRecords(records);
        parts.push(header('PaxHeaders/x', 'x', data.length, s), padded(data));
      }
    }
    parts.push(header(name, s.typeflag, s.body.length, s, linkname), padded(s.body));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const TYPE_NAMES: Record<string, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

function bosunRead(data: Buffer, chunk: number): Entry[] | { error: string } {
  const entries: Entry[] = [];
  const reader = new TarReader({
    onHeader: (h) => {
      entries.push({ name: h.name, type: h.type === 'other' ? '?' : TYPE_NAMES[h.type]!, size: h.size, linkname: h.linkname, mode: h.mode, body: '' });
      return h.size;
    },
    onBody: (_h, body) => {
      entries[entries.length - 1]!.body = body.toString('latin1');
    },
  });
  try {
    for (let i = 0; i < data.length; i += chunk) reader.write(data.subarray(i, i + chunk));
    reader.end();
  } catch (err) {
    return { error: (err as Error).message };
  }
  return entries;
}

function goRead(archives: Buffer[]): Array<Entry[] | { error: string }> {
  const input = Buffer.concat(archives.flatMap((a, i) => (i === 0 ? [a] : [SEPARATOR, a])));
  const r = spawnSync(goToolBinary(GO_TAR), { input, maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  const lines = r.stdout.toString('utf8').trim().split('\n');
  assert.equal(lines.length, archives.length);
  return lines.map((l) => {
    const v = JSON.parse(l) as Entry[] | { error: string };
    if (Array.isArray(v)) for (const e of v) e.body = Buffer.from(e.body, 'utf8').toString('latin1');
    return v;
  });
}

/** Go's view, in bosun's terms: regular files of every spelling are '0', other types as written. */
function normalise(entries: Entry[]): Entry[] {
  // Go hands global pax headers to the caller as entries; containerd skips them
  return entries.filter((e) => e.type !== 'g').map((e) => {
    const file = e.type === '0' || e.type === '\0' || e.type === '7';
    const known = file || ['1', '2', '3', '4', '5', '6'].includes(e.type);
    return { ...e, type: file ? '0' : known ? e.type : '?', size: file ? e.size : 0, mode: e.mode & 0o7777, body: file ? e.body : '' };
  });
}

function randomSpecs(rnd: Rnd): Spec[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const dialect = pick(['v7', 'ustar', 'gnu', 'gnu-times', 'pax'] as const);
  const numbers = pick(['zeros-nul', 'zeros-space', 'space-nul', 'spaces', 'full', 'base256'] as const);
  return Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, i) => {
    const long = rnd() < 0.3;
    const dir = pick(['etc', 'usr/lib/python3/dist-packages', 'var/lib/dpkg', 'a'.repeat(60), 'déjà/vu']);
    const name = long ? `${dir}/${'n'.repeat(60 + Math.floor(rnd() * 80))}-${i}` : `${dir}/f${i}`;
    const typeflag = pick(['0', '0', '0', '\0', '5', '2', '1', '7']);
    const body = typeflag === '0' || typeflag === '\0' || typeflag === '7' ? Buffer.from(`content ${i} `.repeat(Math.floor(rnd() * 200)), 'latin1') : Buffer.alloc(0);
    const linkname = typeflag === '1' || typeflag === '2' ? (rnd() < 0.3 ? `../${'l'.repeat(120)}` : `../target-${i}`) : '';
    return { name: typeflag === '5' ? `${name}/` : name, typeflag, body, linkname, mode: pick([0o644, 0o755, 0o4755, 0o600]), dialect, numbers, longName: dialect === 'pax' ? 'pax' : 'gnu' };
  });
}

test('bosun reads every tar dialect and number spelling as Go archive/tar (containerd) does', { skip }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const archives: Buffer[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 400; i++) {
    const specs = randomSpecs(rnd);
    archives.push(archive(specs));
    labels.push(`${specs[0]!.dialect}/${specs[0]!.numbers}: ${specs.map((s) => JSON.stringify(s.typeflag) + ' ' + s.name.slice(0, 40)).join(', ')}`);
  }
  const go = goRead(archives);
  const wrong: string[] = [];
  archives.forEach((a, i) => {
    const theirs = go[i]!;
    const ours = bosunRead(a, 1 + Math.floor(rnd() * 2000));
    if (!Array.isArray(theirs)) {
      if (Array.isArray(ours)) wrong.push(`${labels[i]}: Go refuses (${theirs.error}), bosun reads ${ours.length} entries`);
      return;
    }
    if (!Array.isArray(ours)) {
      wrong.push(`${labels[i]}: bosun refuses (${ours.error}), Go reads ${theirs.length} entries`);
      return;
    }
    const want = normalise(theirs);
    if (JSON.stringify(ours) !== JSON.stringify(want)) wrong.push(`${labels[i]}:\n  bosun ${JSON.stringify(ours.map((e) => [e.name, e.type, e.size, e.mode]))}\n  Go    ${JSON.stringify(want.map((e) => [e.name, e.type, e.size, e.mode]))}`);
  });
  assert.deepEqual(wrong.slice(0, 8), [], `${wrong.length} of ${archives.length} archives read differently`);
});

/** A header with its checksum recomputed after `edit` changed it. */
function edited(block: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(block);
  edit(b);
  b.write('        ', 148, 'latin1');
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

test('tricks that would show the scan other files than the runtime unpacks: read as Go reads them, or refused', { skip }, () => {
  const plain: Spec = { name: 'x', typeflag: '0', body: Buffer.alloc(0), dialect: 'ustar', numbers: 'zeros-nul' };
  const file = (name: string, body: string, spec: Partial<Spec> = {}): Buffer => {
    const b = Buffer.from(body, 'latin1');
    return Buffer.concat([header(name, '0', b.length, { ...plain, ...spec }), padded(b)]);
  };
  const pax = (typeflag: 'x' | 'g', records: Record<string, string>): Buffer => {
    const data = paxRecords(records);
    return Buffer.concat([header('PaxHeaders/x', typeflag, data.length, plain), padded(data)]);
  };
  const END = Buffer.alloc(1024);
  // old GNU sparse: a 4 KiB file whose only data is 512 bytes at offset 1024
  const sparse = edited(header('var/lib/dpkg/status', 'S', 512, { ...plain, dialect: 'gnu' }), (b) => {
    b.write('00000002000\0', 386, 'latin1'); // offset 1024
    b.write('00000001000\0', 398, 'latin1'); // 512 bytes
    b.write('00000010000\0', 483, 'latin1'); // real size 4096
  });
  const cases: Array<[string, Buffer]> = [
    ['a global pax path does not rename what follows', Buffer.concat([pax('g', { path: 'decoy' }), file('etc/shadow', 'root:x'), file('etc/passwd', 'root'), END])],
    ['a local pax path renames its own entry only', Buffer.concat([pax('x', { path: 'real/name' }), file('short', 'a'), file('next', 'b'), END])],
    ['a pax size overrides the header size', Buffer.concat([pax('x', { size: '3' }), file('f', 'abc'), END])],
    ['a zero block then more entries', Buffer.concat([file('a', '1'), Buffer.alloc(512), file('hidden', '2'), END])],
    ['a legacy regular file named like a directory', Buffer.concat([header('d/', '\0', 0, plain), file('d/f', 'x'), END])],
    ['GNU magic with a text prefix (pre-Go 1.8 writers)', Buffer.concat([edited(header('f', '0', 1, { ...plain, dialect: 'gnu' }), (b) => b.write('usr/lib', 345, 'latin1')), padded(Buffer.from('z')), END])],
    ['star layout: a 131-byte prefix, then times', Buffer.concat([edited(header('f', '0', 1, plain), (b) => { b.write('opt/star', 345, 'latin1'); b.write('tar\0', 508, 'latin1'); }), padded(Buffer.from('z')), END])],
    ['a signed checksum (old Sun tar)', Buffer.concat([(() => { const b = header('caf\u00e9', '0', 1, plain); b[99] = 0xe9; b.write('        ', 148, 'latin1'); let sum = 0; for (const x of b) sum += x < 128 ? x : x - 256; b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1'); return b; })(), padded(Buffer.from('z')), END])],
    ['an old GNU sparse file', Buffer.concat([sparse, padded(Buffer.alloc(512, 0x41)), END])],
    [
      'a pax sparse file (GNU 1.0, as tar --sparse --format=pax writes): its real name and expanded content',
      Buffer.concat([
        pax('x', { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'var/lib/dpkg/status', 'GNU.sparse.realsize': '2048' }),
        header('./GNUSparseFile.0/status', '0', 1024, plain),
        padded(Buffer.from('1\n1024\n512\n', 'latin1')),
        Buffer.alloc(512, 0x42),
        END,
      ]),
    ],
    [
      'a pax sparse file (GNU 0.1: the map in a record)',
      Buffer.concat([
        pax('x', { 'GNU.sparse.size': '1536', 'GNU.sparse.numblocks': '1', 'GNU.sparse.map': '512,512', 'GNU.sparse.name': 'etc/secret' }),
        header('./GNUSparseFile.0/secret', '0', 512, plain),
        Buffer.alloc(512, 0x43),
        END,
      ]),
    ],
    [
      'a pax sparse file (GNU 0.0: repeated offset and numbytes records)',
      Buffer.concat([
        (() => {
          const data = Buffer.from(paxRecords({ 'GNU.sparse.size': '4096', 'GNU.sparse.numblocks': '2' }).toString('latin1') + paxRecords({ 'GNU.sparse.offset': '0' }).toString('latin1') + paxRecords({ 'GNU.sparse.numbytes': '3' }).toString('latin1') + paxRecords({ 'GNU.sparse.offset': '4000' }).toString('latin1') + paxRecords({ 'GNU.sparse.numbytes': '4' }).toString('latin1'), 'latin1');
          return Buffer.concat([header('PaxHeaders/x', 'x', data.length, plain), padded(data)]);
        })(),
        header('usr/bin/tool', '0', 7, plain),
        padded(Buffer.from('abcdefg', 'latin1')),
        END,
      ]),
    ],
    [
      'a 1.0 sparse map longer than a block',
      (() => {
        const frags = Array.from({ length: 60 }, (_, i) => [i * 100, 10]);
        const map = Buffer.from(`${frags.length}\n${frags.map(([o, l]) => `${o}\n${l}\n`).join('')}`, 'latin1');
        const data = Buffer.alloc(600, 0x44);
        const stored = Buffer.concat([padded(map), data]);
        return Buffer.concat([pax('x', { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'big', 'GNU.sparse.realsize': '6000' }), header('x', '0', stored.length, plain), padded(stored), END]);
      })(),
    ],
    ['a symlink whose size field claims data: Go reads none, so what follows is entries', Buffer.concat([header('link', '2', 1024, { ...plain }, 'target'), file('hidden/one', 'x'), file('hidden/two', 'y'), END])],
    ['a directory whose size field claims data', Buffer.concat([header('dir/', '5', 512, plain), file('dir/secret', 'z'), END])],
    ['a GNU long name beats a pax path', Buffer.concat([pax('x', { path: 'from/pax' }), (() => { const d = Buffer.from('from/gnu\0'); return Buffer.concat([header('././@LongLink', 'L', d.length, { ...plain, dialect: 'gnu' }), padded(d)]); })(), file('header-name', 'q'), END])],
    ['an empty pax path keeps the header name', Buffer.concat([pax('x', { path: '' }), file('kept', 'k'), END])],
    ['a second pax header replaces the first', Buffer.concat([pax('x', { path: 'first' }), pax('x', { linkpath: 'l' }), file('second', 's'), END])],
    // malformed sparse files: Go refuses each, so must bosun
    ...([
      ['overlapping fragments', { 'GNU.sparse.size': '100', 'GNU.sparse.numblocks': '2', 'GNU.sparse.map': '0,10,5,10' }, 20],
      ['a fragment beyond the size', { 'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '1', 'GNU.sparse.map': '5,10' }, 10],
      ['a map shorter than its count', { 'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '2', 'GNU.sparse.map': '0,1' }, 1],
      ['less data than the map', { 'GNU.sparse.size': '100', 'GNU.sparse.numblocks': '1', 'GNU.sparse.map': '0,50' }, 10],
      ['more data than the map', { 'GNU.sparse.size': '100', 'GNU.sparse.numblocks': '1', 'GNU.sparse.map': '0,5' }, 10],
      ['a non-numeric map', { 'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '1', 'GNU.sparse.map': '0,x' }, 1],
    ] as const).map(([what, records, stored]): [string, Buffer] => [`a sparse file with ${what}`, Buffer.concat([pax('x', records), header('s', '0', stored, plain), padded(Buffer.alloc(stored, 0x45)), END])]),
    ['a 1.0 sparse map that is not numbers', Buffer.concat([pax('x', { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' }), header('s', '0', 512, plain), padded(Buffer.from('one\ntwo\n', 'latin1')), END])],
    ['a 1.0 sparse map cut short by the data', Buffer.concat([pax('x', { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' }), header('s', '0', 512, plain), padded(Buffer.from('3\n0\n1\n', 'latin1')), END])],
  ];
  const go = goRead(cases.map(([, a]) => a));
  const wrong: string[] = [];
  cases.forEach(([label, a], i) => {
    const theirs = go[i]!;
    const ours = bosunRead(a, 7);
    // containerd refuses a layer with an old GNU sparse entry ('S'), which it does not unpack: so does bosun
    if (Array.isArray(theirs) && theirs.some((e) => e.type === 'S')) {
      if (Array.isArray(ours)) wrong.push(`${label}: an old GNU sparse entry, which bosun reads (${JSON.stringify(ours.map((e) => e.name))}) instead of refusing`);
      return;
    }
    if (!Array.isArray(theirs)) {
      if (Array.isArray(ours)) wrong.push(`${label}: Go refuses (${theirs.error}), bosun reads ${JSON.stringify(ours.map((e) => e.name))}`);
      return;
    }
    if (!Array.isArray(ours)) return void wrong.push(`${label}: bosun refuses (${ours.error}), Go reads ${JSON.stringify(theirs.map((e) => [e.name, e.type, e.size]))}`);
    const want = normalise(theirs);
    if (JSON.stringify(ours) !== JSON.stringify(want)) wrong.push(`${label}:\n  bosun ${JSON.stringify(ours.map((e) => [e.name, e.type, e.size, e.body.length]))}\n  Go    ${JSON.stringify(want.map((e) => [e.name, e.type, e.size, e.body.length]))}`);
  });
  assert.deepEqual(wrong, []);
});

test('the archive index (oci-archive, docker-archive) reads the same members as Go', { skip }, async () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129) + 1);
  const archives = Array.from({ length: 120 }, () => archive(randomSpecs(rnd)));
  const go = goRead(archives);
  const dir = mkdtempSync(join(tmpdir(), 'bosun-tar-index-'));
  const wrong: string[] = [];
  try {
    for (let i = 0; i < archives.length; i++) {
      const file = join(dir, `${i}.tar`);
      writeFileSync(file, archives[i]!);
      const theirs = go[i]!;
      let ours: Array<[string, string, string]>;
      try {
        const index = await indexTarFile(file, 'test');
        ours = [];
        for (const [name, m] of index) ours.push([name, m.type, m.type === 'file' ? (await readMember(file, m, 1 << 20, 'test')).toString('latin1') : '']);
      } catch (err) {
        if (Array.isArray(theirs)) wrong.push(`${i}: index refuses (${(err as Error).message}), Go reads ${theirs.length}`);
        continue;
      }
      if (!Array.isArray(theirs)) {
        wrong.push(`${i}: Go refuses (${theirs.error}), the index reads ${ours.length}`);
        continue;
      }
      const names: Record<string, string> = { '0': 'file', '1': 'hardlink', '2': 'symlink', '5': 'dir' };
      const want = normalise(theirs).map((e): [string, string, string] => [e.name.replace(/^\.\//, ''), names[e.type] ?? 'other', e.body]);
      if (JSON.stringify(ours) !== JSON.stringify(want)) wrong.push(`${i}:\n  index ${JSON.stringify(ours.map((e) => [e[0], e[1], e[2].length]))}\n  Go    ${JSON.stringify(want.map((e) => [e[0], e[1], e[2].length]))}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${archives.length}`);
});

test('a 1.0 sparse map is held to 1 MiB: a larger one is refused, not gathered', () => {
  const lines = `${2 ** 40}\n${'0\n1\n'.repeat(300_000)}`; // a count no data can satisfy, 1.2 MB of map
  const map = Buffer.from(lines, 'latin1');
  const records = paxRecords({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' });
  const plain: Spec = { name: 'x', typeflag: '0', body: Buffer.alloc(0), dialect: 'ustar', numbers: 'zeros-nul' };
  const stream = Buffer.concat([header('PaxHeaders/x', 'x', records.length, plain), padded(records), header('s', '0', padded(map).length, plain), padded(map), Buffer.alloc(1024)]);
  const read = bosunRead(stream, 64 * 1024);
  assert.ok(!Array.isArray(read));
  assert.match(read.error, /^tar sparse file s: map larger than 1048576 bytes$/);
});
