/**
 * Container logs, writable layers and emptyDir volumes use the node's disk; without an
 * ephemeral-storage limit one container can fill it and get every pod on the node evicted.
 * Reads `resources.limits.ephemeral-storage` and `resources.requests.ephemeral-storage` of
 * regular containers (an unset request takes the limit's value).
 */
import { defineCheck } from '../types.ts';
import { regularContainers, resourceEntry } from './container-resources.ts';

export default defineCheck({
  id: 'K8S-EPHEMERAL-STORAGE-MISSING',
  title: 'Ephemeral-storage request or limit not set',
  severity: 'low',
  category: 'resources',
  description: 'Without ephemeral-storage requests and limits a container can fill the node disk with logs or scratch data, causing node-wide evictions.',
  remediation: 'Set `resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage` on every container.',
  fields: ['spec.containers[*].resources.requests.ephemeral-storage', 'spec.containers[*].resources.limits.ephemeral-storage'],
  frameworks: {},
  aliases: ['container-ephemeral-storage-request-and-limit'],
  concepts: [46],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of regularContainers(ctx)) {
      const limit = resourceEntry(c, 'limits', 'ephemeral-storage');
      const request = resourceEntry(c, 'requests', 'ephemeral-storage');
      if (limit.value === undefined) ctx.report(limit.path, `container "${c.name}" has no ephemeral-storage limit`);
      if (request.value === undefined && limit.value === undefined) ctx.report(request.path, `container "${c.name}" has no ephemeral-storage request`);
    }
  },
});
