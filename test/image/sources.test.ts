import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from '../helpers.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scanImage, scanSource } from '../../src/image/scan.ts';
import { LayerCache } from '../../src/image/layer-cache.ts';
import { openImage } from '../../src/image/sources/open.ts';
import { EMPTY_CONFIG } from '../../src/config/types.ts';
import { BlobCache } from '../../src/image/blob-cache.ts';
import type { InventoryReport } from '../../src/image/report.ts';
import { distSkip, integrationSkip, testImages, type TestImages } from './images.ts';
import { push, startRegistry, startTokenGate, type RunningRegistry } from './registry.ts';

const BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const skip = integrationSkip(['debootstrap', 'umoci', 'skopeo', 'go', 'docker-registry', 'htpasswd']);

const pkgKey = (r: InventoryReport) => r.packages.map((p) => `${p.purl} ${p.layer ?? '-'} ${p.path} ${p.licenses.join('|')} ${p.source?.name ?? ''}@${p.source?.version ?? ''}`);

describe('image sources on real images', { skip }, () => {
  let imgs: TestImages;
  let anon: RunningRegistry;
  let basic: RunningRegistry;
  let tmp: string;
  const creds = { username: 'bosun', password: 's3cret-pass' };
  before(async () => {
    imgs = testImages()!;
    tmp = mkdtempSync(join(tmpdir(), 'bosun-img-test-'));
    anon = await startRegistry();
    basic = await startRegistry(creds);
    push(`oci:${imgs.oci}:debian`, anon.host, 'bosun/debian:bookworm');
    push(`oci:${imgs.oci}:app`, anon.host, 'bosun/app:1.0');
    push(`oci:${imgs.ociZstd}:debian`, anon.host, 'bosun/debian-zstd:bookworm');
    push(`oci:${imgs.oci}:debian`, basic.host, 'private/debian:bookworm', creds);
  });
  after(async () => {
    await anon?.stop();
    await basic?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });
  const opts = () => ({ config: false as const, cache: new BlobCache(join(tmp, 'cache')), insecure: true, scanners: [] });

  test('dpkg inventory equals dpkg-query on the same rootfs', async () => {
    const r = await scanImage(`rootfs:${imgs.rootfs}`, opts());
    const want = readFileSync(join(imgs.dir, 'dpkg-query.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t').join(' ')).sort();
    const got = r.packages.filter((p) => p.ecosystem === 'deb').map((p) => `${p.name} ${p.version} ${p.arch} ${p.source?.name} ${p.source?.version}`).sort();
    assert.equal(got.length, 88);
    assert.deepEqual(got, want);
    assert.deepEqual(r.os, { family: 'debian', version: '12', name: 'Debian GNU/Linux 12 (bookworm)', codename: 'bookworm' });
    const base = r.packages.find((p) => p.name === 'base-files')!;
    assert.match(base.purl, /^pkg:deb\/debian\/base-files@12\.4%2Bdeb12u\d+\?arch=amd64&distro=debian-12$/);
  });

  test('registry, OCI layout (gzip and zstd) and docker-archive give identical inventories', async () => {
    const refs = [`oci-layout:${imgs.oci}:debian`, `oci-layout:${imgs.ociZstd}:debian`, `docker-archive:${imgs.debianTar}`, `${anon.host}/bosun/debian:bookworm`, `${anon.host}/bosun/debian-zstd:bookworm`];
    const reports: InventoryReport[] = [];
    for (const ref of refs) reports.push(await scanImage(ref, opts()));
    const first = pkgKey(reports[0]!);
    assert.equal(first.length, 88);
    for (const r of reports) {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(pkgKey(r), first, r.image.ref);
      assert.deepEqual(r.os, reports[0]!.os);
    }
    // Every package of the single-layer image comes from that layer's diff ID.
    assert.ok(reports[0]!.packages.every((p) => p.layer === reports[0]!.image.layers[0]!.diffId));
    // Same manifest bytes in the layout and the registry: same digest.
    assert.equal(reports[3]!.image.digest, reports[0]!.image.digest);
    assert.equal(reports[2]!.image.source, 'docker-archive');
    assert.deepEqual(reports[2]!.image.repoTags, ['docker.io/bosun-test/debian:bookworm']);
  });

  test('app image: language packages with their layer; the whiteout leaves the base inventory alone', async () => {
    const fromLayout = await scanImage(`oci-layout:${imgs.oci}:app`, opts());
    const fromRegistry = await scanImage(`${anon.host}/bosun/app:1.0`, opts());
    const fromArchive = await scanImage(`docker-archive:${imgs.appTar}:bosun-test/app:1.0`, opts());
    assert.deepEqual(pkgKey(fromRegistry), pkgKey(fromLayout));
    assert.deepEqual(pkgKey(fromArchive), pkgKey(fromLayout));
    const appLayer = fromLayout.image.layers[1]!.diffId;
    const lang = fromLayout.packages.filter((p) => p.ecosystem !== 'deb').map((p) => `${p.purl} ${p.layer === appLayer ? 'L2' : '?'} ${p.path}`);
    assert.deepEqual(lang, [
      'pkg:golang/example.com/greeter L2 usr/local/bin/hello',
      'pkg:golang/example.com/hello L2 usr/local/bin/hello',
      'pkg:golang/stdlib@1.19.8 L2 usr/local/bin/hello',
      'pkg:npm/%40types/node@20.11.5 L2 srv/app/node_modules/@types/node/package.json',
      'pkg:npm/debug@2.6.9 L2 srv/app/node_modules/debug/package.json',
      'pkg:npm/express@4.18.2 L2 srv/app/node_modules/express/package.json',
      'pkg:npm/gpl-thing@0.1.0 L2 srv/app/node_modules/gpl-thing/package.json',
      'pkg:npm/ms@2.0.0 L2 srv/app/node_modules/ms/package.json',
      'pkg:npm/ms@2.1.3 L2 srv/app/node_modules/express/node_modules/ms/package.json',
      'pkg:pypi/requests@2.31.0 L2 usr/local/lib/python3.11/dist-packages/requests-2.31.0.dist-info/METADATA',
      'pkg:pypi/urllib3@2.0.7 L2 usr/local/lib/python3.11/dist-packages/urllib3-2.0.7.dist-info/METADATA',
    ]);
    const greeter = fromLayout.packages.find((p) => p.name === 'example.com/greeter')!;
    assert.deepEqual(greeter.properties, { goVersion: 'go1.19.8', replacedBy: './greeter (devel)' });
    assert.equal(fromLayout.packages.filter((p) => p.ecosystem === 'deb').length, 88);
    assert.equal(fromLayout.image.layers.length, 3);
    assert.equal(fromLayout.image.layers[2]!.createdBy, 'RUN rm /srv/app/.env');
  });

  test('oci-archive written by skopeo: same inventory as the OCI layout, read in place', async () => {
    const file = join(tmp, 'app-oci.tar');
    spawnSync('skopeo', ['copy', '--quiet', `oci:${imgs.oci}:app`, `oci-archive:${file}:app`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const fromLayout = await scanImage(`oci-layout:${imgs.oci}:app`, opts());
    const cacheDir = join(tmp, 'archive-cache');
    for (const ref of [`oci-archive:${file}`, `oci-archive:${file}:app`, file]) {
      const r = await scanImage(ref, { ...opts(), cache: new BlobCache(cacheDir) });
      assert.equal(r.image.source, 'oci-archive');
      assert.deepEqual(r.errors, []);
      assert.deepEqual(pkgKey(r), pkgKey(fromLayout), ref);
      assert.equal(r.image.layers.length, 3);
      assert.deepEqual(r.image.layers.map((l) => l.diffId), fromLayout.image.layers.map((l) => l.diffId));
    }
    // Read in place: nothing unpacked next to the archive or into the blob cache.
    assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('app-oci')), ['app-oci.tar']);
    assert.ok(!existsSync(join(cacheDir, 'blobs')));
  });

  test('layer cache: the app image from the registry reuses the Debian base layer cached by a scan of the layout', async () => {
    const layerCache = new LayerCache(join(tmp, 'layer-cache'));
    const cache = new BlobCache(join(tmp, 'layer-cache-blobs'));
    const counted = async (ref: string) => {
      const source = await openImage(ref, { insecure: true, cache });
      const reads = source.layers.map(() => 0);
      const report = await scanSource({ ...source, openLayer: (i) => (reads[i]!++, source.openLayer(i)) }, EMPTY_CONFIG, { scanners: ['secret', 'hardening', 'license'], layerCache });
      return { report, reads };
    };
    const debian = await counted(`oci-layout:${imgs.oci}:debian`);
    assert.deepEqual(debian.reads, [1]);
    const app = await counted(`${anon.host}/bosun/app:1.0`);
    assert.deepEqual(app.reads, [0, 1, 1]);
    // The base layer's blob was neither read nor downloaded.
    assert.ok(!existsSync(cache.path(app.report.image.layers[0]!.digest!)));
    const plain = await scanImage(`${anon.host}/bosun/app:1.0`, { ...opts(), scanners: ['secret', 'hardening', 'license'] });
    assert.deepEqual(app.report.packages, plain.packages);
    assert.deepEqual(app.report.os, plain.os);
    assert.deepEqual(app.report.findings.map((f) => f.fingerprint), plain.findings.map((f) => f.fingerprint));
    assert.deepEqual(app.report.errors, plain.errors);
  });

  test('basic auth: credentials from options and from a docker config.json; none is E_REGISTRY_AUTH', async () => {
    const ref = `${basic.host}/private/debian:bookworm`;
    await assert.rejects(scanImage(ref, { ...opts(), dockerConfig: join(tmp, 'none.json') }), { code: 'E_REGISTRY_AUTH' });
    await assert.rejects(scanImage(ref, { ...opts(), credentials: { username: 'bosun', password: 'wrong' } }), { code: 'E_REGISTRY_AUTH' });
    const r = await scanImage(ref, { ...opts(), credentials: creds });
    assert.equal(r.packages.length, 88);
    const cfg = join(tmp, 'docker-config.json');
    writeFileSync(cfg, JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } } }));
    const r2 = await scanImage(ref, { ...opts(), dockerConfig: cfg });
    assert.equal(r2.packages.length, 88);
  });

  test('docker credential helpers: credsStore, credHelpers, identity tokens, failures named without the secret', async () => {
    const bin = join(tmp, 'helper-bin');
    mkdirSync(bin, { recursive: true });
    const log = join(tmp, 'helper.log');
    // A helper as docker-credential-helpers behave: `get`, server URL on stdin, JSON on stdout.
    const helper = (name: string, body: string) => {
      writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\nread server\necho "${name} $1 $server" >> ${log}\n${body}\n`);
      chmodSync(join(bin, `docker-credential-${name}`), 0o755);
    };
    helper('teststore', `case "$server" in ${basic.host}) printf '{"ServerURL":"%s","Username":"${creds.username}","Secret":"${creds.password}"}' "$server";; *) echo "credentials not found in native keychain"; exit 1;; esac`);
    helper('garbled', `echo 'Secret: ${creds.password} {'`);
    helper('locked', `echo "keychain is locked" >&2; exit 3`);
    helper('empty', `echo '{}'`);
    helper('idtoken', `printf '{"ServerURL":"%s","Username":"<token>","Secret":"idtok-0123456789"}' "$server"`);
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}:${savedPath}`;
    const cfg = (name: string, json: object) => {
      const f = join(tmp, `${name}.json`);
      writeFileSync(f, JSON.stringify(json));
      return f;
    };
    const ref = `${basic.host}/private/debian:bookworm`;
    try {
      const viaStore = await scanImage(ref, { ...opts(), dockerConfig: cfg('store', { credsStore: 'teststore' }) });
      assert.equal(viaStore.packages.length, 88);
      assert.match(readFileSync(log, 'utf8'), new RegExp(`^teststore get ${basic.host.replace(/\./g, '\\.')}$`, 'm'));
      // credHelpers wins over credsStore for its registry.
      const viaHelpers = await scanImage(ref, { ...opts(), dockerConfig: cfg('helpers', { credsStore: 'locked', credHelpers: { [basic.host]: 'teststore' } }) });
      assert.equal(viaHelpers.packages.length, 88);
      // A store that knows nothing for this registry falls back to `auths`.
      writeFileSync(log, '');
      const other = await startRegistry(creds);
      try {
        push(`oci:${imgs.oci}:debian`, other.host, 'private/debian:bookworm', creds);
        const fallback = cfg('fallback', { credsStore: 'teststore', auths: { [other.host]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } } });
        const r = await scanImage(`${other.host}/private/debian:bookworm`, { ...opts(), dockerConfig: fallback });
        assert.equal(r.packages.length, 88);
        assert.equal(readFileSync(log, 'utf8'), `teststore get ${other.host}\n`);
      } finally {
        await other.stop();
      }
      // Anonymous registries never run the helper.
      writeFileSync(log, '');
      await scanImage(`${anon.host}/bosun/debian:bookworm`, { ...opts(), dockerConfig: cfg('anon', { credsStore: 'locked' }) });
      assert.equal(readFileSync(log, 'utf8'), '');
      const failure = async (config: object, pattern: RegExp) => {
        await assert.rejects(scanImage(ref, { ...opts(), dockerConfig: cfg('fail', config) }), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'E_REGISTRY_AUTH');
          assert.match(err.message, pattern);
          assert.ok(!err.message.includes('\n'), err.message);
          assert.ok(!err.message.includes(creds.password), err.message);
          return true;
        });
      };
      await failure({ credsStore: 'locked' }, /credential helper docker-credential-locked failed for 127\.0\.0\.1:\d+: keychain is locked$/);
      await failure({ credsStore: 'garbled' }, /credential helper docker-credential-garbled answered .* not JSON$/);
      await failure({ credsStore: 'absent' }, /credential helper docker-credential-absent not found on PATH$/);
      await failure({ credsStore: '../../bin/sh' }, /credential helper name "\.\.\/\.\.\/bin\/sh" is not a plain name$/);
      await failure({ credsStore: 'empty' }, /credential helper docker-credential-empty answered 127\.0\.0\.1:\d+ without a Username and Secret$/);
      const broken = join(tmp, 'broken-config.json');
      writeFileSync(broken, `{"auths": {"${basic.host}": `);
      await assert.rejects(scanImage(ref, { ...opts(), dockerConfig: broken }), { code: 'E_REGISTRY_AUTH', message: /broken-config\.json: the Docker config is not valid JSON$/ });
      // A missing helper does not stop a pull the registry allows anonymously (Docker Hub
      // challenges even for public images); where credentials are needed, its error is the answer.
      const publicGate = await startTokenGate(anon.host, creds, undefined, true);
      const privateGate = await startTokenGate(anon.host, creds);
      try {
        const r = await scanImage(`${publicGate.host}/bosun/debian:bookworm`, { ...opts(), dockerConfig: cfg('absent', { credsStore: 'absent' }) });
        assert.equal(r.packages.length, 88);
        await assert.rejects(scanImage(`${privateGate.host}/bosun/debian:bookworm`, { ...opts(), dockerConfig: cfg('absent', { credsStore: 'absent' }) }), /credential helper docker-credential-absent not found on PATH$/);
      } finally {
        await publicGate.stop();
        await privateGate.stop();
      }
      // An identity token cannot answer a Basic challenge ...
      await failure({ credsStore: 'idtoken' }, /requires a username and password.*identity token works only with token authentication$/);
      // ... but is exchanged at a Bearer realm with the refresh-token grant.
      const gate = await startTokenGate(anon.host, creds, 'idtok-0123456789');
      try {
        const r = await scanImage(`${gate.host}/bosun/debian:bookworm`, { ...opts(), dockerConfig: cfg('idtoken', { credsStore: 'idtoken' }) });
        assert.equal(r.packages.length, 88);
        assert.ok(gate.tokenRequests >= 1);
      } finally {
        await gate.stop();
      }
    } finally {
      process.env['PATH'] = savedPath;
    }
  });

  test('bearer token flow; blobs are cached by digest and not downloaded again', async () => {
    const gate = await startTokenGate(anon.host, creds);
    try {
      const cache = new BlobCache(join(tmp, 'bearer-cache'));
      const ref = `${gate.host}/bosun/app:1.0`;
      await assert.rejects(scanImage(ref, { ...opts(), cache, dockerConfig: join(tmp, 'none.json') }), { code: 'E_REGISTRY_AUTH' });
      const first = await scanImage(ref, { ...opts(), cache, credentials: creds });
      assert.equal(first.packages.length, 99);
      assert.equal(gate.counts.get('blobs'), 4); // config + 3 layers
      assert.ok(gate.tokenRequests >= 1);
      const second = await scanImage(ref, { ...opts(), cache, credentials: creds });
      assert.deepEqual(pkgKey(second), pkgKey(first));
      assert.equal(gate.counts.get('blobs'), 4);
      const cached = readdirSync(join(tmp, 'bearer-cache/blobs/sha256'));
      assert.equal(cached.length, 4);
      assert.ok(cached.every((n) => /^[a-f0-9]{64}$/.test(n)));
    } finally {
      await gate.stop();
    }
  });

  test('CLI: --insecure-registry, --username with --password-stdin, --cache-dir, --platform', { skip: distSkip(BIN) }, () => {
    const cache = join(tmp, 'cli-cache');
    const run = (args: string[], input = '') => spawnSync(process.execPath, [BIN, 'image', 'scan', ...args, '--format', 'json', '--no-config', '--scanners', '', '--cache-dir', cache], { input, encoding: 'utf8' });
    const ok = run([`${basic.host}/private/debian:bookworm`, '--insecure-registry', basic.host, '--username', creds.username, '--password-stdin', '--platform', 'linux/amd64'], `${creds.password}\n`);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).packages.length, 88);
    assert.equal(readdirSync(join(cache, 'blobs/sha256')).length, 2);
    const denied = run([`${basic.host}/private/debian:bookworm`, '--insecure-registry', basic.host]);
    assert.equal(denied.status, 2);
    assert.match(denied.stderr, /^bosun: .*requires a username and password/);
    // Without --insecure-registry the client speaks TLS to a plain-HTTP registry and fails clearly.
    const tls = run([`${anon.host}/bosun/debian:bookworm`, '--timeout', '5']);
    assert.equal(tls.status, 2);
    assert.match(tls.stderr, /^bosun: .*failed after 4 attempts/);
  });

  test('a corrupted layer blob in an OCI layout is E_DIGEST_MISMATCH', async () => {
    const dir = join(tmp, 'corrupt-oci');
    cpSync(imgs.oci, dir, { recursive: true });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    const m = index.manifests.find((x) => x.annotations['org.opencontainers.image.ref.name'] === 'debian')!;
    const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', m.digest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
    const blob = join(dir, 'blobs/sha256', manifest.layers[0]!.digest.slice(7));
    const bytes = readFileSync(blob);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(blob, bytes);
    await assert.rejects(scanImage(`oci-layout:${dir}:debian`, opts()), (err: Error & { code?: string }) => {
      assert.ok(err.code === 'E_DIGEST_MISMATCH' || err.code === 'E_LAYER_CORRUPT', err.code);
      return true;
    });
    assert.ok(statSync(blob).size > 0);
  });
});
