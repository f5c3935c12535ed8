/**
 * Reading a live cluster, read-only: `@kubernetes/client-node` loads the kubeconfig (or the
 * in-cluster service account) and applies its credentials (token, client certificate, exec
 * plugin, CA) to each request; bosun then GETs discovery and lists every kind the analyses need,
 * page by page (`limit` + `continue`). Only GET requests are ever sent. A kind the credentials may
 * not list (403) or the server does not serve (404) becomes a note, and the rest continues;
 * an unreachable server or rejected credentials (401) stop the collection with one clear error.
 * Secrets are never read.
 */
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { BosunError, errorMessage } from '../core/errors.ts';

export interface KindRef {
  group: string;
  version: string;
  kind: string;
}

/** What the checks, the RBAC model and the network model read. */
export const COLLECTED_KINDS: readonly KindRef[] = [
  ...['Namespace', 'Node', 'Pod', 'ServiceAccount', 'Service', 'ConfigMap', 'ReplicationController', 'PersistentVolume'].map((kind) => ({ group: '', version: 'v1', kind })),
  ...['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet'].map((kind) => ({ group: 'apps', version: 'v1', kind })),
  ...['Job', 'CronJob'].map((kind) => ({ group: 'batch', version: 'v1', kind })),
  ...['NetworkPolicy', 'Ingress'].map((kind) => ({ group: 'networking.k8s.io', version: 'v1', kind })),
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((kind) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', kind })),
  ...['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map((kind) => ({ group: 'admissionregistration.k8s.io', version: 'v1', kind })),
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  ...['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'].map((kind) => ({ group: 'policy.networking.k8s.io', version: 'v1alpha1', kind })),
];

export interface ClusterConnection {
  /** A kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account). */
  kubeconfig?: string;
  context?: string;
  /** A loaded config (embedders and tests). */
  kubeConfig?: KubeConfig;
  /** Filesystem root under which the in-cluster service-account files are read (default `/`). */
  serviceAccountRoot?: string;
}

export interface CollectOptions extends ClusterConnection {
  /** Only these namespaces (cluster-scoped kinds are still read). */
  namespaces?: readonly string[];
  /** Items per page (default 500). */
  pageSize?: number;
  kinds?: readonly KindRef[];
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Called after each kind is read (for a progress line on a terminal). */
  onProgress?: (kind: string, items: number, done: number, total: number) => void;
}

export interface CollectNote {
  code: 'E_CLUSTER_FORBIDDEN' | 'E_CLUSTER_NOT_SERVED' | 'E_CLUSTER_BAD_RESPONSE' | 'E_CLUSTER_HTTP';
  kind: string;
  namespace?: string;
  message: string;
}

export interface ClusterSnapshot {
  server: string;
  context: string | undefined;
  /** Objects by kind, each with apiVersion and kind set, managedFields dropped. */
  lists: Array<{ kind: KindRef; items: Array<Record<string, unknown>> }>;
  notes: CollectNote[];
  requests: number;
}

/** client-node is loaded only when a cluster is read: it costs a second of start-up for every other command. */
export async function loadKubeConfig(conn: ClusterConnection): Promise<KubeConfig> {
  let kc = conn.kubeConfig;
  if (kc === undefined) {
    const { KubeConfig: Config } = await import('@kubernetes/client-node');
    kc = new Config();
    const source = configSource(conn);
    try {
      if (source.kind === 'file') kc.loadFromFile(source.path);
      else if (source.kind === 'default') kc.loadFromDefault();
      else kc.loadFromCluster(source.root);
    } catch (err) {
      throw new BosunError('E_CLUSTER_CONFIG', `${source.kind === 'file' ? source.path : source.kind === 'default' ? 'kubeconfig' : 'in-cluster service account'}: cannot load (${errorMessage(err).split('\n')[0]})`, { cause: err });
    }
  }
  if (conn.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === conn.context)) throw new BosunError('E_CLUSTER_CONFIG', `--context ${conn.context}: no such context in the kubeconfig (${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(conn.context);
  }
  if (kc.getCurrentCluster() === null) throw new BosunError('E_CLUSTER_CONFIG', 'no cluster configured: pass --kubeconfig or --context, or set KUBECONFIG');
  return kc;
}

const SERVICE_ACCOUNT_DIR = 'var/run/secrets/kubernetes.io/serviceaccount';

type ConfigSource = { kind: 'file'; path: string } | { kind: 'default' } | { kind: 'in-cluster'; root: string };

/**
 * Where the credentials come from, in kubectl's order: --kubeconfig, $KUBECONFIG, ~/.kube/config,
 * then the pod's service account (KUBERNETES_SERVICE_HOST/PORT + the mounted token and CA).
 * Nothing found is an error: client-node would otherwise fall back to plain http://localhost:8080.
 */
function configSource(conn: ClusterConnection): ConfigSource {
  if (conn.kubeconfig !== undefined) return { kind: 'file', path: conn.kubeconfig };
  if ((process.env['KUBECONFIG'] ?? '') !== '' || existsSync(join(homedir(), '.kube', 'config'))) return { kind: 'default' };
  const root = conn.serviceAccountRoot ?? '/';
  if ((process.env['KUBERNETES_SERVICE_HOST'] ?? '') !== '' && existsSync(join(root, SERVICE_ACCOUNT_DIR, 'token'))) {
    // client-node prefixes the absolute /var/run/… paths with the root as a string.
    return { kind: 'in-cluster', root: root === '/' ? '' : root.replace(/\/+$/, '') };
  }
  throw new BosunError('E_CLUSTER_CONFIG', 'no cluster configured: pass --kubeconfig or --context, set KUBECONFIG, or run in a pod with a service account');
}

interface Response {
  status: number;
  text: string;
}

async function get(kc: KubeConfig, server: string, path: string, timeoutMs: number): Promise<Response> {
  const url = new URL(path, server);
  const opts: Record<string, unknown> & { headers: Record<string, string> } = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts as never);
  const send = url.protocol === 'http:' ? httpRequest : request;
  return new Promise<Response>((resolve, reject) => {
    const req = send(url, { ...opts, timeout: timeoutMs } as never, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // Each request gets a fresh agent from client-node (credentials may rotate, e.g. exec plugins); close it so no idle socket keeps the process alive.
        (opts['agent'] as { destroy?: () => void } | undefined)?.destroy?.();
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => {
      (opts['agent'] as { destroy?: () => void } | undefined)?.destroy?.();
      reject(err);
    });
    req.end();
  }).catch((err: unknown) => {
    const code = (err as { code?: string }).code ?? '';
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/.test(code);
    throw new BosunError(tls ? 'E_CLUSTER_TLS' : 'E_CLUSTER_UNREACHABLE', `${tls ? 'TLS handshake with' : 'cannot reach'} the API server at ${server} (${code || errorMessage(err)})`, { cause: err });
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function statusMessage(r: Response): string {
  const body = parseJson(r.text);
  const m = typeof body?.['message'] === 'string' ? body['message'] : r.text.slice(0, 120).replace(/\s+/g, ' ');
  return `HTTP ${r.status}${m === '' ? '' : `: ${m}`}`;
}

function gvPath(k: KindRef): string {
  return k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
}

function apiVersionOf(k: KindRef): string {
  return k.group === '' ? k.version : `${k.group}/${k.version}`;
}

interface Discovered {
  plural: string;
  namespaced: boolean;
}

/** Collects every kind; throws only when the server cannot be reached or rejects the credentials. */
export async function collectCluster(options: CollectOptions = {}): Promise<ClusterSnapshot> {
  const kc = await loadKubeConfig(options);
  const server = kc.getCurrentCluster()!.server;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pageSize = options.pageSize ?? 500;
  const snapshot: ClusterSnapshot = { server, context: kc.getCurrentContext() || undefined, lists: [], notes: [], requests: 0 };
  const fetch = async (path: string): Promise<Response> => {
    snapshot.requests++;
    const r = await get(kc, server, path, timeoutMs);
    if (r.status === 401) throw new BosunError('E_CLUSTER_AUTH', `the API server at ${server} rejected the credentials (401 Unauthorized): the token or client certificate is missing, invalid or expired`);
    return r;
  };
  const discovery = new Map<string, Map<string, Discovered> | CollectNote>();
  const kinds = options.kinds ?? COLLECTED_KINDS;
  for (const [i, kind] of kinds.entries()) {
    options.onProgress?.(kind.kind, snapshot.lists.at(-1)?.items.length ?? 0, i, kinds.length);
    const gv = gvPath(kind);
    if (!discovery.has(gv)) discovery.set(gv, await discover(fetch, gv, kind));
    const found = discovery.get(gv)!;
    if (!(found instanceof Map)) {
      snapshot.notes.push({ ...found, kind: kind.kind, message: `${kind.kind}: ${found.message}` });
      continue;
    }
    const d = found.get(kind.kind);
    if (d === undefined) {
      snapshot.notes.push({ code: 'E_CLUSTER_NOT_SERVED', kind: kind.kind, message: `${kind.kind}: not served by ${apiVersionOf(kind)} on this cluster` });
      continue;
    }
    const scopes = d.namespaced && options.namespaces !== undefined && options.namespaces.length > 0 ? options.namespaces.map((ns) => ns as string | undefined) : [undefined];
    const items: Array<Record<string, unknown>> = [];
    for (const ns of scopes) {
      const base = `${gv}${ns === undefined ? '' : `/namespaces/${encodeURIComponent(ns)}`}/${d.plural}`;
      const note = await listAll(fetch, base, pageSize, kind, items);
      if (note !== undefined) snapshot.notes.push(ns === undefined ? note : { ...note, namespace: ns, message: `${note.message} (namespace ${ns})` });
    }
    snapshot.lists.push({ kind, items });
  }
  return snapshot;
}

async function discover(fetch: (p: string) => Promise<Response>, gv: string, kind: KindRef): Promise<Map<string, Discovered> | CollectNote> {
  const r = await fetch(gv);
  if (r.status === 404) return { code: 'E_CLUSTER_NOT_SERVED', kind: kind.kind, message: `${apiVersionOf(kind)} is not served by this cluster` };
  if (r.status === 403) return { code: 'E_CLUSTER_FORBIDDEN', kind: kind.kind, message: `discovery of ${apiVersionOf(kind)} not readable with these credentials (403 Forbidden)` };
  if (r.status !== 200) return { code: 'E_CLUSTER_HTTP', kind: kind.kind, message: `discovery of ${apiVersionOf(kind)} failed (${statusMessage(r)})` };
  const body = parseJson(r.text);
  const resources = body?.['resources'];
  if (!Array.isArray(resources)) return { code: 'E_CLUSTER_BAD_RESPONSE', kind: kind.kind, message: `discovery of ${apiVersionOf(kind)} is not an APIResourceList` };
  const out = new Map<string, Discovered>();
  for (const raw of resources) {
    const res = raw as { name?: unknown; kind?: unknown; namespaced?: unknown };
    // The first entry of a kind is the resource itself; subresources (pods/status) follow it.
    if (typeof res.name !== 'string' || typeof res.kind !== 'string' || res.name.includes('/') || out.has(res.kind)) continue;
    out.set(res.kind, { plural: res.name, namespaced: res.namespaced === true });
  }
  return out;
}

async function listAll(fetch: (p: string) => Promise<Response>, base: string, pageSize: number, kind: KindRef, into: Array<Record<string, unknown>>): Promise<CollectNote | undefined> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const r = await fetch(`${base}?limit=${pageSize}${token === undefined ? '' : `&continue=${encodeURIComponent(token)}`}`);
    if (r.status === 403) return { code: 'E_CLUSTER_FORBIDDEN', kind: kind.kind, message: `${kind.kind}: not readable with these credentials (403 Forbidden)` };
    if (r.status !== 200) return { code: 'E_CLUSTER_HTTP', kind: kind.kind, message: `${kind.kind}: list failed (${statusMessage(r)})` };
    const body = parseJson(r.text);
    const items = body?.['items'];
    if (body === undefined || !Array.isArray(items)) return { code: 'E_CLUSTER_BAD_RESPONSE', kind: kind.kind, message: `${kind.kind}: the server's answer is not a Kubernetes list (${r.text.length === 0 ? 'empty body' : `starts with ${JSON.stringify(r.text.slice(0, 40))}`})` };
    for (const item of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      const obj: Record<string, unknown> = { apiVersion: apiVersionOf(kind), kind: kind.kind, ...(item as Record<string, unknown>) };
      const meta = obj['metadata'];
      if (meta !== null && typeof meta === 'object') delete (meta as Record<string, unknown>)['managedFields'];
      into.push(obj);
    }
    const next = (body['metadata'] as { continue?: unknown } | undefined)?.continue;
    if (typeof next !== 'string' || next === '') return undefined;
    if (seen.has(next)) return { code: 'E_CLUSTER_BAD_RESPONSE', kind: kind.kind, message: `${kind.kind}: the server repeated a continue token; the list is incomplete` };
    seen.add(next);
    token = next;
  }
}
