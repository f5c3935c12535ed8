import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { scanImage } from '../../src/image/scan.ts';
import { normalizeEntryPath, resolveLinkTarget } from '../../src/image/walker.ts';
import { makeTar, writeDockerArchiveOci, writeLayout, writeMultiPlatformLayout, type LayoutOptions, type TarEntry } from './fixtures.ts';
import { parsePlatform } from '../../src/image/platform.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bosun-walker-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function layout(layers: TarEntry[][], opts?: LayoutOptions): string {
  const dir = join(tmp, `l${n++}`);
  writeLayout(dir, layers.map((l) => makeTar(l)), opts);
  return `oci-layout:${dir}:t`;
}
const scan = (ref: string, limits?: { maxLayerBytes?: number }) => scanImage(ref, { config: false, scanners: [], ...(limits && { limits }) });
const apk = (...pkgs: string[]) => pkgs.map((p) => `P:${p.split('@')[0]}\nV:${p.split('@')[1]}\nA:x86_64\nL:MIT\n`).join('\n');
const pj = (name: string, version: string) => JSON.stringify({ name, version, license: 'ISC' });

describe('paths', () => {
  test('normalisation and link targets', () => {
    assert.equal(normalizeEntryPath('./etc/os-release'), 'etc/os-release');
    assert.equal(normalizeEntryPath('/etc//./x/../os-release'), 'etc/os-release');
    assert.equal(normalizeEntryPath('../../etc/passwd'), undefined);
    assert.equal(normalizeEntryPath('a/../../b'), undefined);
    assert.equal(resolveLinkTarget('usr/bin/sh', 'dash', false), 'usr/bin/dash');
    assert.equal(resolveLinkTarget('usr/bin/sh', '/bin/dash', false), 'bin/dash');
    assert.equal(resolveLinkTarget('a/link', '../../../etc/shadow', false), undefined);
    assert.equal(resolveLinkTarget('a/hard', '../x', true), undefined);
  });
});

describe('layer walker', () => {
  test('whiteouts, opaque directories and replaced files across layers', async () => {
    const ref = layout([
      [
        { name: 'etc/', type: '5' },
        { name: 'etc/os-release', body: 'ID=alpine\nVERSION_ID=3.20.1\nPRETTY_NAME="Alpine Linux v3.20"\n' },
        { name: 'lib/apk/db/installed', body: apk('musl@1.2.5-r0', 'busybox@1.36.1-r29') },
        { name: 'usr/lib/node_modules/a/package.json', body: pj('a', '1.0.0') },
        { name: 'usr/lib/node_modules/keep/package.json', body: pj('keep', '2.0.0') },
        { name: 'opt/x/node_modules/b/package.json', body: pj('b', '1.0.0') },
      ],
      [
        { name: 'usr/lib/node_modules/.wh.a', body: '' },
        { name: 'opt/x/.wh..wh..opq', body: '' },
        { name: 'opt/x/node_modules/c/package.json', body: pj('c', '3.0.0') },
        { name: 'lib/apk/db/installed', body: apk('musl@1.2.5-r1') },
      ],
    ]);
    const r = await scan(ref);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.os, { family: 'alpine', version: '3.20.1', name: 'Alpine Linux v3.20' });
    const l1 = r.image.layers[0]!.diffId;
    const l2 = r.image.layers[1]!.diffId;
    assert.deepEqual(
      r.packages.map((p) => `${p.purl} ${p.layer === l1 ? 1 : p.layer === l2 ? 2 : '?'} ${p.licenses.join()}`),
      [
        'pkg:apk/alpine/musl@1.2.5-r1?arch=x86_64&distro=alpine-3.20.1 2 MIT',
        'pkg:npm/c@3.0.0 2 ISC',
        'pkg:npm/keep@2.0.0 1 ISC',
      ],
    );
  });

  test('path traversal and links escaping the root are reported and skipped; devices ignored', async () => {
    const ref = layout([
      [
        { name: '../../evil/node_modules/x/package.json', body: pj('x', '1.0.0') },
        { name: 'a/link', type: '2', linkname: '../../../etc/shadow' },
        { name: 'a/hard', type: '1', linkname: '../../outside' },
        { name: 'dev/null', type: '3' },
        { name: 'usr/lib/node_modules/ok/package.json', body: pj('ok', '1.0.0') },
        { name: '/abs/node_modules/y/package.json', body: pj('y', '1.0.0') },
      ],
    ]);
    const r = await scan(ref);
    assert.deepEqual(r.errors.map((e) => e.code), ['E_TAR_UNSAFE_PATH', 'E_TAR_LINK_ESCAPE', 'E_TAR_LINK_ESCAPE']);
    assert.match(r.errors[0]!.message, /entry "\.\.\/\.\.\/evil\/node_modules\/x\/package\.json" is outside the image root/);
    assert.deepEqual(r.packages.map((p) => `${p.name} ${p.path}`), ['ok usr/lib/node_modules/ok/package.json', 'y abs/node_modules/y/package.json']);
  });

  test('a truncated layer is E_LAYER_TRUNCATED (gzip and plain tar)', async () => {
    const tar = makeTar([{ name: 'big', body: Buffer.alloc(100_000, 7) }]);
    for (const compression of ['gzip', 'none'] as const) {
      const dir = join(tmp, `trunc-${compression}`);
      writeLayout(dir, [tar.subarray(0, 50_000)], { compression });
      await assert.rejects(scan(`oci-layout:${dir}:t`, {}), { code: 'E_LAYER_TRUNCATED' });
    }
  });

  test('gzip and zstd bombs stop at the per-layer decompressed cap', async () => {
    const tar = makeTar([{ name: 'zeros', body: Buffer.alloc(20 * 1024 * 1024) }]);
    for (const compression of ['gzip', 'zstd'] as const) {
      const dir = join(tmp, `bomb-${compression}`);
      writeLayout(dir, [tar], { compression });
      await assert.rejects(scan(`oci-layout:${dir}:t`, { maxLayerBytes: 1024 * 1024 }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'E_LAYER_TOO_LARGE');
        assert.match(err.message, /layer 1 .*decompresses to more than 1048576 bytes/);
        return true;
      });
    }
  });

  test('a compression ratio no real layer has stops the walk without a size cap', async () => {
    const dir = join(tmp, 'ratio');
    writeLayout(dir, [makeTar([{ name: 'zeros', body: Buffer.alloc(20 * 1024 * 1024) }])], { compression: 'gzip' });
    await assert.rejects(scanImage(`oci-layout:${dir}:t`, { config: false, scanners: [], limits: { ratioCheckAfterBytes: 4 * 1024 * 1024 } }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_LAYER_TOO_LARGE');
      assert.match(err.message, /decompresses more than 500 times its compressed size/);
      return true;
    });
  });

  test('unknown layer media types, wrong diff IDs and a missing blob are errors', async () => {
    await assert.rejects(scan(layout([[{ name: 'a', body: 'x' }]], { layerMediaType: 'application/x-unknown' })), { code: 'E_IMAGE_MEDIA_TYPE' });
    await assert.rejects(scan(layout([[{ name: 'a', body: 'x' }]], { badDiffId: true })), { code: 'E_DIGEST_MISMATCH' });
    await assert.rejects(scan(`oci-layout:${join(tmp, 'nope')}`), { code: 'E_IMAGE_NOT_FOUND' });
    await assert.rejects(scan(layout([[{ name: 'a', body: 'x' }]]).replace(':t', ':other')), { code: 'E_IMAGE_NOT_FOUND' });
  });

  test('a corrupt package database is reported; the rest of the inventory stands', async () => {
    const r = await scan(layout([[
      { name: 'lib/apk/db/installed', body: 'garbage line\n' },
      { name: 'var/lib/dpkg/status', body: 'Package: ok\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n' },
    ]]));
    assert.deepEqual(r.errors.map((e) => e.code), ['E_PACKAGE_DB']);
    assert.match(r.errors[0]!.message, /\/lib\/apk\/db\/installed: apk database: malformed line "garbage line"/);
    assert.deepEqual(r.packages.map((p) => p.purl), ['pkg:deb/debian/ok@1.0?arch=amd64']);
  });

  test('a non-tar layer is E_LAYER_CORRUPT', async () => {
    const dir = join(tmp, 'notar');
    writeLayout(dir, [gzipSync(Buffer.alloc(2048, 65))], { compression: 'none' });
    await assert.rejects(scan(`oci-layout:${dir}:t`), { code: 'E_LAYER_CORRUPT' });
  });
});

