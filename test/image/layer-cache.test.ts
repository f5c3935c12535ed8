import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { chainIds, LayerCache } from '../../src/image/layer-cache.ts';
import { PathTable } from '../../src/image/path-table.ts';
import { scanSource, type ImageScanOptions } from '../../src/image/scan.ts';
import { openImage } from '../../src/image/sources/open.ts';
import type { ImageSource } from '../../src/image/sources/types.ts';
import type { InventoryReport } from '../../src/image/report.ts';
import { EMPTY_CONFIG } from '../../src/config/types.ts';
import { makeTar, writeLayout, type TarEntry } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bosun-layer-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const pj = (name: string, version: string) => JSON.stringify({ name, version, license: 'ISC' });
const layers = (...ls: TarEntry[][]) => ls.map((l) => makeTar(l));

function layout(tars: Buffer[]): string {
  const dir = join(tmp, `img${n++}`);
  writeLayout(dir, tars);
  return `oci-layout:${dir}:t`;
}

/** Scans with a source whose layer reads are counted per layer index. */
async function countedScan(ref: string, options: ImageScanOptions = {}): Promise<{ report: InventoryReport; reads: number[] }> {
  const source = await openImage(ref);
  const reads = source.layers.map(() => 0);
  const counted: ImageSource = {
    ...source,
    openLayer(i) {
      reads[i]!++;
      return source.openLayer(i);
    },
  };
  const report = await scanSource(counted, EMPTY_CONFIG, { scanners: ['secret'], ...options });
  return { report, reads };
}

const view = (r: InventoryReport) => ({ packages: r.packages, findings: r.findings.map((f) => `${f.ruleId} ${JSON.stringify(f.location)} ${f.message}`), errors: r.errors, os: r.os });

const BASE1: TarEntry[] = [
  { name: 'etc/os-release', body: 'ID=alpine\nVERSION_ID=3.20.1\n' },
  { name: 'usr/lib/node_modules/a/package.json', body: pj('a', '1.0.0') },
  { name: 'usr/lib/node_modules/b/package.json', body: pj('b', '1.0.0') },
  { name: 'opt/blob.json', body: pj('linked', '9.9.9') },
  { name: 'srv/.env', body: 'AWS_ACCESS_KEY_ID=AKIAQYLPMN5HFIQR7XQZ\n' },
  { name: '../escape', body: 'x' },
];
const BASE2: TarEntry[] = [{ name: 'usr/lib/node_modules/c/package.json', body: pj('c', '2.0.0') }];

