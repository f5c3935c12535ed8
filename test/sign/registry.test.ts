/**
 * Signing and verification against a real registry: Debian's docker-registry (distribution 2.8,
 * no referrers API) on 127.0.0.1, the image pushed with skopeo, signed and pushed by `bosun sign`,
 * then checked by `bosun verify` and by the admission webhook's registry verifier. Two signers
 * both stay (referrers tag merged, `.sig` layers appended); a tampered signature, a different key,
 * a moved tag and a deleted signature all fail with a clear reason. Skipped when docker-registry,
 * skopeo or htpasswd is missing (BOSUN_REQUIRE_INTEGRATION=1 makes that fail).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, createSign, generateKeyPairSync, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { verifyImage } from '../../src/sign/image.ts';
import { generateKeyPair, readPrivateKey } from '../../src/sign/keys.ts';
import { ANNOTATION, OCI_EMPTY_BLOB, descriptor, legacyConfig, legacyManifestOf, legacySignatureManifest, legacyTag, referrerManifest, simpleSigningPayload } from '../../src/sign/formats.ts';
import { appendLegacyLayer, mergeReferrersTag, pushSignature, RegistryWriter } from '../../src/sign/push.ts';
import { signImage, writeOciLayout } from '../../src/sign/sign.ts';
import { parseReference } from '../../src/image/reference.ts';
import { startRegistry, startTokenGate } from '../image/registry.ts';
import { registryVerifier } from '../../src/admission/registry-verifier.ts';
import { generateWebhookCerts } from '../../src/admission/certs.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { pipeline, pod, review } from '../admission/helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TOOLS = ['docker-registry', 'skopeo', 'htpasswd'];
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
function buildImage(dir: string, content: string, tag: string, architecture = 'amd64'): void {
  const files = join(dir, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, 'hello.txt'), content);
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', files, '.']);
  const layer = gzipSync(tar);
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  const config = Buffer.from(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] }, config: {} }));
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

async function pushImage(name: string, content: string, architecture?: string): Promise<string> {
  const dir = mkdtempSync(join(work, 'img-'));
  buildImage(dir, content, 'x', architecture);
  skopeoPush(join(dir, 'layout'), 'x', name);
  return (await verifyImage(`${host}/${name}`, { keys: [keys.publicKey] }, { insecure: true })).digest;
}

function bosunEnv(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: work, env: { ...process.env, BOSUN_PASSWORD: PASSWORD, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const bosun = (args: string[]) => bosunEnv(args, {});

/** The CLI without blocking this process (for servers that run in it, like the token gate). */
function bosunAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: work, env: { ...process.env, BOSUN_PASSWORD: PASSWORD, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}
const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function manifestBytes(repo: string, reference: string): Promise<Buffer> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' } });
  assert.equal(res.status, 200, `${repo}:${reference}`);
  return Buffer.from(await res.arrayBuffer());
}

async function manifestJson(repo: string, reference: string) {
  return JSON.parse((await manifestBytes(repo, reference)).toString());
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
  writeFileSync(join(work, 'other.key'), other.privateKey);
});

