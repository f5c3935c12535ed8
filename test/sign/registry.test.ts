/**
 * Signing and verification against a real registry: Debian's docker-registry on 127.0.0.1, the
 * image pushed with skopeo, signed by `bosun sign` (OCI layout output, pushed with skopeo), then
 * checked by `bosun verify` and by the admission webhook's registry verifier. A tampered
 * signature, a different key, a moved tag and a deleted signature all fail with a clear reason.
 * Skipped when docker-registry or skopeo is missing (BOSUN_REQUIRE_INTEGRATION=1 makes that fail).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { verifyImage } from '../../src/sign/image.ts';
import { generateKeyPair, readPrivateKey } from '../../src/sign/keys.ts';
import { ANNOTATION, descriptor, legacySignatureManifest, legacyTag, simpleSigningPayload } from '../../src/sign/formats.ts';
import { signImage, writeOciLayout } from '../../src/sign/sign.ts';
import { registryVerifier } from '../../src/admission/registry-verifier.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { pipeline, pod, review } from '../admission/helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TOOLS = ['docker-registry', 'skopeo'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (missing.length > 0 && process.env['BOSUN_REQUIRE_INTEGRATION'] === '1') throw new Error(`missing ${missing.join(', ')}`);
const skip = missing.length > 0 ? `missing tools: ${missing.join(', ')}` : false;

let registry: ChildProcess | undefined;
let host = '';
let work = '';
const PASSWORD = 'test password';
let keys: { privateKey: string; publicKey: string };
let other: { privateKey: string; publicKey: string };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A one-layer OCI image layout whose file content makes its digest unique. */
function buildImage(dir: string, content: string, tag: string): void {
  const files = join(dir, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, 'hello.txt'), content);
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', files, '.']);
  const layer = gzipSync(tar);
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] }, config: {} }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: descriptor('application/vnd.oci.image.config.v1+json', config), layers: [descriptor('application/vnd.oci.image.layer.v1.tar+gzip', layer)] }));
  const blobs = join(dir, 'layout', 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  for (const b of [layer, config, manifest]) writeFileSync(join(blobs, sha(b)), b);
  writeFileSync(join(dir, 'layout', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'layout', 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...descriptor('application/vnd.oci.image.manifest.v1+json', manifest), annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
}

/**
 * skopeo 1.9 cannot push the referrers index with --preserve-digests ("Manifest list must be
 * converted"); without it the child manifests keep their bytes and only the index is rewritten
 * (losing artifactType and annotations in its entries, which the verifier tolerates).
 */
function skopeoPush(layout: string, ref: string, target: string): void {
  const isIndex = ref.startsWith('sha256-') && !ref.endsWith('.sig') && !ref.endsWith('.att');
  execFileSync('skopeo', ['copy', '--quiet', '--all', ...(isIndex ? [] : ['--preserve-digests']), '--dest-tls-verify=false', `oci:${layout}:${ref}`, `docker://${host}/${target}`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function pushImage(name: string, content: string): Promise<string> {
  const dir = mkdtempSync(join(work, 'img-'));
  buildImage(dir, content, 'x');
  skopeoPush(join(dir, 'layout'), 'x', name);
  return (await verifyImage(`${host}/${name}`, { keys: [keys.publicKey] }, { insecure: true })).digest;
}

function bosun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: work, env: { ...process.env, BOSUN_PASSWORD: PASSWORD, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  if (skip !== false) return;
  work = mkdtempSync(join(tmpdir(), 'bosun-sign-'));
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  writeFileSync(join(work, 'registry.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n  secret: bosun-test\n`);
  registry = spawn('docker-registry', ['serve', join(work, 'registry.yml')], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      await (await fetch(`http://${host}/v2/`)).body?.cancel();
      break;
    } catch {
      if (i > 150) throw new Error('registry did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  keys = generateKeyPair(PASSWORD, { N: 1024, r: 8, p: 1 });
  other = generateKeyPair(PASSWORD, { N: 1024, r: 8, p: 1 });
  writeFileSync(join(work, 'cosign.key'), keys.privateKey);
  writeFileSync(join(work, 'cosign.pub'), keys.publicKey);
  writeFileSync(join(work, 'other.pub'), other.publicKey);
});

after(async () => {
  if (registry !== undefined) {
    registry.kill('SIGTERM');
    await new Promise((r) => registry!.once('exit', r));
  }
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

test('sign (CLI) → push → verify (CLI): both the OCI 1.1 bundle and the legacy .sig verify; another key does not', { skip }, async () => {
  const digest = await pushImage('app:1.0', 'v1');
  const signed = bosun(['sign', `${host}/app:1.0`, '--key', 'cosign.key', '--legacy-tag', '--insecure-registry', '--output-dir', 'sig']);
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(signed.stdout, new RegExp(`^signed ${host.replace(/\./g, '\\.')}/app:1\\.0@${digest}$`, 'm'));
  skopeoPush(join(work, 'sig'), digest.replace(':', '-'), `app:${digest.replace(':', '-')}`);
  skopeoPush(join(work, 'sig'), legacyTag(digest), `app:${legacyTag(digest)}`);

  const ok = bosun(['verify', `${host}/app:1.0`, '--key', 'cosign.pub', '--insecure-registry', '--format', 'json']);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  const result = JSON.parse(ok.stdout);
  assert.equal(result.digest, digest);
  assert.deepEqual(result.signatures.map((s: { source: string; verified: boolean; detail: string }) => [s.source.split(':')[0], s.verified, s.detail]), [['legacy', true, 'key:0'], ['referrer', true, 'key:0']]);

  const wrong = bosun(['verify', `${host}/app:1.0`, '--key', 'other.pub', '--insecure-registry']);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stdout, /FAILED {3}signature legacy:0: SIGNATURE_ERROR: signature does not verify with any trusted key/);
  assert.match(wrong.stdout, /FAILED {3}signature referrer:sha256:[0-9a-f]{64} \(https:\/\/sigstore\.dev\/cosign\/sign\/v1\): SIGNATURE_ERROR: DSSE signature does not verify with any trusted key/);
});

test('attestation: a scan predicate attached as a referrer verifies as an attestation, not as a signature', { skip }, async () => {
  const digest = await pushImage('attested:1', 'attested');
  const key = readPrivateKey(keys.privateKey, PASSWORD);
  const res = await fetch(`http://${host}/v2/attested/manifests/${digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const out = join(work, 'att');
  const signedAtt = signImage({ repository: `${host}/attested`, manifest: descriptor('application/vnd.oci.image.manifest.v1+json', bytes) }, { key, predicateType: 'https://bosun.dev/attestation/scan/v1', predicate: { scanner: 'bosun', critical: 0, high: 0 } });
  await writeOciLayout(out, signedAtt.items);
  skopeoPush(out, digest.replace(':', '-'), `attested:${digest.replace(':', '-')}`);
  const r = await verifyImage(`${host}/attested:1`, { keys: [keys.publicKey] }, { insecure: true });
  assert.equal(r.verified, false, 'an attestation is not a signature');
  assert.deepEqual(r.signatures.map((s) => [s.kind, s.verified, s.predicateType]), [['attestation', true, 'https://bosun.dev/attestation/scan/v1']]);
  assert.deepEqual(r.signatures[0]!.statement!['predicate'], { scanner: 'bosun', critical: 0, high: 0 });
});

test('attest --type scan (CLI) from a bosun report, sign, push; the webhook requires a fresh clean scan attestation', { skip }, async () => {
  const digest = await pushImage('scanned:1', 'scanned');
  writeFileSync(join(work, 'report.json'), JSON.stringify({ schemaVersion: 1, tool: { name: 'bosun', version: '0.1.0' }, findings: [], summary: { bySeverity: { critical: 0, high: 0, medium: 2, low: 0, info: 0 }, gateFailed: false } }));
  const attested = bosun(['attest', `${host}/scanned:1`, '--key', 'cosign.key', '--type', 'scan', '--predicate', 'report.json', '--insecure-registry', '--output-dir', 'scan-att']);
  assert.equal(attested.status, 0, attested.stderr);
  skopeoPush(join(work, 'scan-att'), digest.replace(':', '-'), `scanned:${digest.replace(':', '-')}`);
  const policy = (failOn: 'medium' | 'high') => ({ images: { signatures: [{ images: [`${host}/*`], signers: [{ key: keys.publicKey }], scanAttestation: { failOn, maxAgeDays: 1 } }], budgetMs: 5000, cacheSize: 0 } });
  const admit = async (failOn: 'medium' | 'high') => {
    const p = pipeline(policy(failOn), { verifier: registryVerifier({ registry: { insecure: true, retries: 1 } }) });
    return (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image: `${host}/scanned@${digest}` }] }))).request)).response;
  };
  // An attestation alone is not a signature: sign too.
  const unsigned = await admit('high');
  assert.match(unsigned.status?.message ?? '', /ADM-IMAGE-SIGNATURE/);
  const key = readPrivateKey(keys.privateKey, PASSWORD);
  const res = await fetch(`http://${host}/v2/scanned/manifests/${digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const out = join(work, 'scanned-sig');
  await writeOciLayout(out, signImage({ repository: `${host}/scanned`, manifest: descriptor('application/vnd.oci.image.manifest.v1+json', Buffer.from(await res.arrayBuffer())) }, { key, legacy: true }).items.filter((i) => i.tag?.endsWith('.sig')));
  skopeoPush(out, legacyTag(digest), `scanned:${legacyTag(digest)}`);
  assert.equal((await admit('high')).allowed, true);
  const strict = await admit('medium');
  assert.equal(strict.allowed, false);
  assert.match(strict.status!.message, /ADM-IMAGE-SCAN-ATTESTATION at spec\.containers\[0\]\.image: .* has no acceptable scan attestation: scan attestation reports 2 medium/);
});

test('a tampered legacy signature fails with SIGNATURE_ERROR', { skip }, async () => {
  const digest = await pushImage('tampered:1', 'tampered');
  const key = readPrivateKey(keys.privateKey, PASSWORD);
  const payload = simpleSigningPayload(`${host}/tampered`, digest);
  const sig = createSign('sha256').update(payload).sign(key);
  sig[sig.length - 1]! ^= 1;
  const { manifest, config } = legacySignatureManifest([{ payload, annotations: { [ANNOTATION.signature]: sig.toString('base64') } }]);
  const out = join(work, 'tampered');
  await writeOciLayout(out, [{ manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json', blobs: [config, payload], tag: legacyTag(digest) }]);
  skopeoPush(out, legacyTag(digest), `tampered:${legacyTag(digest)}`);
  const r = await verifyImage(`${host}/tampered:1`, { keys: [keys.publicKey] }, { insecure: true });
  assert.equal(r.verified, false);
  assert.deepEqual(r.signatures.map((s) => [s.source, s.verified, s.detail]), [['legacy:0', false, 'SIGNATURE_ERROR: signature does not verify with any trusted key']]);
});

test('a moved tag is unsigned; a deleted signature is gone; the webhook denies both and admits the signed image', { skip }, async () => {
  const digest = await pushImage('moving:1', 'first');
  const key = readPrivateKey(keys.privateKey, PASSWORD);
  const res = await fetch(`http://${host}/v2/moving/manifests/${digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const out = join(work, 'moving');
  await writeOciLayout(out, signImage({ repository: `${host}/moving`, manifest: descriptor('application/vnd.oci.image.manifest.v1+json', Buffer.from(await res.arrayBuffer())) }, { key, legacy: true }).items);
  skopeoPush(out, legacyTag(digest), `moving:${legacyTag(digest)}`);
  assert.equal((await verifyImage(`${host}/moving:1`, { keys: [keys.publicKey] }, { insecure: true })).verified, true);

  const p = pipeline({ images: { signatures: [{ images: [`${host}/*`], signers: [{ key: keys.publicKey }] }], budgetMs: 5000, cacheSize: 0 } }, { verifier: registryVerifier({ registry: { insecure: true, retries: 1 } }) });
  const admit = async (image: string) => (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image }] }))).request)).response;
  assert.equal((await admit(`${host}/moving:1`)).allowed, true);
  assert.equal((await admit(`${host}/moving@${digest}`)).allowed, true);

  // Move the tag to a new, unsigned image.
  const moved = await pushImage('moving:1', 'second');
  assert.notEqual(moved, digest);
  const r = await verifyImage(`${host}/moving:1`, { keys: [keys.publicKey] }, { insecure: true });
  assert.equal(r.verified, false);
  assert.deepEqual(r.signatures, [], 'no signatures found for the new digest');
  const denied = await admit(`${host}/moving:1`);
  assert.equal(denied.allowed, false);
  assert.match(denied.status!.message, /ADM-IMAGE-SIGNATURE at spec\.containers\[0\]\.image: image "127\.0\.0\.1:\d+\/moving:1" has no valid signature by a trusted signer: no signatures found/);

  // Delete the signature of the old digest.
  const sigManifest = await fetch(`http://${host}/v2/moving/manifests/${legacyTag(digest)}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const del = await fetch(`http://${host}/v2/moving/manifests/${sigManifest.headers.get('docker-content-digest')}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await verifyImage(`${host}/moving@${digest}`, { keys: [keys.publicKey] }, { insecure: true })).verified, false);
  assert.equal((await admit(`${host}/moving@${digest}`)).allowed, false);
});
