/**
 * Without a liveness probe a container that hangs (deadlock, exhausted pool) keeps running and
 * keeps its share of traffic and resources; the kubelet only restarts it on exit. Reads
 * `livenessProbe` of regular containers of long-running workloads (Jobs and CronJobs run to
 * completion and are skipped); allowed: any probe.
 */
import { defineCheck } from '../types.ts';
import { hasProbe, probedContainers } from './probes.ts';

export default defineCheck({
  id: 'K8S-LIVENESS-PROBE-MISSING',
  title: 'Liveness probe not configured',
  severity: 'low',
  category: 'reliability',
  description: 'A container without a liveness probe is only restarted when its process exits; a hung process stays up indefinitely.',
  remediation: 'Add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) that fails when the process can no longer make progress.',
  fields: ['spec.containers[*].livenessProbe'],
  frameworks: {},
  aliases: ['livenessProbeMissing', 'CKV_K8S_8', 'C-0056', 'no-liveness-probe', 'pod-probes'],
  concepts: [58],
  kinds: 'workload',
  run(ctx) {
    for (const c of probedContainers(ctx)) {
      if (!hasProbe(c, 'livenessProbe')) ctx.report([...c.path, 'livenessProbe'], `container "${c.name}" has no livenessProbe`);
    }
  },
});
