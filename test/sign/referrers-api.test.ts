/**
 * A registry with the OCI 1.1 referrers API (Debian's docker-registry 2.8, used by
 * registry.test.ts, has none): `bosun sign` stores the bundle as a referrer the registry indexes
 * by its subject (answered with `OCI-Subject`), writes no `sha256-<hex>` fallback tag, and
 * `bosun verify` finds it through `GET /v2/<name>/referrers/<digest>`. The registry is a small
 * in-memory implementation of the distribution API parts bosun uses, digests checked on upload.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../../src/sign/keys.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PASSWORD = 'test password';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The registry's state: blobs and manifests by digest, tags, and referrers by subject digest. */
const blobs = new Map<string, Buffer>();
const manifests = new Map<string, { data: Buffer; mediaType: string }>();
const tags = new Map<string, string>();
const referrers = new Map<string, Array<Record<string, unknown>>>();
const uploads = new Set<string>();
let server: Server;
let host = '';
let work = '';

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] }));
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function storeManifest(repo: string, reference: string, data: Buffer, mediaType: string): { digest: string; subject?: string } {
  const digest = sha256(data);
  manifests.set(`${repo}@${digest}`, { data, mediaType });
  if (!reference.startsWith('sha256:')) tags.set(`${repo}:${reference}`, digest);
  const json = JSON.parse(data.toString('utf8')) as { subject?: { digest: string }; artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
  if (json.subject === undefined) return { digest };
  const list = referrers.get(`${repo}@${json.subject.digest}`) ?? [];
  if (!list.some((d) => d['digest'] === digest)) {
    list.push({ mediaType, digest, size: data.length, artifactType: json.artifactType ?? json.config?.mediaType, ...(json.annotations !== undefined && { annotations: json.annotations }) });
  }
  referrers.set(`${repo}@${json.subject.digest}`, list);
  return { digest, subject: json.subject.digest };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url!, 'http://registry');
  const path = url.pathname;
  if (path === '/v2/' || path === '/v2') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  let m = /^\/v2\/(.+)\/blobs\/uploads\/(.*)$/.exec(path);
  if (m !== null) {
    const [, repo, id] = m;
    if (req.method === 'POST') {
      const upload = `${uploads.size + 1}`;
      uploads.add(upload);
      return void res.writeHead(202, { location: `/v2/${repo}/blobs/uploads/${upload}`, 'content-length': '0' }).end();
    }
    if (req.method === 'PUT' && uploads.has(id!)) {
      const data = await body(req);
      const digest = url.searchParams.get('digest');
      if (digest !== sha256(data)) return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'DIGEST_INVALID' }] }));
      blobs.set(digest, data);
      uploads.delete(id!);
      return void res.writeHead(201, { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest }).end();
    }
    return notFound(res);
  }
  m = /^\/v2\/(.+)\/(blobs|manifests|referrers)\/([^/]+)$/.exec(path);
  if (m === null) return notFound(res);
  const [, repo, kind, reference] = m as unknown as [string, string, string, string];
  if (kind === 'blobs') {
    const data = blobs.get(reference);
    if (data === undefined) return notFound(res);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(data.length), 'docker-content-digest': reference });
    return void res.end(req.method === 'HEAD' ? undefined : data);
  }
  if (kind === 'referrers') {
    if (req.method !== 'GET') return notFound(res);
    const wanted = url.searchParams.get('artifactType');
    const list = (referrers.get(`${repo}@${reference}`) ?? []).filter((d) => wanted === null || d['artifactType'] === wanted);
    res.writeHead(200, { 'content-type': OCI_INDEX, ...(wanted !== null && { 'oci-filters-applied': 'artifactType' }) });
    return void res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: list }));
  }
  if (req.method === 'PUT') {
    const data = await body(req);
    const stored = storeManifest(repo, reference, data, req.headers['content-type'] ?? OCI_MANIFEST);
    return void res.writeHead(201, { location: `/v2/${repo}/manifests/${stored.digest}`, 'docker-content-digest': stored.digest, ...(stored.subject !== undefined && { 'oci-subject': stored.subject }) }).end();
  }
  const digest = reference.startsWith('sha256:') ? reference : tags.get(`${repo}:${reference}`);
  const manifest = digest === undefined ? undefined : manifests.get(`${repo}@${digest}`);
  if (manifest === undefined) return notFound(res);
  res.writeHead(200, { 'content-type': manifest.mediaType, 'content-length': String(manifest.data.length), 'docker-content-digest': digest! });
  res.end(req.method === 'HEAD' ? undefined : manifest.data);
}