describe('platforms and archive layouts', () => {
  const pkgLayer = (name: string) => makeTar([{ name: `usr/lib/node_modules/${name}/package.json`, body: pj(name, '1.0.0') }]);

  test('an index selects the image for --platform; a missing platform lists what exists', async () => {
    const dir = join(tmp, 'multi');
    writeMultiPlatformLayout(dir, [
      { platform: { os: 'linux', architecture: 'amd64' }, layer: pkgLayer('on-amd64') },
      { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layer: pkgLayer('on-arm64') },
    ]);
    const amd = await scanImage(`oci-layout:${dir}:t`, { config: false, scanners: [], platform: parsePlatform('linux/amd64') });
    assert.deepEqual(amd.packages.map((p) => p.name), ['on-amd64']);
    assert.equal(amd.image.platform, 'linux/amd64');
    const arm = await scanImage(`oci-layout:${dir}:t`, { config: false, scanners: [], platform: parsePlatform('linux/arm64') });
    assert.deepEqual(arm.packages.map((p) => p.name), ['on-arm64']);
    assert.equal(arm.image.platform, 'linux/arm64/v8');
    await assert.rejects(scanImage(`oci-layout:${dir}:t`, { config: false, platform: parsePlatform('linux/s390x') }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_IMAGE_PLATFORM');
      assert.match(err.message, /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/);
      return true;
    });
  });

  test('docker-archive in the Docker 25+ layout (OCI blobs inside the tar), selected by repo tag', async () => {
    const file = join(tmp, 'd25.tar');
    writeDockerArchiveOci(file, [pkgLayer('first'), pkgLayer('second')], 'example/app:2');
    const r = await scanImage(`docker-archive:${file}:example/app:2`, { config: false, scanners: ['hardening'] });
    assert.deepEqual(r.packages.map((p) => p.name), ['first', 'second']);
    assert.deepEqual(r.image.repoTags, ['example/app:2']);
    assert.equal(r.image.layers.length, 2);
    assert.ok(!r.findings.some((f) => f.ruleId === 'IMAGE-ROOT-USER'));
    await assert.rejects(scanImage(`docker-archive:${file}:other/app:1`, { config: false }), { code: 'E_IMAGE_NOT_FOUND' });
  });
});
