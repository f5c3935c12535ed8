/**
 * Namespace labels for the Pod Security Standards level per namespace
 * (`pod-security.kubernetes.io/enforce` and `enforce-version`, as Pod Security Admission reads
 * them). An AdmissionRequest carries no namespace labels, so the webhook keeps a copy: it lists
 * Namespaces through the API (kubeconfig or in-cluster service account) at start and then every
 * `refreshMs`. A label change takes effect within that interval; PSA itself watches, which would
 * need a long-lived watch connection per replica for little gain.
 */
import { parsePssPolicy } from '../pss/index.ts';
import { BosunError, errorMessage } from '../core/errors.ts';
import { loadKubeConfig } from '../cluster/collect.ts';

export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/**
 * The PSS policy the namespace's labels ask for, as `level:version`; undefined without a label.
 * An invalid level or version falls back to `restricted:latest`, as Pod Security Admission does.
 */
export function pssFromLabels(labels: Record<string, string> | undefined): string | undefined {
  const level = labels?.[ENFORCE_LABEL];
  if (level === undefined) return undefined;
  const policy = `${level}:${labels?.[ENFORCE_VERSION_LABEL] ?? 'latest'}`;
  try {
    parsePssPolicy(policy);
    return policy;
  } catch {
    return 'restricted:latest';
  }
}

export interface NamespaceWatch {
  labels: NamespaceLabels;
  /** Lists namespaces now; resolves when the copy is refreshed. */
  refresh(): Promise<void>;
  stop(): void;
}

/** Keeps namespace labels from the cluster; the first list must succeed, later failures keep the last copy. */
export async function watchNamespaceLabels(o: { kubeconfig?: string; refreshMs?: number; log?: (e: Record<string, unknown>) => void } = {}): Promise<NamespaceWatch> {
  const k8s = await import('@kubernetes/client-node');
  // The same credential lookup as cluster scan (kubeconfig, then the pod's service account), with its one-line errors.
  const kc = await loadKubeConfig(o.kubeconfig === undefined ? {} : { kubeconfig: o.kubeconfig });
  const api = kc.makeApiClient(k8s.CoreV1Api);
  let current = new Map<string, Record<string, string>>();
  const refresh = async (): Promise<void> => {
    const next = new Map<string, Record<string, string>>();
    let token: string | undefined;
    do {
      const page = await api.listNamespace({ limit: 500, ...(token !== undefined && { _continue: token }) });
      for (const ns of page.items) if (ns.metadata?.name !== undefined) next.set(ns.metadata.name, { ...ns.metadata.labels });
      token = page.metadata?._continue || undefined;
    } while (token !== undefined);
    current = next;
  };
  try {
    await refresh();
  } catch (err) {
    throw listError(err, kc.getCurrentCluster()?.server ?? 'the API server');
  }
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => o.log?.({ level: 'warn', msg: 'namespace refresh failed; keeping the last copy', error: listError(err, kc.getCurrentCluster()?.server ?? 'the API server').message }));
  }, o.refreshMs ?? 30_000);
  timer.unref();
  return { labels: (ns) => current.get(ns), refresh, stop: () => clearInterval(timer) };
}

/** client-node's errors are multi-line dumps (status, body, headers): one line naming the server and the status instead. */
function listError(err: unknown, server: string): BosunError {
  const status = (err as { code?: unknown }).code;
  if (typeof status === 'number') {
    const code = status === 401 ? 'E_CLUSTER_AUTH' : status === 403 ? 'E_CLUSTER_FORBIDDEN' : 'E_CLUSTER_HTTP';
    const why = status === 401 ? 'the credentials were rejected' : status === 403 ? 'these credentials may not list namespaces' : 'the request failed';
    return new BosunError(code, `namespace labels: ${server} answered HTTP ${status} to list Namespaces (${why})`, { cause: err });
  }
  return new BosunError('E_CLUSTER_UNREACHABLE', `namespace labels: cannot list Namespaces at ${server} (${errorMessage(err).split('\n')[0]})`, { cause: err });
}
