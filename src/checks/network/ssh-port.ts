/**
 * Port 22 on a container or Service usually means an SSH server inside the container: a
 * remote shell that bypasses Kubernetes authentication and audit. Reads containers'
 * `ports[*].containerPort` and Services' `spec.ports[*].port` / `targetPort`; allowed: not 22.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const SSH_PORT = 22;

export default defineCheck({
  id: 'K8S-SSH-PORT',
  title: 'SSH port exposed',
  severity: 'medium',
  category: 'network',
  description: 'The container or Service exposes port 22, the SSH port: an SSH server in a container is a way in that Kubernetes does not authenticate or audit.',
  remediation: 'Remove the SSH server and port 22; use `kubectl exec` (governed by RBAC and audit) for debugging.',
  fields: ['spec.containers[*].ports[*].containerPort', 'Service.spec.ports[*].port', 'Service.spec.ports[*].targetPort'],
  frameworks: { mitre: ['Execution'] },
  aliases: ['C-0042', 'ssh-port'],
  concepts: [136],
  kinds: [...WORKLOAD_KINDS, 'Service'],
  run(ctx) {
    if (ctx.workload !== undefined) {
      for (const c of ctx.workload.containers) {
        asArray(c.container['ports']).forEach((p, i) => {
          if (Number(asObject(p)?.['containerPort']) === SSH_PORT) ctx.report([...c.path, 'ports', i, 'containerPort'], `container "${c.name}" exposes port 22 (SSH)`);
        });
      }
      return;
    }
    asArray(asObject(ctx.resource.object['spec'])?.['ports']).forEach((p, i) => {
      const port = asObject(p) ?? {};
      const field = Number(port['port']) === SSH_PORT ? 'port' : Number(port['targetPort']) === SSH_PORT ? 'targetPort' : undefined;
      if (field !== undefined) ctx.report(['spec', 'ports', i, field], `Service "${ctx.resource.name}" exposes port 22 (SSH)`);
    });
  },
});