after(async () => {
  if (registry !== undefined) {
    registry.kill('SIGTERM');
    await new Promise((r) => registry!.once('exit', r));
  }
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

test('sign (CLI) pushes to the registry → verify (CLI): both the OCI 1.1 bundle and the legacy .sig verify; another key does not', { skip }, async () => {
  const digest = await pushImage('app:1.0', 'v1');
  const signed = bosun(['sign', `${host}/app:1.0`, '--key', 'cosign.key', '--legacy-tag', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(signed.stdout, new RegExp(`^signed ${host.replace(/\./g, '\\.')}/app:1\\.0@${digest}$`, 'm'));
  assert.match(signed.stdout, new RegExp(`pushed referrers tag ${digest.replace(':', '-')}`));
  assert.match(signed.stdout, new RegExp(`pushed ${legacyTag(digest).replace('.', '\\.')}`));

  // What the registry now holds: the referrers tag is an OCI index listing the referrer with its artifactType.
  const index = await manifestJson('app', digest.replace(':', '-'));
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(index.manifests.length, 1);
  assert.equal(index.manifests[0].artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
  const referrer = await manifestJson('app', index.manifests[0].digest);
  assert.equal(referrer.subject.digest, digest);
  assert.equal(referrer.artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');

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

test('two signers: both signatures verify and neither is lost; other referrers in the index are kept; the same signer again adds no .sig layer', { skip }, async () => {
  const digest = await pushImage('shared:1', 'shared');
  const tag = digest.replace(':', '-');
  // Someone else's referrer (an SBOM) is already listed at the referrers tag.
  const writer = new RegistryWriter(parseReference(`${host}/shared`), { insecure: true }, 'test');
  const sbom = Buffer.from('{"bomFormat":"CycloneDX"}');
  const sbomManifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.cyclonedx+json', config: descriptor('application/vnd.oci.empty.v1+json', OCI_EMPTY_BLOB), layers: [descriptor('application/vnd.cyclonedx+json', sbom)], subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 0 } }));
  await writer.putBlob(OCI_EMPTY_BLOB);
  await writer.putBlob(sbom);
  await writer.putManifest(sha256(sbomManifest), sbomManifest, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(await mergeReferrersTag(writer, tag, { ...descriptor('application/vnd.oci.image.manifest.v1+json', sbomManifest), artifactType: 'application/vnd.cyclonedx+json' }), true);

  for (const k of ['cosign.key', 'other.key']) {
    const r = bosun(['sign', `${host}/shared:1`, '--key', k, '--legacy-tag', '--insecure-registry']);
    assert.equal(r.status, 0, r.stderr);
  }
  const index = await manifestJson('shared', tag);
  assert.deepEqual(index.manifests.map((m: { artifactType: string }) => m.artifactType), ['application/vnd.cyclonedx+json', 'application/vnd.dev.sigstore.bundle.v0.3+json', 'application/vnd.dev.sigstore.bundle.v0.3+json']);
  const sig = await manifestJson('shared', legacyTag(digest));
  assert.equal(sig.layers.length, 2, 'the second signer is appended to the .sig manifest');
  const config = Buffer.from(await (await fetch(`http://${host}/v2/shared/blobs/${sig.config.digest}`)).arrayBuffer());
  assert.deepEqual(config, legacyConfig(sig.layers.map((l: { digest: string }) => l.digest)), 'config rebuilt from both layers, as cosign does');

  const both = await verifyImage(`${host}/shared:1`, { keys: [keys.publicKey, other.publicKey] }, { insecure: true });
  assert.equal(both.verified, true);
  assert.deepEqual(both.signatures.map((s) => [s.source.split(':')[0], s.verified, s.detail]), [['legacy', true, 'key:0'], ['legacy', true, 'key:1'], ['referrer', true, 'key:0'], ['referrer', true, 'key:1']]);
  for (const [pub, name] of [[keys.publicKey, 'first'], [other.publicKey, 'second']] as const) {
    const one = await verifyImage(`${host}/shared@${digest}`, { keys: [pub] }, { insecure: true });
    assert.equal(one.verified, true, `${name} signer`);
    assert.equal(one.signatures.filter((s) => s.verified).length, 2, `${name} signer: its .sig layer and its referrer`);
  }

  // Signing again with the first key: cosign's duplicate detection keeps the .sig manifest as it is.
  const again = bosun(['sign', `${host}/shared:1`, '--key', 'cosign.key', '--legacy-tag', '--insecure-registry']);
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /pushed sha256-[0-9a-f]{64}\.sig/);
  assert.equal((await manifestJson('shared', legacyTag(digest))).layers.length, 2);
});

test('five signers at once: every referrer ends up in the index and every layer in the .sig manifest (read back after writing, merged again when lost)', { skip }, async () => {
  const digest = await pushImage('race:1', 'race');
  const manifest = await manifestBytes('race', digest);
  const signers = Array.from({ length: 5 }, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const results = signers.map(({ privateKey }) => signImage({ repository: `${host}/race`, manifest: descriptor('application/vnd.oci.image.manifest.v1+json', manifest) }, { key: privateKey, legacy: true }));
  await Promise.all(results.map((r, i) => pushSignature(new RegistryWriter(parseReference(`${host}/race`), { insecure: true }, `signer ${i}`), r, signers[i]!.publicKey)));
  const index = await manifestJson('race', digest.replace(':', '-'));
  assert.deepEqual(index.manifests.map((m: { digest: string }) => m.digest).sort(), results.map((r) => r.referrer.descriptor.digest).sort());
  const v = await verifyImage(`${host}/race:1`, { keys: signers.map((k) => k.publicKey.export({ type: 'spki', format: 'pem' }) as string) }, { insecure: true });
  assert.equal(v.signatures.filter((s) => s.source.startsWith('referrer') && s.verified).length, 5);
  assert.deepEqual(v.signatures.filter((s) => s.source.startsWith('legacy')).map((s) => s.verified), [true, true, true, true, true], 'every signer\'s .sig layer too');
});

test('a tampered referrer bundle fails with SIGNATURE_ERROR and does not hide the valid one', { skip }, async () => {
  const digest = await pushImage('tamperref:1', 'tamperref');
  const signed = bosun(['sign', `${host}/tamperref:1`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  // A second referrer whose statement was edited after signing (now says it is about another predicate).
  const key = readPrivateKey(keys.privateKey, PASSWORD);
  const manifest = await manifestBytes('tamperref', digest);
  const forged = signImage({ repository: `${host}/tamperref`, manifest: descriptor('application/vnd.oci.image.manifest.v1+json', manifest) }, { key });
  const bundle = JSON.parse(forged.bundle.toString());
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
  statement.predicate = { tampered: true };
  bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  const badBundle = Buffer.from(JSON.stringify(bundle));
  const badManifest = referrerManifest(badBundle, descriptor('application/vnd.oci.image.manifest.v1+json', manifest), 'https://sigstore.dev/cosign/sign/v1', new Date());
  const writer = new RegistryWriter(parseReference(`${host}/tamperref`), { insecure: true }, 'test');
  await writer.putBlob(badBundle);
  await writer.putManifest(sha256(badManifest), badManifest, 'application/vnd.oci.image.manifest.v1+json');
  await mergeReferrersTag(writer, digest.replace(':', '-'), { ...descriptor('application/vnd.oci.image.manifest.v1+json', badManifest), artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });

  const r = await verifyImage(`${host}/tamperref:1`, { keys: [keys.publicKey] }, { insecure: true });
  assert.equal(r.verified, true, 'the untampered signature still verifies');
  assert.deepEqual(r.signatures.map((s) => [s.verified, s.detail]), [[true, 'key:0'], [false, 'SIGNATURE_ERROR: DSSE signature does not verify with any trusted key']]);
  const alone = bosun(['verify', `${host}/tamperref:1`, '--key', 'other.pub', '--insecure-registry']);
  assert.equal(alone.status, 1);
});

test('sign refuses to overwrite a referrers tag that is not an index, and names an image that does not exist', { skip }, async () => {
  const digest = await pushImage('clash:1', 'clash');
  // Something unrelated tagged sha256-<hex>: an image manifest.
  const other = await manifestBytes('clash', digest);
  const writer = new RegistryWriter(parseReference(`${host}/clash`), { insecure: true }, 'test');
  await writer.putManifest(digest.replace(':', '-'), other, 'application/vnd.oci.image.manifest.v1+json');
  const r = bosun(['sign', `${host}/clash:1`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(r.status, 2, r.stdout);
  assert.match(r.stderr, /clash:sha256-[0-9a-f]{64} is a application\/vnd\.oci\.image\.manifest\.v1\+json, not an OCI image index of referrers; not overwriting it/);
  const missingImage = bosun(['sign', `${host}/nothing:here`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(missingImage.status, 2);
  assert.match(missingImage.stderr, /nothing:here: no such image on 127\.0\.0\.1:\d+/);
});

test('sign through registry authentication: basic (htpasswd), a Bearer token gate, an identity token from the Docker config', { skip }, async () => {
  const creds = { username: 'signer', password: 'pushpw' };
  const authed = await startRegistry(creds);
  const gate = await startTokenGate(host, { username: 'gated', password: 'gatepw' });
  try {
    const dir = mkdtempSync(join(work, 'auth-'));
    buildImage(dir, 'authed', 'x');
    execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--dest-creds', `${creds.username}:${creds.password}`, `oci:${join(dir, 'layout')}:x`, `docker://${authed.host}/private:1`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const noCreds = bosun(['sign', `${authed.host}/private:1`, '--key', 'cosign.key', '--insecure-registry']);
    assert.equal(noCreds.status, 2);
    assert.match(noCreds.stderr, /requires a username and password/);
    const signed = bosunEnv(['sign', `${authed.host}/private:1`, '--key', 'cosign.key', '--legacy-tag', '--insecure-registry', '--username', creds.username], { BOSUN_REGISTRY_PASSWORD: creds.password });
    assert.equal(signed.status, 0, signed.stderr);
    const r = await verifyImage(`${authed.host}/private:1`, { keys: [keys.publicKey] }, { insecure: true, credentials: creds });
    assert.deepEqual(r.signatures.map((s) => [s.source.split(':')[0], s.verified]), [['legacy', true], ['referrer', true]]);

    await pushImage('gated:1', 'gated');
    const viaGate = await bosunAsync(['sign', `${gate.host}/gated:1`, '--key', 'cosign.key', '--insecure-registry', '--username', 'gated'], { BOSUN_REGISTRY_PASSWORD: 'gatepw' });
    assert.equal(viaGate.status, 0, viaGate.stderr);
    assert.ok(gate.tokenRequests >= 1);
    assert.equal((await verifyImage(`${host}/gated:1`, { keys: [keys.publicKey] }, { insecure: true })).verified, true);
  } finally {
    await gate.stop();
    await authed.stop();
  }
  // An identity token from the Docker config (what `docker login` stores for OAuth registries): the refresh-token grant.
  const tokenGate = await startTokenGate(host, { username: 'nobody', password: 'unused' }, 'refresh-me');
  try {
    await pushImage('oauth:1', 'oauth');
    const dockerConfig = mkdtempSync(join(work, 'docker-'));
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [tokenGate.host]: { identitytoken: 'refresh-me' } } }));
    const viaToken = await bosunAsync(['sign', `${tokenGate.host}/oauth:1`, '--key', 'cosign.key', '--insecure-registry'], { DOCKER_CONFIG: dockerConfig });
    assert.equal(viaToken.status, 0, viaToken.stderr);
    assert.equal((await verifyImage(`${host}/oauth:1`, { keys: [keys.publicKey] }, { insecure: true })).verified, true);
  } finally {
    await tokenGate.stop();
  }
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
  writeFileSync(join(work, 'report.json'), JSON.stringify({ schemaVersion: 1, tool: { name: 'bosun', version: '0.1.0' }, image: { ref: `${host}/scanned:1`, source: 'registry', digest, platform: 'linux/amd64', layers: [] }, findings: [], summary: { bySeverity: { critical: 0, high: 0, medium: 2, low: 0, info: 0 }, gateFailed: false } }));
  const attested = bosun(['attest', `${host}/scanned:1`, '--key', 'cosign.key', '--type', 'scan', '--predicate', 'report.json', '--insecure-registry', '--legacy-tag']);
  assert.equal(attested.status, 0, attested.stderr);
  assert.match(attested.stdout, /^attested /);
  // cosign ≤ v2's place for attestations: the DSSE envelope as a layer of sha256-<hex>.att.
  const att = await manifestJson('scanned', legacyTag(digest, 'att'));
  assert.deepEqual(att.layers.map((l: { mediaType: string; annotations: Record<string, string> }) => [l.mediaType, l.annotations.predicateType]), [['application/vnd.dsse.envelope.v1+json', 'https://bosun.dev/attestation/scan/v1']]);
  const policy = (failOn: 'medium' | 'high') => ({ images: { signatures: [{ images: [`${host}/*`], signers: [{ key: keys.publicKey }], scanAttestation: { failOn, maxAgeDays: 1 } }], budgetMs: 5000, cacheSize: 0 } });
  const admit = async (failOn: 'medium' | 'high') => {
    const p = pipeline(policy(failOn), { verifier: registryVerifier({ registry: { insecure: true, retries: 1 } }) });
    return (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image: `${host}/scanned@${digest}` }] }))).request)).response;
  };
  // An attestation alone is not a signature: sign too.
  const unsigned = await admit('high');
  assert.match(unsigned.status?.message ?? '', /ADM-IMAGE-SIGNATURE/);
  const signed = bosun(['sign', `${host}/scanned@${digest}`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  assert.equal((await admit('high')).allowed, true);
  const strict = await admit('medium');
  assert.equal(strict.allowed, false);
  assert.match(strict.status!.message, /ADM-IMAGE-SCAN-ATTESTATION at spec\.containers\[0\]\.image: .* has no acceptable scan attestation: scan attestation reports 2 medium/);
});

test('multi-platform: attest refuses a report of another image; the webhook admits the index only once every platform is attested', { skip }, async () => {
  const amd64 = await pushImage('multi:amd64', 'multi amd64', 'amd64');
  const arm64 = await pushImage('multi:arm64', 'multi arm64', 'arm64');
  const provenance = await pushImage('multi:provenance', 'buildx provenance', 'unknown');
  const elsewhere = await pushImage('elsewhere:1', 'another image');
  const entry = async (digest: string, platform: Record<string, string>, annotations?: Record<string, string>) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: (await manifestBytes('multi', digest)).length, platform, ...(annotations !== undefined && { annotations }) });
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      await entry(amd64, { os: 'linux', architecture: 'amd64' }),
      await entry(arm64, { os: 'linux', architecture: 'arm64' }),
      await entry(provenance, { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64 }),
    ],
  }));
  const writer = new RegistryWriter(parseReference(`${host}/multi`), { insecure: true }, 'test');
  const { digest: indexDigest } = await writer.putManifest('1', index, 'application/vnd.oci.image.index.v1+json');

  // Each platform's report as `bosun image scan --platform` writes it.
  const scan = (image: string, platform: string, file: string): void => {
    const r = bosun(['image', 'scan', image, '--platform', platform, '--scanners', 'secret', '--format', 'json', '--insecure']);
    assert.equal(r.status, 0, r.stderr);
    writeFileSync(join(work, file), r.stdout);
  };
  scan(`${host}/multi:1`, 'linux/amd64', 'multi-amd64.json');
  scan(`${host}/multi:1`, 'linux/arm64', 'multi-arm64.json');
  scan(`${host}/elsewhere:1`, 'linux/amd64', 'elsewhere.json');
  assert.equal(JSON.parse(readFileSync(join(work, 'multi-arm64.json'), 'utf8')).image.digest, arm64);
  const attest = (image: string, report: string) => bosun(['attest', image, '--key', 'cosign.key', '--type', 'scan', '--predicate', report, '--insecure-registry']);

  const foreign = attest(`${host}/multi:1`, 'elsewhere.json');
  assert.equal(foreign.status, 2, foreign.stderr);
  assert.equal(foreign.stderr.trim().split('\n').length, 1, foreign.stderr);
  assert.ok(foreign.stderr.includes(elsewhere) && foreign.stderr.includes(indexDigest), foreign.stderr);
  const platformOfOther = attest(`${host}/elsewhere:1`, 'multi-amd64.json');
  assert.equal(platformOfOther.status, 2, platformOfOther.stderr);
  assert.ok(platformOfOther.stderr.includes(amd64) && platformOfOther.stderr.includes(elsewhere), platformOfOther.stderr);

  assert.equal(attest(`${host}/multi:1`, 'multi-amd64.json').status, 0);
  const signed = bosun(['sign', `${host}/multi:1`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  const p = pipeline({ images: { signatures: [{ images: [`${host}/*`], signers: [{ key: keys.publicKey }], scanAttestation: { failOn: 'high', maxAgeDays: 1 } }], budgetMs: 5000, cacheSize: 0 } }, { verifier: registryVerifier({ registry: { insecure: true, retries: 1 } }) });
  const admit = async () => (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image: `${host}/multi:1` }] }))).request)).response;
  const half = await admit();
  assert.equal(half.allowed, false);
  assert.match(half.status!.message, new RegExp(`ADM-IMAGE-SCAN-ATTESTATION at spec\\.containers\\[0\\]\\.image: .* has no acceptable scan attestation: platform linux/arm64 not covered: no scan attestation of ${arm64}$`));

  assert.equal(attest(`${host}/multi:1`, 'multi-arm64.json').status, 0);
  assert.equal((await admit()).allowed, true, 'both platforms attested; the provenance manifest needs no scan');
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

