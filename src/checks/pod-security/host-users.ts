/**
 * With `spec.hostUsers: false` the pod gets its own user namespace: root inside maps to an
 * unprivileged UID on the node. Reads `spec.hostUsers`; allowed: false. Off by default (only
 * kubesec asks for it; it needs Kubernetes v1.33+ and a supporting runtime and filesystem).
 * Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-HOST-USERS',
  title: 'User namespace not used',
  severity: 'low',
  category: 'pod-security',
  description: 'Pods that share the host user namespace run root-in-container as root on the node; a user namespace maps container UIDs to unprivileged host UIDs and blunts many escapes.',
  remediation: 'Set `spec.hostUsers: false` where the cluster supports user namespaces.',
  fields: ['spec.hostUsers'],
  frameworks: { 'nist-800-190': ['4.4.3'] },
  aliases: ['HostUsers'],
  concepts: [27],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w) || w.podSpec['hostUsers'] === false) return;
    const detail = w.podSpec['hostUsers'] === true ? 'sets hostUsers: true' : 'does not set hostUsers: false';
    ctx.report([...w.specPath, 'hostUsers'], `pod ${detail}`);
  },
});
