/**
 * The signature writer against a registry that misbehaves (a real docker-registry never does):
 * each odd answer is one clear error naming what was wrong, and nothing is written over.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { RegistryWriter } from '../../src/sign/push.ts';
import { parseReference } from '../../src/image/reference.ts';

const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }));
const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const answers = new Map<string, (res: import('node:http').ServerResponse) => void>([
  ['GET /v2/app/manifests/not-json', (res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end('{nope')],
  ['GET /v2/app/manifests/array', (res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end('[]')],
  ['GET /v2/app/manifests/lying', (res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': `sha256:${'0'.repeat(64)}` }).end(MANIFEST)],
  ['GET /v2/app/manifests/huge', (res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(Buffer.alloc(5 * 1024 * 1024, 32))],
  ['HEAD /v2/app/blobs/', (res) => res.writeHead(404).end()],
  ['POST /v2/app/blobs/uploads/', (res) => res.writeHead(202).end()],
  ['PUT /v2/app/manifests/v1', (res) => res.writeHead(201, { 'docker-content-digest': `sha256:${'1'.repeat(64)}` }).end()],
]);
let server: Server;
let host = '';

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    const key = `${req.method} ${req.url!.split('?')[0]}`;
    const hit = [...answers].find(([k]) => key === k || (k.endsWith('/') && key.startsWith(k)));
    if (hit === undefined) res.writeHead(500).end();
    else hit[1](res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

const writer = (): RegistryWriter => new RegistryWriter(parseReference(`${host}/app:v1`), { insecure: true, retries: 1, dockerConfig: '/nonexistent' }, `${host}/app:v1`);

test('manifests that are not JSON, not an object, too large, or not the bytes the registry names are errors naming them', async () => {
  await assert.rejects(writer().getManifest('not-json'), { code: 'E_IMAGE_MANIFEST', message: /manifest not-json is not JSON/ });
  await assert.rejects(writer().getManifest('array'), { code: 'E_IMAGE_MANIFEST', message: /manifest array is not a JSON object$/ });
  await assert.rejects(writer().getManifest('huge'), { code: 'E_IMAGE_MANIFEST', message: /manifest huge is \d+ bytes, too large$/ });
  await assert.rejects(writer().getManifest('lying'), { code: 'E_REGISTRY', message: /registry digest sha256:0{64} of lying does not match the manifest bytes/ });
});

test('an upload without a Location, a manifest stored under another digest, and a 5xx are errors naming the registry', async () => {
  await assert.rejects(writer().putBlob(Buffer.from('payload')), { code: 'E_REGISTRY', message: new RegExp(`${host.replace('.', '\\.')} started an upload without a Location$`) });
  await assert.rejects(writer().putManifest('v1', MANIFEST, 'application/vnd.oci.image.manifest.v1+json'), { code: 'E_REGISTRY', message: new RegExp(`registry stored v1 as sha256:1{64}, not as the pushed bytes ${digestOf(MANIFEST)}$`) });
  await assert.rejects(writer().getManifest('other'), { code: 'E_REGISTRY', message: /failed after 1 attempts: HTTP 500$/ });
});
