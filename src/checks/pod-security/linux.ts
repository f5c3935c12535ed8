/** Helpers shared by the pod-security checks. */
import { formatPath, type Path } from '../../manifests/path.ts';
import { asObject, asString } from '../../manifests/path.ts';
import { effectiveSecurity, type ContainerRef, type InheritedSecurityField, type Workload } from '../../manifests/workload.ts';
import { RecentCache } from '../helpers.ts';

/**
 * Kubernetes rejects Linux-only securityContext fields on pods with `spec.os.name: windows`,
 * and Pod Security Admission exempts such pods from the Linux hardening requirements (v1.25+).
 */
export function isWindowsPod(w: Workload): boolean {
  return asString(asObject(w.podSpec['os'])?.['name']) === 'windows';
}

/** A container's effective value of a pod-inheritable field. */
export interface EffectiveSetting {
  container: ContainerRef;
  value: unknown;
  path: Path;
  from: 'container' | 'pod' | 'unset';
}

/** Per field, for the workload being checked: several checks read the same effective values. */
const effectiveCache = new RecentCache<Workload, InheritedSecurityField, readonly EffectiveSetting[]>();

export function effectiveSettings(w: Workload, field: InheritedSecurityField): readonly EffectiveSetting[] {
  return (
    effectiveCache.get(w, field) ??
    effectiveCache.set(
      w,
      field,
      Object.freeze(
        w.containers.map((container) => {
          const e = effectiveSecurity(w, container, field);
          return { container, value: e.value, path: e.path, from: e.from };
        }),
      ),
    )
  );
}

/**
 * A predicate that is true the first time it sees a path: a pod-level value inherited by several
 * containers is one occurrence, reported once.
 */
export function firstAtPath(): (path: Path) => boolean {
  // A workload has a few containers: comparing paths step by step beats formatting them
  // (formatted keys in a set beyond a few, so a pod with thousands of containers stays linear).
  const seen: Path[] = [];
  let many: Set<string> | undefined;
  return (path) => {
    if (many !== undefined) {
      const key = formatPath(path);
      if (many.has(key)) return false;
      many.add(key);
      return true;
    }
    for (const other of seen) if (samePath(other, path)) return false;
    seen.push(path);
    if (seen.length > 16) many = new Set(seen.map(formatPath));
    return true;
  };
}

function samePath(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/** Who the message should name: the container, or the pod when the value comes from the pod-level securityContext. */
export function subjectOf(s: EffectiveSetting): string {
  return s.from === 'pod' ? 'pod securityContext' : `container "${s.container.name}"`;
}

/** The `type` of a seccompProfile / appArmorProfile object, else undefined. */
export function profileType(value: unknown): string | undefined {
  return asString(asObject(value)?.['type']);
}

/** Annotations of the pod (the template's for controllers) with their paths. */
export function podAnnotation(w: Workload, key: string): { value: string | undefined; path: Path } {
  return { value: asString(asObject(w.podMeta['annotations'])?.[key]), path: [...w.podMetaPath, 'annotations', key] };
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A value written in a securityContext, with who wrote it. */
export interface DeclaredSetting {
  value: unknown;
  path: Path;
  /** `pod securityContext` or `container "name"`. */
  subject: string;
}

/**
 * Every place `field` is written: the pod-level securityContext, then each container's. Explicit
 * weakenings are reported where written even when all containers override the pod value: the
 * pod sandbox and volume labelling still use the pod-level settings (and PSS checks both levels).
 */
export function declaredSettings(w: Workload, field: InheritedSecurityField): DeclaredSetting[] {
  const out: DeclaredSetting[] = [];
  const podValue = w.podSecurityContext[field];
  if (podValue !== undefined && podValue !== null) out.push({ value: podValue, path: [...w.specPath, 'securityContext', field], subject: 'pod securityContext' });
  for (const c of w.containers) {
    const value = c.securityContext[field];
    if (value !== undefined && value !== null) out.push({ value, path: [...c.path, 'securityContext', field], subject: `container "${c.name}"` });
  }
  return out;
}