test('cosign-written .sig in the registry: bosun verify reads it, and appending two signers to the first one reproduces cosign\'s 3-signer manifest', { skip }, async () => {
  const DATA = join(ROOT, '../shared/testdata/sigstore/cosign-legacy/connaisseur/');
  const upstream = JSON.parse(readFileSync(join(DATA, 'registry/testimage/manifests/sha256-bfec161fecb0a887df7cb85e4da327c65986ccda7060cf3cd92171c6c90d7533.sig.json'), 'utf8'));
  const blob = (d: string): Buffer => readFileSync(join(DATA, 'registry/testimage/blobs', `${d}.json`));
  const pub = (name: string): string => readFileSync(join(DATA, 'keys', `${name}.key`), 'utf8');
  const imageDigest = 'sha256:bfec161fecb0a887df7cb85e4da327c65986ccda7060cf3cd92171c6c90d7533';
  const writer = new RegistryWriter(parseReference(`${host}/testimage`), { insecure: true }, 'test');
  const [alice, bob, charlie] = upstream.layers as Array<{ mediaType: string; size: number; digest: string; annotations: Record<string, string> }>;
  // cosign's first signature (alice) as cosign would have pushed it.
  const first = legacyManifestOf([alice!]);
  await writer.putBlob(blob(alice!.digest));
  await writer.putBlob(first.config);
  await writer.putManifest(legacyTag(imageDigest), first.manifest, 'application/vnd.oci.image.manifest.v1+json');
  const r1 = await verifyImage(`${host}/testimage@${imageDigest}`, { keys: [pub('alice'), pub('bob')] }, { insecure: true });
  assert.deepEqual(r1.signatures.map((s) => [s.source, s.verified, s.detail]), [['legacy:0', true, 'key:0']]);

  for (const [layer, key] of [[bob!, 'bob'], [charlie!, 'charlie']] as const) {
    assert.equal(await appendLegacyLayer(writer, legacyTag(imageDigest), { payload: blob(layer.digest), annotations: layer.annotations, mediaType: layer.mediaType }, createPublicKey(pub(key))), true);
  }
  assert.equal(await appendLegacyLayer(writer, legacyTag(imageDigest), { payload: blob(alice!.digest), annotations: alice!.annotations, mediaType: alice!.mediaType }, createPublicKey(pub('alice'))), false, 'alice is there already');
  const stored = await manifestBytes('testimage', legacyTag(imageDigest));
  assert.equal(stored.toString(), JSON.stringify(upstream), 'byte for byte what cosign wrote (compact)');
  const r3 = bosun(['verify', `${host}/testimage@${imageDigest}`, '--key', join(DATA, 'keys/alice.key'), '--key', join(DATA, 'keys/bob.key'), '--insecure-registry']);
  assert.equal(r3.status, 0, r3.stderr);
  assert.match(r3.stdout, /verified signature legacy:0: key:0\n.*verified signature legacy:1: key:1\n.*FAILED {3}signature legacy:2: SIGNATURE_ERROR/);
});

