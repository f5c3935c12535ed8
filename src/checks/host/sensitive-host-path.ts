/**
 * Some host directories hold the node's identity, credentials or kernel interfaces; mounting
 * one (or a parent of one) hands them to the container. Reads `spec.volumes[*].hostPath.path`,
 * normalised (trailing slashes, `.`/`..`); flags a path equal to, under, or above an entry of
 * the `sensitiveHostPaths` setting (`/` itself only matches an exact `/` mount).
 */
import { defineCheck } from '../types.ts';
import { hostPathVolumes, normalizeHostPath, overlaps } from './host-paths.ts';

export default defineCheck({
  id: 'K8S-SENSITIVE-HOST-PATH',
  title: 'Sensitive host directory mounted',
  severity: 'high',
  category: 'host',
  description: 'Host directories such as /etc, /proc, /sys, /dev, /root, /var/lib/kubelet or the runtime\'s state directories contain node credentials, kubelet and pod secrets, and kernel interfaces; a container that mounts them can usually take over the node.',
  remediation: 'Remove the hostPath volume, or narrow it to the specific non-sensitive file the workload needs and mount it readOnly.',
  fields: ['spec.volumes[*].hostPath.path'],
  frameworks: { 'nist-800-190': ['4.4.3', '4.5.5'] },
  aliases: ['KSV-0121', 'ProcMount', 'sensitive-host-mounts'],
  concepts: [36],
  kinds: 'workload',
  settings: {
    sensitiveHostPaths: [
      '/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/sbin', '/sys', '/usr',
      '/var/run', '/run', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/containers', '/var/lib/etcd', '/var/lib/rancher',
    ],
  },
  run(ctx) {
    const volumes = hostPathVolumes(ctx.workload!);
    if (volumes.length === 0) return;
    const configured = ctx.setting<unknown>('sensitiveHostPaths');
    const sensitive = Array.isArray(configured) ? configured.map((p) => normalizeHostPath(String(p))) : [];
    for (const v of volumes) {
      const hit = sensitive.find((dir) => overlaps(v.path, dir));
      if (hit === undefined) continue;
      const relation = v.path === hit ? '' : ` (overlaps ${hit})`;
      ctx.report(v.fieldPath, `volume "${v.name}" mounts sensitive host path ${v.rawPath}${relation}`);
    }
  },
});
