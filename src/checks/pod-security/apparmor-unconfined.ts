/**
 * An Unconfined AppArmor profile switches off the runtime's default confinement. Reads
 * `appArmorProfile.type` at pod and container level and every pod annotation starting with
 * `container.apparmor.security.beta.kubernetes.io/`; allowed: field RuntimeDefault / Localhost
 * or unset, annotation `runtime/default`, `localhost/*` or empty (PSS baseline).
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { APPARMOR_ANNOTATION_PREFIX, isConfinedAnnotation } from './apparmor.ts';
import { declaredSettings, profileType } from './linux.ts';

export default defineCheck({
  id: 'K8S-APPARMOR-UNCONFINED',
  title: 'AppArmor unconfined',
  severity: 'medium',
  category: 'pod-security',
  description: 'Running a container Unconfined removes the AppArmor restrictions the runtime applies by default (for example on writes to /proc and /sys and on mount).',
  remediation: 'Set `appArmorProfile.type` to `RuntimeDefault` or `Localhost`, and remove `unconfined` AppArmor annotations.',
  fields: ['spec.securityContext.appArmorProfile.type', 'spec.containers[*].securityContext.appArmorProfile.type', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"]'],
  frameworks: { nsa: ['1.8'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0002', 'ApparmorUnconfined'],
  concepts: [19],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    for (const s of declaredSettings(w, 'appArmorProfile')) {
      if (profileType(s.value) === 'Unconfined') ctx.report([...s.path, 'type'], `${s.subject} sets appArmorProfile.type: Unconfined`);
    }
    for (const [key, value] of Object.entries(asObject(w.podMeta['annotations']) ?? {})) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || typeof value !== 'string' || isConfinedAnnotation(value)) continue;
      ctx.report([...w.podMetaPath, 'annotations', key], `annotation ${key} sets AppArmor profile "${value}"`);
    }
  },
});
