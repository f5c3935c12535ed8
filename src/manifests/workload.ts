/**
 * Pod specs inside every pod-bearing kind, and the containers in them.
 *
 * Fields Kubernetes copies from the pod-level securityContext to each container (when the
 * container leaves them unset): runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions,
 * seccompProfile, appArmorProfile, windowsOptions (k8s.io/api core/v1 PodSecurityContext docs:
 * "the value specified in SecurityContext takes precedence").
 */
import type { Path } from './path.ts';
import { asArray, asObject, asString, getPath, stringMap } from './path.ts';

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_GROUPS: readonly ContainerGroup[] = ['initContainers', 'containers', 'ephemeralContainers'];

export interface ContainerRef {
  container: Record<string, unknown>;
  /** Path from the resource root, e.g. ['spec','template','spec','containers',0]. */
  path: Path;
  group: ContainerGroup;
  index: number;
  name: string;
  /** The container's own securityContext (may be empty). */
  securityContext: Record<string, unknown>;
}

export interface Workload {
  podSpec: Record<string, unknown>;
  /** Path from the resource root to the pod spec. */
  specPath: Path;
  /** metadata of the pod (the template's metadata for controllers). */
  podMeta: Record<string, unknown>;
  podMetaPath: Path;
  /** The pods' labels (string values only). */
  labels: Record<string, string>;
  /** The pod-level securityContext (may be empty). */
  podSecurityContext: Record<string, unknown>;
  /** init, regular and ephemeral containers, in that order. */
  containers: ContainerRef[];
}

/** Where the pod template lives in each pod-bearing kind. */
const POD_TEMPLATE_PATHS: Record<string, Path> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
  DeploymentConfig: ['spec', 'template'],
  Rollout: ['spec', 'template'],
};

export const WORKLOAD_KINDS: readonly string[] = ['Pod', ...Object.keys(POD_TEMPLATE_PATHS)];

/** Controllers whose pods run for as long as the controller does (not run-to-completion). */
export const LONG_RUNNING_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout'];

export function extractWorkload(kind: string, object: Record<string, unknown>): Workload | undefined {
  let metaPath: Path;
  let specPath: Path;
  if (kind === 'Pod') {
    metaPath = ['metadata'];
    specPath = ['spec'];
  } else {
    const template = POD_TEMPLATE_PATHS[kind];
    if (template === undefined) return undefined;
    metaPath = [...template, 'metadata'];
    specPath = [...template, 'spec'];
  }
  const podSpec = asObject(getPath(object, specPath));
  if (podSpec === undefined) return undefined; // e.g. an Argo Rollout with workloadRef
  const containers: ContainerRef[] = [];
  for (const group of CONTAINER_GROUPS) {
    asArray(podSpec[group]).forEach((c, index) => {
      const container = asObject(c);
      if (container === undefined) return;
      containers.push({
        container,
        path: [...specPath, group, index],
        group,
        index,
        name: asString(container['name']) ?? `${group}[${index}]`,
        securityContext: asObject(container['securityContext']) ?? {},
      });
    });
  }
  const podMeta = asObject(getPath(object, metaPath)) ?? {};
  return {
    podSpec,
    specPath,
    podMeta,
    podMetaPath: metaPath,
    labels: stringMap(podMeta['labels']),
    podSecurityContext: asObject(podSpec['securityContext']) ?? {},
    containers,
  };
}

export const POD_INHERITED_SECURITY_FIELDS = ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'windowsOptions'] as const;
export type InheritedSecurityField = (typeof POD_INHERITED_SECURITY_FIELDS)[number];

export interface EffectiveValue {
  value: unknown;
  /** Where the value was set (resource-relative); for an unset value, the container's securityContext (or the container). */
  path: Path;
  from: 'container' | 'pod' | 'unset';
}

/** The value Kubernetes applies to the container: its own, else the pod's. */
export function effectiveSecurity(w: Workload, c: ContainerRef, field: InheritedSecurityField): EffectiveValue {
  if (c.securityContext[field] !== undefined && c.securityContext[field] !== null) {
    return { value: c.securityContext[field], path: [...c.path, 'securityContext', field], from: 'container' };
  }
  if (w.podSecurityContext[field] !== undefined && w.podSecurityContext[field] !== null) {
    return { value: w.podSecurityContext[field], path: [...w.specPath, 'securityContext', field], from: 'pod' };
  }
  return { value: undefined, path: [...c.path, 'securityContext', field], from: 'unset' };
}

/** Containers of the given groups only (most resource/probe checks skip init and ephemeral containers). */
export function containersOf(w: Workload, ...groups: ContainerGroup[]): ContainerRef[] {
  if (groups.length === 1 && groups[0] === 'containers') return regularContainersOf(w);
  return w.containers.filter((c) => groups.includes(c.group));
}

let lastWorkload: Workload | undefined;
let lastRegular: readonly ContainerRef[] = [];

/**
 * The regular containers (no init or ephemeral ones). Many checks of one workload ask in a row:
 * the list of the last workload is kept.
 */
export function regularContainersOf(w: Workload): ContainerRef[] {
  if (w !== lastWorkload) {
    lastRegular = Object.freeze(w.containers.filter((c) => c.group === 'containers'));
    lastWorkload = w;
  }
  return lastRegular as ContainerRef[];
}