/**
 * distribution's own token authentication: the registry accepts only JWTs (ES256, x5c chaining to
 * its root bundle) from this issuer, and allows a push only when the token's `access` grants it.
 * `grant` decides which of the requested actions the token server hands out.
 */
async function startTokenRegistry(grant: (requested: string[]) => string[]): Promise<{ host: string; scopes: string[]; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(work, 'token-registry-'));
  const ca = generateWebhookCerts({ service: 'token-issuer', namespace: 'test' });
  writeFileSync(join(dir, 'root.pem'), ca.caCert);
  const caDer = new X509Certificate(ca.caCert).raw.toString('base64');
  const scopes: string[] = [];
  const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const tokenServer = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.get('scope') ?? '';
    scopes.push(scope);
    const [type, name, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ typ: 'JWT', alg: 'ES256', x5c: [caDer] });
    const claims = b64url({ iss: 'bosun-test-issuer', sub: 'signer', aud: 'bosun-registry', exp: now + 300, nbf: now - 10, iat: now, jti: String(Math.random()), access: scope === '' ? [] : [{ type, name, actions: grant((actions ?? '').split(',')) }] });
    const signature = cryptoSign('sha256', Buffer.from(`${header}.${claims}`), { key: createPrivateKey(ca.caKey), dsaEncoding: 'ieee-p1363' }).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${header}.${claims}.${signature}` }));
  });
  await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', () => r()));
  const realm = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  const port = await freePort();
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: bosun-test\nauth:\n  token:\n    realm: ${realm}\n    service: bosun-registry\n    issuer: bosun-test-issuer\n    rootcertbundle: ${join(dir, 'root.pem')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      await (await fetch(`http://127.0.0.1:${port}/v2/`)).body?.cancel();
      break;
    } catch {
      if (i > 150) throw new Error('token registry did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: `127.0.0.1:${port}`,
    scopes,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      tokenServer.closeAllConnections();
      await new Promise((r) => tokenServer.close(r));
    },
  };
}

