/** Test helpers for the admission webhook: temporary TLS material, a server on 127.0.0.1:0, an HTTPS client. */
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWebhookCerts, type WebhookCerts } from '../../src/admission/certs.ts';
import { resolveAdmissionConfig, type AdmissionConfigInput } from '../../src/admission/config.ts';
import { AdmissionPipeline, type PipelineOptions } from '../../src/admission/pipeline.ts';
import { startAdmissionServer, type AdmissionServer, type ServeOptions } from '../../src/admission/server.ts';

export const ADMISSION_DATA = new URL('../../../shared/testdata/admission/', import.meta.url).pathname;

export interface TlsFiles extends WebhookCerts {
  dir: string;
  certFile: string;
  keyFile: string;
}

export function writeTls(dir = mkdtempSync(join(tmpdir(), 'bosun-adm-'))): TlsFiles {
  const certs = generateWebhookCerts({ service: 'bosun', namespace: 'bosun-system', extraNames: ['localhost', '127.0.0.1'] });
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, certs.cert);
  writeFileSync(keyFile, certs.key);
  return { ...certs, dir, certFile, keyFile };
}

export function pipeline(admission?: AdmissionConfigInput, extra: Omit<PipelineOptions, 'admission'> = {}): AdmissionPipeline {
  return new AdmissionPipeline({ admission: resolveAdmissionConfig(admission), ...extra });
}

export async function serve(p: AdmissionPipeline, extra: Partial<ServeOptions> = {}): Promise<{ server: AdmissionServer; tls: TlsFiles }> {
  const tls = writeTls();
  const server = await startAdmissionServer({ pipeline: p, tlsCertFile: tls.certFile, tlsKeyFile: tls.keyFile, port: 0, ...extra });
  return { server, tls };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** One HTTPS request, trusting only `ca`; a new connection unless a keep-alive `agent` is given. */
export function call(port: number, ca: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, agent: Agent | false = false): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, method, path, ca, servername: 'localhost', agent, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A fixture as a request body: bare AdmissionRequests are wrapped in an admission.k8s.io/v1 AdmissionReview (index.json says which). */
export function fixtureBody(file: string, wrapper: string | null): string {
  const text = readFileSync(join(ADMISSION_DATA, file), 'utf8');
  if (wrapper !== null && wrapper.startsWith('AdmissionRequest')) return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: JSON.parse(text) });
  return text;
}

/** A v1 AdmissionReview around `object`. */
export function review(object: Record<string, unknown> | undefined, over: Record<string, unknown> = {}): string {
  const kind = String(object?.['kind'] ?? 'Pod');
  const groupVersion = String(object?.['apiVersion'] ?? 'v1');
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'a1b2c3',
      kind: { group, version, kind },
      resource: { group, version, resource: `${kind.toLowerCase()}s` },
      namespace: 'team',
      operation: 'CREATE',
      userInfo: { username: 'alice' },
      object,
      oldObject: null,
      dryRun: false,
      ...over,
    },
  });
}

export function deployment(podSpec: Record<string, unknown>, name = 'web'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'team' },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

export function pod(spec: Record<string, unknown>, name = 'p'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team' }, spec };
}
