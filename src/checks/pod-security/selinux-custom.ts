/**
 * A custom SELinux type, user or role can lift the container out of its confinement (for
 * example `spc_t`, the unconfined "super privileged container" type). Reads `seLinuxOptions`
 * at pod and container level (each place it is written). Allowed (PSS baseline, v1.31+): `type` unset, empty, container_t,
 * container_init_t, container_kvm_t or container_engine_t; `user` and `role` unset or empty.
 * `level` is not checked.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { declaredSettings } from './linux.ts';

const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export default defineCheck({
  id: 'K8S-SELINUX-CUSTOM',
  title: 'Custom SELinux options',
  severity: 'medium',
  category: 'pod-security',
  description: 'Setting the SELinux user, role or a type other than the container types can run the container with a more privileged (or unconfined) SELinux context.',
  remediation: 'Remove `seLinuxOptions.user` and `.role`, and leave `.type` unset or set it to container_t (or container_init_t / container_kvm_t / container_engine_t).',
  fields: ['spec.securityContext.seLinuxOptions', 'spec.containers[*].securityContext.seLinuxOptions', 'spec.initContainers[*].securityContext.seLinuxOptions', 'spec.ephemeralContainers[*].securityContext.seLinuxOptions'],
  frameworks: { cis: ['5.7.3'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0025'],
  concepts: [21],
  kinds: 'workload',
  run(ctx) {
    for (const s of declaredSettings(ctx.workload!, 'seLinuxOptions')) {
      const options = asObject(s.value);
      if (options === undefined) continue;
      for (const field of ['type', 'user', 'role'] as const) {
        const value = options[field];
        if (value === undefined || value === null || value === '') continue;
        if (field === 'type' && ALLOWED_TYPES.has(String(value))) continue;
        ctx.report([...s.path, field], `${s.subject} sets seLinuxOptions.${field}: ${String(value)}`);
      }
    }
  },
});
