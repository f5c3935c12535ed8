/**
 * A hostPort binds the container port on the node's own address, bypassing Service and
 * NetworkPolicy controls and limiting scheduling. Reads `ports[*].hostPort` of every container;
 * allowed: unset or 0 (PSS baseline).
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-PORT',
  title: 'Host port used',
  severity: 'medium',
  category: 'host',
  description: 'A hostPort exposes the container directly on the node\'s network address, outside the Service abstraction and often outside NetworkPolicy enforcement.',
  remediation: 'Remove `hostPort` and expose the port through a Service (NodePort or LoadBalancer if it must be reachable from outside).',
  fields: ['spec.containers[*].ports[*].hostPort', 'spec.initContainers[*].ports[*].hostPort', 'spec.ephemeralContainers[*].ports[*].hostPort'],
  frameworks: { cis: ['5.2.13'], nsa: ['Container hostPort'], pss: ['baseline'], 'nist-800-190': ['4.4.2'] },
  aliases: ['KSV-0024', 'CKV_K8S_26', 'C-0044', 'hostPortSet'],
  concepts: [33],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      asArray(c.container['ports']).forEach((p, i) => {
        const hostPort = asObject(p)?.['hostPort'];
        if (hostPort === undefined || hostPort === null || hostPort === 0 || hostPort === '0') return;
        ctx.report([...c.path, 'ports', i, 'hostPort'], `container "${c.name}" binds host port ${String(hostPort)}`);
      });
    }
  },
});
