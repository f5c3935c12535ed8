/**
 * The scheduler places pods by their requests; a container without a CPU request is scheduled
 * as if it used no CPU and is the first to be starved under contention. Reads
 * `resources.requests.cpu` (and `resources.limits.cpu`, which the API server copies into an
 * unset request) of regular containers; allowed: any value.
 */
import { defineCheck } from '../types.ts';
import { reportMissingRequest } from './container-resources.ts';

export default defineCheck({
  id: 'K8S-CPU-REQUESTS-MISSING',
  title: 'CPU request not set',
  severity: 'low',
  category: 'resources',
  description: 'Without a CPU request the scheduler assumes the container needs no CPU: nodes get overcommitted and the pod gets the lowest CPU share under contention.',
  remediation: 'Set `resources.requests.cpu` on every container to its typical usage (e.g. `100m`).',
  fields: ['spec.containers[*].resources.requests.cpu', 'spec.containers[*].resources.limits.cpu'],
  frameworks: {},
  aliases: ['cpuRequestsMissing', 'RequestsCPU', 'CKV_K8S_10', 'C-0050', 'C-0268', 'KSV-0015', 'unset-cpu-requirements', 'container-resources'],
  concepts: [40],
  kinds: 'workload',
  run(ctx) {
    reportMissingRequest(ctx, 'cpu');
  },
});