test('Bearer tokens of the registry\'s own token auth: sign asks for pull,push and pushes; without a push grant it gets a clear refusal', { skip }, async () => {
  let pushAllowed = true;
  const reg = await startTokenRegistry((requested) => requested.filter((a) => a === 'pull' || pushAllowed));
  try {
    const dir = mkdtempSync(join(work, 'tok-'));
    buildImage(dir, 'tokened', 'x');
    // Not execFileSync: the token server runs in this process.
    const copy = spawn('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${join(dir, 'layout')}:x`, `docker://${reg.host}/tokened:1`], { stdio: ['ignore', 'ignore', 'inherit'] });
    assert.equal(await new Promise((r) => copy.on('close', r)), 0);
    const signed = await bosunAsync(['sign', `${reg.host}/tokened:1`, '--key', 'cosign.key', '--legacy-tag', '--insecure-registry'], {});
    assert.equal(signed.status, 0, signed.stderr);
    assert.ok(reg.scopes.includes('repository:tokened:pull,push'), reg.scopes.join(' '));
    const r = await verifyImage(`${reg.host}/tokened:1`, { keys: [keys.publicKey] }, { insecure: true });
    assert.deepEqual(r.signatures.map((s) => [s.source.split(':')[0], s.verified]), [['legacy', true], ['referrer', true]]);

    // The token server stops granting push: reading still works, the upload is refused, and bosun sign says who refused what.
    pushAllowed = false;
    const refused = await bosunAsync(['sign', `${reg.host}/tokened:1`, '--key', 'other.key', '--insecure-registry'], {});
    assert.equal(refused.status, 2, refused.stdout);
    assert.match(refused.stderr, /tokened:1: 127\.0\.0\.1:\d+ refused (POST|HEAD|PUT) \/v2\/tokened\/\S+ \(HTTP 401, no credentials\)/);
    assert.equal((await verifyImage(`${reg.host}/tokened:1`, { keys: [other.publicKey] }, { insecure: true })).verified, false);
  } finally {
    await reg.stop();
  }
});
