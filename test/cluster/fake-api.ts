/**
 * A local HTTPS server that answers like kube-apiserver: discovery documents from
 * ../shared/testdata/kube-api/, lists built from test manifests with `limit`/`continue`
 * pagination, 403 Status for chosen resources, garbage for others, bearer-token and
 * client-certificate authentication. Certificates are made at test time with openssl in a
 * temporary directory; no key is ever written to the repository.
 */
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../src/manifests/load.ts';
import { SHARED_TESTDATA } from '../helpers.ts';

const KUBE_API = join(SHARED_TESTDATA, 'kube-api');

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
}

let certs: TestCerts | undefined;

export function testCerts(): TestCerts {
  if (certs !== undefined) return certs;
  const dir = mkdtempSync(join(tmpdir(), 'bosun-kube-'));
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string): void => ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`);
  key('ca');
  key('stranger-ca');
  const leaf = (name: string, ca: string, subj: string, ext: string): void => {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
  };
  leaf('server', 'ca', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'ca', '/O=system:masters/CN=bosun-test', 'extendedKeyUsage=clientAuth\n');
  leaf('stranger', 'stranger-ca', '/CN=stranger', 'extendedKeyUsage=clientAuth\n');
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  certs = { dir, ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key'), strangerCert: read('stranger.crt'), strangerKey: read('stranger.key') };
  return certs;
}

export interface FakeApiOptions {
  objects: ReadonlyArray<Record<string, unknown>>;
  token?: string;
  /** Resource plurals answered with 403 Forbidden. */
  forbidden?: readonly string[];
  /** Resource plurals answered with a 200 that is not JSON. */
  garbage?: readonly string[];
  /** Largest page the server returns whatever the client asks (forces pagination). */
  maxPage?: number;
}

export interface FakeApi {
  url: string;
  /** Every request path, in order. */
  requests: string[];
  close(): Promise<void>;
}

function discoveryFile(path: string): string | undefined {
  if (path === '/api') return join(KUBE_API, 'discovery', 'api.json');
  if (path === '/apis') return join(KUBE_API, 'recorded', 'extracted', 'v1-36', 'apis.APIGroupList.json');
  const name = path.slice(1).replace(/\//g, '__');
  const file = join(KUBE_API, 'discovery', `${name}.json`);
  return existsSync(file) ? file : undefined;
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const c = testCerts();
  const requests: string[] = [];
  const server: Server = createServer({ key: c.serverKey, cert: c.serverCert, ca: c.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, body: string, type = 'application/json'): void => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    const socket = req.socket as TLSSocket;
    const byToken = options.token !== undefined && req.headers.authorization === `Bearer ${options.token}`;
    if (!byToken && !socket.authorized) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'read-only test server'));
    const file = discoveryFile(url.pathname);
    if (file !== undefined) return send(200, readFileSync(file, 'utf8'));
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(url.pathname);
    if (m === null) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, coreVersion, group = '', groupVersion, namespace, plural] = m;
    const version = coreVersion ?? groupVersion!;
    const gvFile = discoveryFile(group === '' ? `/api/${version}` : `/apis/${group}/${version}`);
    if (gvFile === undefined) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const resources = (JSON.parse(readFileSync(gvFile, 'utf8')) as { resources: Array<{ name: string; kind: string }> }).resources;
    const kind = resources.find((r) => r.name === plural)?.kind;
    if (kind === undefined) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (options.forbidden?.includes(plural!)) return send(403, status(403, 'Forbidden', `${plural} is forbidden: User "bosun-test" cannot list resource "${plural}" in API group "${group}" at the cluster scope`));
    if (options.garbage?.includes(plural!)) return send(200, '<html><body>502 Bad Gateway</body></html>', 'text/html');
    const items = options.objects.filter((o) => {
      const av = String(o['apiVersion'] ?? '');
      const g = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
      const ns = (o['metadata'] as { namespace?: string } | undefined)?.namespace;
      return o['kind'] === kind && g === group && (namespace === undefined || ns === namespace);
    }).map((o) => {
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    });
    const limit = Math.min(Number(url.searchParams.get('limit') ?? items.length) || items.length, options.maxPage ?? Infinity);
    const token = url.searchParams.get('continue');
    const offset = token === null ? 0 : (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number }).offset;
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64') : undefined;
    send(200, JSON.stringify({ kind: `${kind}List`, apiVersion: group === '' ? version : `${group}/${version}`, metadata: { resourceVersion: '12345', ...(next !== undefined && { continue: next, remainingItemCount: items.length - offset - limit }) }, items: page }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A kubeconfig for the fake server: token or client-certificate user, optionally without the CA. */
export function writeKubeconfig(server: string, user: { token?: string; cert?: string; key?: string; execToken?: string }, options: { trustCa?: boolean; name?: string } = {}): string {
  const c = testCerts();
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  let userLines = user.token !== undefined ? `    token: ${user.token}` : `    client-certificate-data: ${b64(user.cert ?? '')}\n    client-key-data: ${b64(user.key ?? '')}`;
  if (user.execToken !== undefined) {
    // An exec credential plugin, as cloud providers ship them (client.authentication.k8s.io/v1).
    const plugin = join(c.dir, `exec-plugin-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${user.execToken}"}}'\n`, { mode: 0o755 });
    userLines = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`;
  }
  const yaml = `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server}
${options.trustCa === false ? '' : `    certificate-authority-data: ${b64(c.ca)}\n`}contexts:
- name: test
  context: { cluster: test, user: tester }
- name: other
  context: { cluster: test, user: tester }
current-context: test
users:
- name: tester
  user:
${userLines}
`;
  const file = join(c.dir, `${options.name ?? 'kubeconfig'}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

export const TOKEN = 'bosun-test-token-3f9a';

/** The objects the fake cluster holds: the RBAC fixture plus one netpol truth-table case (read in place). */
export async function testObjects(): Promise<Array<Record<string, unknown>>> {
  const netpolCase = join(SHARED_TESTDATA, 'netpol', 'e2e-ingress-named-port');
  const loaded = await loadManifests([fileURLToPath(new URL('../rbac/fixtures/cluster.yaml', import.meta.url)), join(netpolCase, 'cluster.yaml'), join(netpolCase, 'policies.yaml')]);
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  return loaded.resources.map((r) => structuredClone(r.object));
}