describe('hardlinks', () => {
  test('the per-layer path table is exact: many paths, overwrites, UTF-8 and long names', () => {
    const t = new PathTable();
    const long = `deep/${'d/'.repeat(3000)}file`;
    for (let i = 0; i < 50_000; i++) t.set(`usr/lib/node_modules/p${i % 977}/f${i}.js`, { size: i * 4099, mode: 0o644 + (i % 8), quiet: i % 3 === 0 ? 1 << 30 : i % 5 });
    t.set('usr/share/clé/ключ', { size: 2 ** 40 + 3, mode: 0o104755, quiet: 7 });
    t.set(long, { size: 1, mode: 0o600, quiet: 0 });
    t.set('usr/lib/node_modules/p0/f0.js', { size: 5, mode: 0o755, quiet: 2 });
    assert.equal(t.size, 50_002);
    for (let i = 1; i < 50_000; i += 997) assert.deepEqual(t.get(`usr/lib/node_modules/p${i % 977}/f${i}.js`), { size: i * 4099, mode: 0o644 + (i % 8), quiet: i % 3 === 0 ? 1 << 30 : i % 5 });
    assert.deepEqual(t.get('usr/lib/node_modules/p0/f0.js'), { size: 5, mode: 0o755, quiet: 2 });
    assert.deepEqual(t.get('usr/share/clé/ключ'), { size: 2 ** 40 + 3, mode: 0o104755, quiet: 7 });
    assert.deepEqual(t.get(long), { size: 1, mode: 0o600, quiet: 0 });
    assert.equal(t.get('usr/lib/node_modules/p0/f0.j'), undefined);
    assert.equal(t.get('usr/share/cle/ключ'), undefined);
    t.clear();
    assert.equal(t.get(long), undefined);
    assert.equal(t.size, 0);
  });

  test('a hardlink in the same layer is analysed with its target under its own path; one extra read only when needed', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(70 * 1024, 1)]);
    const ref = layout(layers([
      { name: 'opt/store/pkg.json', body: pj('via-link', '1.2.3') },
      { name: 'usr/lib/node_modules/via-link/package.json', type: '1', linkname: 'opt/store/pkg.json' },
      { name: 'usr/share/doc/app/notes', body: 'token = "ghp_0123456789abcdefghijABCDEFGHIJ012345"\n' },
      { name: 'srv/app/config.txt', type: '1', linkname: './usr/share/doc/app/notes' },
    ]));
    const r = await countedScan(ref);
    assert.deepEqual(r.reads, [2]);
    assert.deepEqual(r.report.errors, []);
    assert.deepEqual(r.report.packages.map((p) => `${p.name}@${p.version} ${p.path}`), ['via-link@1.2.3 usr/lib/node_modules/via-link/package.json']);
    // The doc path is allow-listed for secrets; the same bytes under /srv are not.
    assert.deepEqual(r.report.findings.map((f) => `${f.ruleId} ${f.location?.file}`), ['secret/github-pat srv/app/config.txt']);

    // Links whose analyzers already read the target and found nothing (perl and perl5.36.0): no extra read.
    const quiet = layout(layers([
      { name: 'usr/bin/perl5.36.0', body: elf, mode: 0o755 },
      { name: 'usr/bin/perl', type: '1', linkname: 'usr/bin/perl5.36.0', mode: 0o755 },
      { name: 'usr/bin/suid', body: 'x', mode: 0o4755 },
      { name: 'usr/bin/suid2', type: '1', linkname: 'usr/bin/suid', mode: 0o4755 },
    ]));
    const q = await countedScan(quiet, { scanners: ['secret', 'hardening'] });
    assert.deepEqual(q.reads, [1]);
    assert.deepEqual(q.report.errors, []);
  });

  test('hardlinks to a deleted or missing target are reported and ignored', async () => {
    const ref = layout(layers(
      [{ name: 'opt/a.json', body: pj('gone', '1.0.0') }],
      [{ name: 'opt/.wh.a.json', body: '' }],
      [
        { name: 'usr/lib/node_modules/gone/package.json', type: '1', linkname: 'opt/a.json' },
        { name: 'usr/lib/node_modules/none/package.json', type: '1', linkname: 'opt/none.json' },
      ],
    ));
    const r = await countedScan(ref);
    assert.deepEqual(r.report.packages, []);
    assert.deepEqual(r.report.errors.map((e) => e.message.replace(/^.*?\): /, '')), [
      'hardlink /usr/lib/node_modules/gone/package.json → /opt/a.json: the target was deleted by a lower layer; ignored',
      'hardlink /usr/lib/node_modules/none/package.json → /opt/none.json: the target is in neither this layer nor a lower one; ignored',
    ]);
    assert.ok(r.report.errors.every((e) => e.code === 'E_TAR_LINK_TARGET'));
  });
});

