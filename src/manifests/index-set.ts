/** An index over the whole manifest set, for checks that join resources (Service → pods, RoleBinding → Role …). */
import type { Resource } from './resource.ts';
import { LabelIndex } from './label-index.ts';

/** Kinds that live outside namespaces (their metadata.namespace is ignored). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition',
  'PodSecurityPolicy', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService', 'CertificateSigningRequest',
  'SecurityContextConstraints', 'ClusterIssuer', 'GatewayClass', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
  'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'ClusterPolicy', 'ConstraintTemplate',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export class ManifestIndex {
  readonly all: readonly Resource[];
  readonly defaultNamespace: string;
  private readonly kinds = new Map<string, Resource[]>();
  private readonly byKey = new Map<string, Resource>();
  private podIndex: Map<string | undefined, LabelIndex<Resource>> | undefined;
  /** Joins derived by checks (see IndexMemo), living exactly as long as this index. */
  readonly memos = new Map<IndexMemo<unknown>, unknown>();

  constructor(resources: readonly Resource[], defaultNamespace = 'default') {
    this.all = resources;
    this.defaultNamespace = defaultNamespace;
    for (const r of resources) {
      let list = this.kinds.get(r.kind);
      if (list === undefined) this.kinds.set(r.kind, (list = []));
      list.push(r);
      this.byKey.set(this.key(r.kind, this.namespaceOf(r), r.name), r);
    }
  }

  /** The namespace the object would land in: its own, else the default; undefined for cluster-scoped kinds. */
  namespaceOf(r: { kind: string; namespace?: string | undefined }): string | undefined {
    if (isClusterScoped(r.kind)) return undefined;
    return r.namespace ?? this.defaultNamespace;
  }

  ofKind(...kinds: string[]): Resource[] {
    if (kinds.length === 1) return this.kinds.get(kinds[0]!) ?? [];
    return kinds.flatMap((k) => this.kinds.get(k) ?? []);
  }

  get(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.byKey.get(this.key(kind, isClusterScoped(kind) ? undefined : (namespace ?? this.defaultNamespace), name));
  }

  /** Pod-bearing resources in `namespace`, indexed by their pod labels. */
  podsIn(namespace: string | undefined): LabelIndex<Resource> {
    if (this.podIndex === undefined) {
      this.podIndex = new Map();
      for (const r of this.all) {
        if (r.workload === undefined) continue;
        const ns = this.namespaceOf(r);
        let idx = this.podIndex.get(ns);
        if (idx === undefined) this.podIndex.set(ns, (idx = new LabelIndex()));
        idx.add(r, r.workload.labels);
      }
    }
    return this.podIndex.get(namespace) ?? EMPTY_LABEL_INDEX;
  }

  /** Pod-bearing resources in `namespace` whose pod labels match the selector. */
  workloadsSelectedBy(namespace: string | undefined, selector: unknown, plainMap = false): Resource[] {
    return this.podsIn(namespace).select(selector, plainMap);
  }

  /** Namespaces named by any object (declared or used). */
  namespaces(): string[] {
    const set = new Set<string>();
    for (const r of this.all) {
      if (r.kind === 'Namespace') set.add(r.name);
      const ns = this.namespaceOf(r);
      if (ns !== undefined) set.add(ns);
    }
    return [...set].sort();
  }

  private key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
  }
}

const EMPTY_LABEL_INDEX = new LabelIndex<Resource>();

/** The labels the pods of a workload carry (template labels for controllers). */
export function podLabels(r: Resource): Record<string, string> {
  return r.workload?.labels ?? {};
}

/**
 * Data a check derives from a ManifestIndex once (joins by namespace, selector indexes), stored on
 * the index itself. A WeakMap keyed by the index would do the same, but an admission webhook makes
 * one index per request: ephemeron entries keep young indexes and their manifests alive across a
 * scavenge, which promoted ~6 MB per scavenge and made each pause 5–9 ms.
 */
export class IndexMemo<T> {
  get(index: ManifestIndex): T | undefined {
    return index.memos.get(this as IndexMemo<unknown>) as T | undefined;
  }

  set(index: ManifestIndex, value: T): this {
    index.memos.set(this as IndexMemo<unknown>, value);
    return this;
  }
}
