/**
 * Listening on a port below 1024 traditionally needs root or NET_BIND_SERVICE, so a container
 * that declares one is likely to run with more privilege than it needs. Reads
 * `ports[*].containerPort` of every container; flags 1–1023. Off by default (kube-linter makes
 * it optional; runtimes commonly set net.ipv4.ip_unprivileged_port_start=0 in pods).
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { isInteger } from './linux.ts';

export default defineCheck({
  id: 'K8S-PRIVILEGED-PORTS',
  title: 'Privileged port',
  severity: 'low',
  category: 'pod-security',
  description: 'A container port below 1024 usually means the process binds it as root or with NET_BIND_SERVICE; an unprivileged port lets it run with neither.',
  remediation: 'Listen on a port of 1024 or above and map the Service port to it (`targetPort`).',
  fields: ['spec.containers[*].ports[*].containerPort', 'spec.initContainers[*].ports[*].containerPort'],
  frameworks: { 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0117', 'privileged-ports'],
  concepts: [29],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      asArray(c.container['ports']).forEach((p, i) => {
        const port = asObject(p)?.['containerPort'];
        if (isInteger(port) && port > 0 && port < 1024) ctx.report([...c.path, 'ports', i, 'containerPort'], `container "${c.name}" listens on privileged port ${port}`);
      });
    }
  },
});
