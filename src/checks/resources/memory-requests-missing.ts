/**
 * The scheduler places pods by their requests; a container without a memory request can land
 * on a node without room for it and is among the first evicted under memory pressure. Reads
 * `resources.requests.memory` (and `resources.limits.memory`, which the API server copies into
 * an unset request) of regular containers; allowed: any value.
 */
import { defineCheck } from '../types.ts';
import { reportMissingRequest } from './container-resources.ts';

export default defineCheck({
  id: 'K8S-MEMORY-REQUESTS-MISSING',
  title: 'Memory request not set',
  severity: 'low',
  category: 'resources',
  description: 'Without a memory request the scheduler assumes the container needs no memory: nodes get overcommitted and the pod is evicted first under memory pressure.',
  remediation: 'Set `resources.requests.memory` on every container to its typical usage (e.g. `128Mi`).',
  fields: ['spec.containers[*].resources.requests.memory', 'spec.containers[*].resources.limits.memory'],
  frameworks: {},
  aliases: ['memoryRequestsMissing', 'RequestsMemory', 'CKV_K8S_12', 'C-0004', 'C-0269', 'KSV-0016', 'memory-requirements', 'container-resources'],
  concepts: [42],
  kinds: 'workload',
  run(ctx) {
    reportMissingRequest(ctx, 'memory');
  },
});
