/**
 * Without a readiness probe a container receives Service traffic as soon as it starts, before
 * it can answer, and keeps receiving it while overloaded. Reads `readinessProbe` of regular
 * containers of long-running workloads (Jobs and CronJobs are skipped); allowed: any probe.
 */
import { defineCheck } from '../types.ts';
import { hasProbe, probedContainers } from './probes.ts';

export default defineCheck({
  id: 'K8S-READINESS-PROBE-MISSING',
  title: 'Readiness probe not configured',
  severity: 'low',
  category: 'reliability',
  description: 'Without a readiness probe, traffic reaches the pod before it is ready and during overload, causing errors on every rollout.',
  remediation: 'Add a `readinessProbe` that succeeds only when the container can serve requests.',
  fields: ['spec.containers[*].readinessProbe'],
  frameworks: {},
  aliases: ['readinessProbeMissing', 'CKV_K8S_9', 'C-0018', 'no-readiness-probe', 'pod-probes'],
  concepts: [59],
  kinds: 'workload',
  run(ctx) {
    for (const c of probedContainers(ctx)) {
      if (!hasProbe(c, 'readinessProbe')) ctx.report([...c.path, 'readinessProbe'], `container "${c.name}" has no readinessProbe`);
    }
  },
});
