/** AppArmor settings of a container: the field (container, else pod) or the legacy annotation. */
import { effectiveSecurity, type ContainerRef, type Workload } from '../../manifests/workload.ts';
import { podAnnotation, profileType } from './linux.ts';

/** Annotation read by the kubelet before the appArmorProfile field (GA in v1.30). */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Allowed annotation values: `runtime/default`, `localhost/<profile>`, or empty (PSS baseline). */
export function isConfinedAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** True when the container has an AppArmor profile other than Unconfined, from the field or its annotation. */
export function hasAppArmorProfile(w: Workload, c: ContainerRef): boolean {
  const type = profileType(effectiveSecurity(w, c, 'appArmorProfile').value);
  if (type === 'RuntimeDefault' || type === 'Localhost') return true;
  const annotation = podAnnotation(w, APPARMOR_ANNOTATION_PREFIX + c.name).value;
  return annotation !== undefined && annotation !== '' && isConfinedAnnotation(annotation);
}

