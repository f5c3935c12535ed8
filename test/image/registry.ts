/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1, with
 * an optional htpasswd (basic auth) realm, plus a small token gate that puts the Bearer challenge
 * flow (Docker token spec) in front of it. Images are pushed with skopeo.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRegistry {
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch {
      if (Date.now() > end) throw new Error(`registry did not start: ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startRegistry(auth?: { username: string; password: string }): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-registry-'));
  const port = await freePort();
  let authBlock = '';
  if (auth !== undefined) {
    execFileSync('htpasswd', ['-Bbc', join(dir, 'htpasswd'), auth.username, auth.password], { stdio: 'ignore' });
    authBlock = `auth:\n  htpasswd:\n    realm: bosun-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: bosun-test-secret\n${authBlock}`);
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${port}/v2/`, 15000);
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function push(source: string, host: string, repoTag: string, creds?: { username: string; password: string }): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...(creds === undefined ? [] : ['--dest-creds', `${creds.username}:${creds.password}`]), source, `docker://${host}/${repoTag}`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * A Bearer-token gate in front of `upstream`: `/v2/*` without the token answers 401 with
 * `WWW-Authenticate: Bearer realm=…/token,service=…,scope=…`; `/token` hands out the token when
 * the basic credentials match, or (POST, OAuth2 refresh-token grant) when `identityToken` is given
 * as the refresh token, or without credentials at all when `anonymousPull` (Docker Hub's public
 * images). Counts requests per path prefix for cache assertions.
 */
export async function startTokenGate(upstream: string, creds: { username: string; password: string }, identityToken?: string, anonymousPull = false): Promise<RunningRegistry & { counts: Map<string, number>; tokenRequests: number }> {
  const token = 'bosun-test-token';
  const state = { counts: new Map<string, number>(), tokenRequests: 0 };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const host = req.headers.host ?? '';
    if (url.startsWith('/token')) {
      state.tokenRequests++;
      const expected = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      const u = new URL(url, `http://${host}`);
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          const form = new URLSearchParams(body);
          const ok = identityToken !== undefined && form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === identityToken && form.get('service') === 'bosun-gate' && (form.get('scope') ?? '').startsWith('repository:') && form.get('client_id') !== null;
          if (!ok) res.writeHead(401).end();
          else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token }));
        });
        return;
      }
      if ((req.headers.authorization !== expected && !(anonymousPull && req.headers.authorization === undefined)) || u.searchParams.get('service') !== 'bosun-gate' || !(u.searchParams.get('scope') ?? '').startsWith('repository:')) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+?)\/(manifests|blobs)\//.exec(url)?.[1] ?? '';
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="bosun-gate",scope="repository:${repo}:pull"` }).end();
      return;
    }
    const kind = /\/(manifests|blobs)\//.exec(url)?.[1] ?? 'other';
    state.counts.set(kind, (state.counts.get(kind) ?? 0) + 1);
    const [uh, up] = upstream.split(':');
    const headers = { ...req.headers, host: upstream };
    delete headers.authorization;
    const proxied = httpRequest({ host: uh, port: Number(up), path: url, method: req.method, headers }, (up2) => {
      res.writeHead(up2.statusCode ?? 502, up2.headers);
      up2.pipe(res);
    });
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    get counts() {
      return state.counts;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
