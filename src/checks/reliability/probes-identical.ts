/**
 * A liveness probe identical to the readiness probe restarts a container that is merely busy:
 * under load the pod is first taken out of rotation and then killed, turning overload into an
 * outage. Reads `livenessProbe` and `readinessProbe` of regular containers; flags equal
 * handlers (httpGet, tcpSocket, grpc, exec) with equal timing.
 */
import { defineCheck } from '../types.ts';
import { probedContainers } from './probes.ts';

/** JSON with object keys sorted, so key order in the YAML does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

export default defineCheck({
  id: 'K8S-PROBES-IDENTICAL',
  title: 'Liveness and readiness probes are identical',
  severity: 'low',
  category: 'reliability',
  description: 'When the liveness probe equals the readiness probe, a temporarily overloaded container is restarted instead of just being taken out of the load balancer.',
  remediation: 'Make the liveness probe check only that the process is alive (and give it a larger failureThreshold) while readiness checks that it can serve.',
  fields: ['spec.containers[*].livenessProbe', 'spec.containers[*].readinessProbe'],
  frameworks: {},
  aliases: ['pod-probes-identical'],
  concepts: [60],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of probedContainers(ctx)) {
      const liveness = c.container['livenessProbe'];
      const readiness = c.container['readinessProbe'];
      if (liveness === null || typeof liveness !== 'object' || readiness === null || typeof readiness !== 'object') continue;
      if (canonical(liveness) === canonical(readiness)) ctx.report([...c.path, 'livenessProbe'], `container "${c.name}" uses the same probe for liveness and readiness`);
    }
  },
});
