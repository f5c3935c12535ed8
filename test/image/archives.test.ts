import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { scanImage } from '../../src/image/scan.ts';
import { makeTar, writeDockerArchiveOci, writeLayout, type TarEntry } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bosun-archives-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const pj = (name: string) => JSON.stringify({ name, version: '1.0.0', license: 'MIT' });
const pkgLayer = (name: string) => makeTar([{ name: `usr/lib/node_modules/${name}/package.json`, body: pj(name) }]);

/** Every file of a directory as tar entries (what `skopeo copy … oci-archive:` packs), `./`-prefixed. */
function dirEntries(dir: string, prefix = './'): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ name: `${prefix}${relative(dir, full)}`, body: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

function ociArchive(name: string, extra: TarEntry[] = []): string {
  const dir = join(tmp, `${name}-layout`);
  writeLayout(dir, [pkgLayer('first'), pkgLayer('second')]);
  const file = join(tmp, `${name}.tar`);
  writeFileSync(file, makeTar([...dirEntries(dir), ...extra]));
  return file;
}

describe('oci-archive sources', () => {
  test('oci-archive:FILE and FILE:TAG read the layout in the tar in place, like the same oci-layout directory', async () => {
    const file = ociArchive('plain');
    const fromDir = await scanImage(`oci-layout:${join(tmp, 'plain-layout')}:t`, { config: false, scanners: [] });
    for (const ref of [`oci-archive:${file}`, `oci-archive:${file}:t`, file, `docker-archive:${file}`]) {
      const r = await scanImage(ref, { config: false, scanners: [] });
      assert.equal(r.image.source, 'oci-archive', ref);
      assert.deepEqual(r.packages, fromDir.packages, ref);
      assert.equal(r.image.digest, fromDir.image.digest);
      assert.deepEqual(r.errors, []);
    }
    await assert.rejects(scanImage(`oci-archive:${file}:nope`, { config: false }), { code: 'E_IMAGE_NOT_FOUND' });
  });

  test('a bare .tar path with manifest.json is a docker-archive', async () => {
    const file = join(tmp, 'docker25.tar');
    writeDockerArchiveOci(file, [pkgLayer('only')], 'example/app:3');
    const r = await scanImage(file, { config: false, scanners: [] });
    assert.equal(r.image.source, 'docker-archive');
    assert.deepEqual(r.packages.map((p) => p.name), ['only']);
  });

  test('members outside the archive root are refused, naming the member', async () => {
    // A pax header can carry the name too.
    const rec = (kv: string) => {
      let len = kv.length + 3;
      while (`${len} ${kv}\n`.length !== len) len = `${len} ${kv}\n`.length;
      return `${len} ${kv}\n`;
    };
    const pax = ociArchive('pax', [{ name: 'PaxHeader', type: 'x', body: rec('path=../../evil') }, { name: 'harmless', body: 'x' }]);
    await assert.rejects(scanImage(`oci-archive:${pax}`, { config: false }), /member "\.\.\/\.\.\/evil" is outside the archive root/);
    for (const bad of ['../../etc/cron.d/evil', '/etc/passwd', 'blobs/../../x']) {
      const file = ociArchive('traversal', [{ name: bad, body: 'x' }]);
      await assert.rejects(scanImage(`oci-archive:${file}`, { config: false }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'E_TAR_UNSAFE_PATH');
        assert.ok(err.message.includes(`member "${bad}" is outside the archive root`), err.message);
        return true;
      });
    }
  });

  test('a blob that is a link inside the archive, a gzip file and a non-tar are clear errors', async () => {
    const dir = join(tmp, 'link-layout');
    writeLayout(dir, [pkgLayer('a')]);
    const entries = dirEntries(dir);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
    const layerName = `./blobs/sha256/${manifest.layers[0]!.digest.slice(7)}`;
    const linked = entries.map((e) => (e.name === layerName ? { name: e.name, type: '1' as const, linkname: './oci-layout' } : e));
    const file = join(tmp, 'link.tar');
    writeFileSync(file, makeTar(linked));
    await assert.rejects(scanImage(`oci-archive:${file}`, { config: false }), /is not a regular file in the archive/);

    const gz = join(tmp, 'gz.tar');
    writeFileSync(gz, gzipSync(makeTar(entries)));
    await assert.rejects(scanImage(`oci-archive:${gz}`, { config: false }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_IMAGE_CORRUPT');
      assert.match(err.message, /gz\.tar is gzip-compressed; decompress it to a plain tar first$/);
      return true;
    });
    const junk = join(tmp, 'junk.tar');
    writeFileSync(junk, Buffer.alloc(4096, 'not a tar '));
    await assert.rejects(scanImage(junk, { config: false }), /not a tar archive \(bad header checksum at byte 0/);
    const noLayout = join(tmp, 'nolayout.tar');
    writeFileSync(noLayout, makeTar([{ name: 'hello.txt', body: 'hi' }]));
    await assert.rejects(scanImage(`oci-archive:${noLayout}`, { config: false }), /not an OCI archive \(no oci-layout and index\.json/);
  });
});
