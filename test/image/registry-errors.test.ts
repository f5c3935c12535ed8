/** Registry failure modes against a local HTTP server that misbehaves on purpose. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobCache } from '../../src/image/blob-cache.ts';
import { parseReference } from '../../src/image/reference.ts';
import { parseChallenge } from '../../src/image/sources/registry.ts';
import { scanImage } from '../../src/image/scan.ts';
import { makeTar, writeLayout } from './fixtures.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('registry failures', () => {
  let server: Server;
  let host: string;
  let handler: Handler = (_q, s) => s.writeHead(500).end();
  let hits = 0;
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-regerr-'));
  const layoutDir = join(tmp, 'layout');
  writeLayout(layoutDir, [makeTar([{ name: 'usr/lib/node_modules/a/package.json', body: '{"name":"a","version":"1.0.0"}' }])]);
  const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifestDigest = index.manifests[0]!.digest;
  const blob = (d: string) => readFileSync(join(layoutDir, 'blobs/sha256', d.replace('sha256:', '')));

  before(async () => {
    server = createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });
  const opts = (cacheName: string) => ({ config: false as const, insecure: true, retries: 3, backoffMs: 5, timeoutMs: 400, scanners: [], cache: new BlobCache(join(tmp, cacheName)), dockerConfig: join(tmp, 'none.json') });

  /** Serves the layout; `corrupt` flips a byte of every layer blob. */
  const serveLayout = (corrupt: boolean): Handler => (req, res) => {
    const url = req.url ?? '';
    if (url === `/v2/app/manifests/1.0`) {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': manifestDigest }).end(blob(manifestDigest));
      return;
    }
    const m = /^\/v2\/app\/blobs\/(sha256:[a-f0-9]+)$/.exec(url);
    if (m !== null && existsSync(join(layoutDir, 'blobs/sha256', m[1]!.slice(7)))) {
      const b = Buffer.from(blob(m[1]!));
      const manifest = JSON.parse(blob(manifestDigest).toString()) as { layers: { digest: string }[] };
      if (corrupt && manifest.layers.some((l) => l.digest === m[1])) b[b.length - 12] ^= 0xff;
      res.writeHead(200).end(b);
      return;
    }
    res.writeHead(404).end();
  };

  test('a well-behaved registry works (baseline)', async () => {
    handler = serveLayout(false);
    const r = await scanImage(`${host}/app:1.0`, opts('ok'));
    assert.deepEqual(r.packages.map((p) => p.purl), ['pkg:npm/a@1.0.0']);
    assert.equal(r.image.digest, manifestDigest);
  });

  test('a layer whose bytes do not match its digest: E_DIGEST_MISMATCH and nothing cached', async () => {
    handler = serveLayout(true);
    await assert.rejects(scanImage(`${host}/app:1.0`, opts('bad')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_DIGEST_MISMATCH');
      assert.match(err.message, /digest mismatch .*nothing cached/);
      return true;
    });
    const cached = readdirSync(join(tmp, 'bad/blobs/sha256'));
    // Only the (intact) config blob; no layer, no temp file.
    assert.equal(cached.length, 1);
  });

  test('404 is E_IMAGE_NOT_FOUND without retries', async () => {
    handler = (_q, s) => s.writeHead(404).end();
    hits = 0;
    await assert.rejects(scanImage(`${host}/missing:1`, opts('c404')), { code: 'E_IMAGE_NOT_FOUND' });
    assert.equal(hits, 1);
  });

  test('500 and 429 are retried with backoff, then a clear error', async () => {
    for (const status of [500, 429, 503]) {
      handler = (_q, s) => s.writeHead(status).end();
      hits = 0;
      await assert.rejects(scanImage(`${host}/app:1.0`, opts('c5xx')), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'E_REGISTRY');
        assert.equal(err.message, `${host}/app:1.0: ${host} failed after 3 attempts: HTTP ${status}`);
        return true;
      });
      assert.equal(hits, 3);
    }
  });

  test('a transient 503 then success', async () => {
    let first = true;
    const ok = serveLayout(false);
    handler = (q, s) => {
      if (first) {
        first = false;
        s.writeHead(503).end();
      } else ok(q, s);
    };
    const r = await scanImage(`${host}/app:1.0`, opts('transient'));
    assert.equal(r.packages.length, 1);
  });

  test('a hanging registry times out', async () => {
    handler = () => {};
    await assert.rejects(scanImage(`${host}/app:1.0`, { ...opts('hang'), retries: 2 }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_REGISTRY');
      assert.match(err.message, /failed after 2 attempts: no answer within 400 ms/);
      return true;
    });
  });

  test('401 with a Basic challenge and no credentials', async () => {
    handler = (_q, s) => s.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
    await assert.rejects(scanImage(`${host}/app:1.0`, opts('c401')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_REGISTRY_AUTH');
      assert.match(err.message, /requires a username and password/);
      return true;
    });
  });

  test('unknown manifest media type', async () => {
    handler = (_q, s) => s.writeHead(200, { 'content-type': 'application/vnd.example.thing+json' }).end('{"schemaVersion":2,"mediaType":"application/vnd.example.thing+json"}');
    await assert.rejects(scanImage(`${host}/app:1.0`, opts('media')), { code: 'E_IMAGE_MEDIA_TYPE' });
  });
});

describe('references and challenges', () => {
  test('Docker Hub shorthand, ports, digests', () => {
    assert.deepEqual(parseReference('nginx:1.27'), { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' });
    assert.deepEqual(parseReference('nginx'), { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' });
    assert.deepEqual(parseReference('bitnami/redis'), { registry: 'docker.io', repository: 'bitnami/redis', tag: 'latest' });
    assert.deepEqual(parseReference('registry.example.com/team/app:1.2'), { registry: 'registry.example.com', repository: 'team/app', tag: '1.2' });
    assert.deepEqual(parseReference('localhost:5000/app'), { registry: 'localhost:5000', repository: 'app', tag: 'latest' });
    const d = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseReference(`ghcr.io/o/r@${d}`), { registry: 'ghcr.io', repository: 'o/r', digest: d });
    assert.throws(() => parseReference('UPPER/case'), { code: 'E_USAGE' });
    assert.throws(() => parseReference('x@sha256:123'), { code: 'E_USAGE' });
  });

  test('WWW-Authenticate parsing', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  });
});