/** An image (config, one layer, manifest) stored under `repo:tag`; returns its manifest digest. */
function storeImage(repo: string, tag: string, content: string): string {
  const layer = Buffer.from(content);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }));
  blobs.set(sha256(layer), layer);
  blobs.set(sha256(config), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
  }));
  return storeManifest(repo, tag, manifest, OCI_MANIFEST).digest;
}

function bosun(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Not spawnSync: the registry answers from this process's event loop.
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: work, env: { ...process.env, BOSUN_PASSWORD: PASSWORD, NO_COLOR: '1', DOCKER_CONFIG: join(work, 'no-docker-config') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'bosun-referrers-'));
  for (const name of ['cosign', 'other']) {
    const keys = generateKeyPair(PASSWORD, { N: 1024, r: 8, p: 1 });
    writeFileSync(join(work, `${name}.key`), keys.privateKey);
    writeFileSync(join(work, `${name}.pub`), keys.publicKey);
  }
  server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

test('sign stores the bundle through the referrers API (no fallback tag); verify finds it there; each signer is listed', async () => {
  const digest = storeImage('team/app', '1.0', 'layer one');
  const signed = await bosun(['sign', `${host}/team/app:1.0`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(signed.stdout, new RegExp(`^signed ${host.replace(/\./g, '\\.')}/team/app:1\\.0@${digest}$`, 'm'));
  assert.match(signed.stdout, /pushed referrer sha256:[0-9a-f]{64}/);
  assert.doesNotMatch(signed.stdout, /referrers tag/);
  assert.equal(tags.get(`team/app:${digest.replace(':', '-')}`), undefined, 'no sha256-<hex> fallback tag where the API indexes referrers');

  // What the registry indexed: one referrer of the image, a Sigstore bundle whose subject is the image.
  const listed = referrers.get(`team/app@${digest}`) ?? [];
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!['artifactType'], BUNDLE);
  const referrer = JSON.parse(manifests.get(`team/app@${String(listed[0]!['digest'])}`)!.data.toString('utf8')) as { subject: { digest: string }; layers: Array<{ mediaType: string }> };
  assert.equal(referrer.subject.digest, digest);
  assert.equal(referrer.layers[0]!.mediaType, BUNDLE);

  const ok = await bosun(['verify', `${host}/team/app:1.0`, '--key', 'cosign.pub', '--insecure-registry', '--format', 'json']);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  const result = JSON.parse(ok.stdout) as { digest: string; signatures: Array<{ source: string; verified: boolean; detail: string }> };
  assert.equal(result.digest, digest);
  assert.deepEqual(result.signatures.map((s) => [s.source.split(':')[0], s.verified, s.detail]), [['referrer', true, 'key:0']]);

  const wrong = await bosun(['verify', `${host}/team/app:1.0`, '--key', 'other.pub', '--insecure-registry']);
  assert.equal(wrong.status, 1, wrong.stdout);
  assert.match(wrong.stdout, /FAILED {3}signature referrer:sha256:[0-9a-f]{64} .*SIGNATURE_ERROR: DSSE signature does not verify with any trusted key/);

  // A second signer adds a second referrer; both verify, each with its own key.
  const second = await bosun(['sign', `${host}/team/app@${digest}`, '--key', 'other.key', '--insecure-registry']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(referrers.get(`team/app@${digest}`)?.length, 2);
  const both = await bosun(['verify', `${host}/team/app:1.0`, '--key', 'other.pub', '--insecure-registry', '--format', 'json']);
  assert.equal(both.status, 0, both.stdout);
  assert.deepEqual((JSON.parse(both.stdout) as typeof result).signatures.map((s) => s.verified).sort(), [false, true]);
});

test('a moved tag is not vouched for by the old image\'s referrers', async () => {
  const first = storeImage('team/web', 'stable', 'web one');
  const signed = await bosun(['sign', `${host}/team/web:stable`, '--key', 'cosign.key', '--insecure-registry']);
  assert.equal(signed.status, 0, signed.stderr);
  const second = storeImage('team/web', 'stable', 'web two');
  assert.notEqual(first, second);
  const moved = await bosun(['verify', `${host}/team/web:stable`, '--key', 'cosign.pub', '--insecure-registry']);
  assert.equal(moved.status, 1, moved.stdout);
  const pinned = await bosun(['verify', `${host}/team/web@${first}`, '--key', 'cosign.pub', '--insecure-registry']);
  assert.equal(pinned.status, 0, pinned.stdout + pinned.stderr);
});