describe('per-layer analysis cache', () => {
  test('chain IDs follow the OCI definition', () => {
    const [a, b] = ['sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)];
    const c = chainIds([a, b]);
    assert.equal(c[0], a);
    assert.match(c[1]!, /^sha256:[a-f0-9]{64}$/);
    assert.notEqual(c[1], chainIds([b, a])[1]);
  });

  test('a second image on the same base reads only its own layers; whiteouts into cached layers still apply', async () => {
    const cache = new LayerCache(join(tmp, 'cache1'));
    const [b1, b2] = layers(BASE1, BASE2);
    const first = layout([b1!, b2!, makeTar([{ name: 'usr/lib/node_modules/x/package.json', body: pj('x', '1.0.0') }])]);
    const second = layout([
      b1!,
      b2!,
      makeTar([
        { name: 'usr/lib/node_modules/.wh.a', body: '' },
        { name: 'usr/lib/node_modules/b/package.json', body: pj('b', '1.1.0') },
        { name: 'srv/.wh..wh..opq', body: '' },
      ]),
    ]);
    const one = await countedScan(first, { layerCache: cache });
    assert.deepEqual(one.reads, [1, 1, 1]);
    assert.equal(cache.writes, 3);
    assert.deepEqual(one.report.errors.map((e) => e.code), ['E_TAR_UNSAFE_PATH']);

    const uncached = await countedScan(second);
    const two = await countedScan(second, { layerCache: cache });
    assert.deepEqual(two.reads, [0, 0, 1]);
    assert.equal(cache.hits, 2);
    assert.deepEqual(view(two.report), view(uncached.report));
    assert.deepEqual(two.report.packages.map((p) => `${p.name}@${p.version} L${two.report.image.layers.findIndex((l) => l.diffId === p.layer) + 1}`), ['b@1.1.0 L3', 'c@2.0.0 L2']);
    // The cached layer's warning is replayed, naming this image.
    assert.equal(two.report.errors.length, 1);
    assert.ok(two.report.errors[0]!.message.startsWith(`${second}: layer 1 `), two.report.errors[0]!.message);
    // The secret deleted by the opaque directory is still reported (secrets persist), from the cache.
    assert.deepEqual(two.report.findings.map((f) => f.ruleId), uncached.report.findings.map((f) => f.ruleId));
    assert.ok(two.report.findings.some((f) => f.ruleId === 'secret/aws-access-key-id'));
    assert.equal(two.report.image.layers.length, 3);
  });

  test('a hardlink into a cached lower layer: read once to resolve it, then cached with the outcome', async () => {
    const cache = new LayerCache(join(tmp, 'cache-links'));
    const [b1, b2] = layers(BASE1, BASE2);
    await countedScan(layout([b1!, b2!]), { layerCache: cache });
    const linked = layout([b1!, b2!, makeTar([{ name: 'usr/lib/node_modules/linked/package.json', type: '1', linkname: 'opt/blob.json' }])]);
    const uncached = await countedScan(linked);
    const two = await countedScan(linked, { layerCache: cache });
    // Layers 1 and 2 are searched (one pass each) for the link's target, as on a first scan.
    assert.deepEqual(two.reads, [1, 1, 1]);
    assert.deepEqual(uncached.reads, [2, 2, 1]);
    assert.deepEqual(view(two.report), view(uncached.report));
    assert.ok(two.report.packages.some((p) => p.name === 'linked' && p.path === 'usr/lib/node_modules/linked/package.json' && p.layer === two.report.image.layers[2]!.diffId));
    const three = await countedScan(linked, { layerCache: cache });
    assert.deepEqual(three.reads, [0, 0, 0]);
    assert.deepEqual(view(three.report), view(uncached.report));
  });

  test('another analyzer set or secret settings is another key; a corrupt record is a miss', async () => {
    const dir = join(tmp, 'cache2');
    const ref = layout(layers(BASE1, BASE2));
    await countedScan(ref, { layerCache: new LayerCache(dir) });
    assert.deepEqual((await countedScan(ref, { layerCache: new LayerCache(dir) })).reads, [0, 0]);
    assert.deepEqual((await countedScan(ref, { layerCache: new LayerCache(dir), scanners: [] })).reads, [1, 1]);
    const source = await openImage(ref);
    let reads = 0;
    const config = { ...EMPTY_CONFIG, secrets: { disable: ['aws-access-key-id'] } };
    await scanSource({ ...source, openLayer: (i) => (reads++, source.openLayer(i)) }, config as typeof EMPTY_CONFIG, { scanners: ['secret'], layerCache: new LayerCache(dir) });
    assert.equal(reads, 2);
    const files = readdirSync(join(dir, 'layers/sha256'));
    assert.ok(files.length >= 6 && files.every((f) => /^[a-f0-9]{64}\.json$/.test(f)), files.join());
    for (const f of files) writeFileSync(join(dir, 'layers/sha256', f), '{"format":1,');
    const after = await countedScan(ref, { layerCache: new LayerCache(dir) });
    assert.deepEqual(after.reads, [1, 1]);
    assert.deepEqual(after.report.packages.map((p) => p.name), ['a', 'b', 'c']);
  });
});
