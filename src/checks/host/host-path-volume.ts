/**
 * A hostPath volume gives the pod a view of the node's filesystem, the usual route from a
 * container to the node. Reads `spec.volumes[*].hostPath`; allowed: none (PSS baseline).
 * Writable, sensitive and runtime-socket mounts have their own, more severe checks.
 */
import { defineCheck } from '../types.ts';
import { hostPathVolumes } from './host-paths.ts';

export default defineCheck({
  id: 'K8S-HOST-PATH-VOLUME',
  title: 'hostPath volume',
  severity: 'medium',
  category: 'host',
  description: 'hostPath volumes couple the pod to one node and expose node files to the container; many privilege-escalation paths start from one.',
  remediation: 'Replace the hostPath volume with a persistentVolumeClaim, configMap, secret or emptyDir; if a node agent needs it, mount it readOnly and waive the finding with a reason.',
  fields: ['spec.volumes[*].hostPath'],
  frameworks: { cis: ['5.2.12'], pss: ['baseline'], mitre: ['Privilege escalation'], 'nist-800-190': ['4.4.3', '4.5.5'] },
  aliases: ['KSV-0023', 'C-0048', 'hostPathSet'],
  concepts: [34],
  kinds: 'workload',
  run(ctx) {
    for (const v of hostPathVolumes(ctx.workload!)) {
      ctx.report([...v.volumePath, 'hostPath'], `volume "${v.name}" mounts host path ${v.rawPath || '(empty)'}`);
    }
  },
});
