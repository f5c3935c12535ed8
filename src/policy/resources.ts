/**
 * Kind → resource mapping for admission matching: the built-in kinds (plural names and scope
 * as the API server's discovery reports them) and CustomResourceDefinitions found in the inputs.
 * A kind neither knows is pluralised as Kubernetes' default RESTMapper guesses (lowercase + s/es/ies).
 */
import { isClusterScoped } from '../manifests/index-set.ts';

export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

const IRREGULAR: Record<string, string> = {
  Endpoints: 'endpoints',
  NetworkPolicy: 'networkpolicies',
  PodSecurityPolicy: 'podsecuritypolicies',
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  StorageClass: 'storageclasses',
  PriorityClass: 'priorityclasses',
  RuntimeClass: 'runtimeclasses',
  ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
  MutatingAdmissionPolicy: 'mutatingadmissionpolicies',
  SecurityContextConstraints: 'securitycontextconstraints',
  ComponentStatus: 'componentstatuses',
};

/** Kubernetes' default pluralisation of a kind (meta.UnsafeGuessKindToResource). */
export function guessResource(kind: string): string {
  if (Object.hasOwn(IRREGULAR, kind)) return IRREGULAR[kind]!;
  const lower = kind.toLowerCase();
  if (lower.endsWith('s') || lower.endsWith('x') || lower.endsWith('z') || lower.endsWith('ch') || lower.endsWith('sh')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Resolves kinds to resources: CRDs first, then built-in knowledge, then a guess. */
export class ResourceMapper {
  private readonly crds = new Map<string, { resource: string; namespaced: boolean }>();
  private readonly observedNamespaced = new Map<string, boolean>();

  /** Registers a CustomResourceDefinition object (apiextensions.k8s.io/v1). */
  addCRD(crd: Record<string, unknown>): void {
    const spec = (crd['spec'] ?? {}) as Record<string, unknown>;
    const names = (spec['names'] ?? {}) as Record<string, unknown>;
    if (typeof spec['group'] !== 'string' || typeof names['kind'] !== 'string') return;
    const resource = typeof names['plural'] === 'string' ? names['plural'] : guessResource(names['kind']);
    this.crds.set(`${spec['group']}/${names['kind']}`, { resource, namespaced: spec['scope'] !== 'Cluster' });
  }

  /** Records that an object of this kind was seen with (or without) a namespace; used for unknown kinds. */
  observe(apiVersion: string, kind: string, hasNamespace: boolean): void {
    const key = `${splitApiVersion(apiVersion).group}/${kind}`;
    if (hasNamespace || !this.observedNamespaced.has(key)) this.observedNamespaced.set(key, hasNamespace || (this.observedNamespaced.get(key) ?? false));
  }

  resolve(apiVersion: string, kind: string): ResourceInfo {
    const { group, version } = splitApiVersion(apiVersion);
    const crd = this.crds.get(`${group}/${kind}`);
    if (crd !== undefined) return { group, version, resource: crd.resource, namespaced: crd.namespaced };
    const builtin = group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'policy', 'autoscaling', 'extensions'].includes(group);
    const namespaced = builtin ? !isClusterScoped(kind) : (this.observedNamespaced.get(`${group}/${kind}`) ?? !isClusterScoped(kind));
    return { group, version, resource: guessResource(kind), namespaced };
  }
}
