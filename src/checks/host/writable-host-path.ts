/**
 * A hostPath mounted read-write lets the container change node files: persistence (cron,
 * systemd units, SSH keys) or tampering with other pods' data. Reads `volumeMounts[*]` of every
 * container that mounts a hostPath volume; allowed: `readOnly: true`.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { hostPathVolumes } from './host-paths.ts';

export default defineCheck({
  id: 'K8S-WRITABLE-HOST-PATH',
  title: 'hostPath mounted writable',
  severity: 'high',
  category: 'host',
  description: 'A writable hostPath mount lets a compromised container write to the node\'s filesystem, enough to persist on the node or move laterally to other workloads.',
  remediation: 'Set `readOnly: true` on the volumeMount, or remove the hostPath volume.',
  fields: ['spec.volumes[*].hostPath', 'spec.containers[*].volumeMounts[*].readOnly', 'spec.initContainers[*].volumeMounts[*].readOnly', 'spec.ephemeralContainers[*].volumeMounts[*].readOnly'],
  frameworks: { mitre: ['Persistence', 'Lateral movement'], 'nist-800-190': ['4.5.5'] },
  aliases: ['C-0045', 'writable-host-mount'],
  concepts: [35],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const hostPaths = new Map(hostPathVolumes(w).map((v) => [v.name, v]));
    if (hostPaths.size === 0) return;
    for (const c of w.containers) {
      asArray(c.container['volumeMounts']).forEach((m, i) => {
        const mount = asObject(m);
        const volume = hostPaths.get(asString(mount?.['name']) ?? '');
        if (mount === undefined || volume === undefined || mount['readOnly'] === true) return;
        ctx.report([...c.path, 'volumeMounts', i, 'readOnly'], `container "${c.name}" mounts host path ${volume.rawPath} (volume "${volume.name}") writable`);
      });
    }
  },
});
