/**
 * A pod is in the Guaranteed QoS class only when every container's requests equal its limits;
 * such pods are the last evicted and get exclusive CPUs with the static CPU manager. Reads
 * `resources.requests` and `resources.limits` for cpu, memory and ephemeral-storage of regular
 * containers; flags a resource whose request and limit are both set and differ.
 */
import { defineCheck } from '../types.ts';
import { regularContainers, resourceEntry } from './container-resources.ts';
import { parseQuantity } from './quantity.ts';

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

export default defineCheck({
  id: 'K8S-REQUESTS-NOT-EQUAL-LIMITS',
  title: 'Resource request differs from its limit',
  severity: 'low',
  category: 'resources',
  description: 'Requests lower than limits let the node overcommit: the pod is not Guaranteed QoS and may be throttled or evicted when neighbours use their burst.',
  remediation: 'Set `resources.requests.<resource>` equal to `resources.limits.<resource>`.',
  fields: RESOURCES.flatMap((r) => [`spec.containers[*].resources.requests.${r}`, `spec.containers[*].resources.limits.${r}`]),
  frameworks: {},
  aliases: ['container-resource-requests-equal-limits', 'container-cpu-requests-equal-limits', 'container-memory-requests-equal-limits', 'container-ephemeral-storage-request-equals-limit'],
  concepts: [45, 46],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of regularContainers(ctx)) {
      for (const name of RESOURCES) {
        const request = resourceEntry(c, 'requests', name);
        const limit = resourceEntry(c, 'limits', name);
        const rv = parseQuantity(request.value);
        const lv = parseQuantity(limit.value);
        if (rv === undefined || lv === undefined || rv === lv) continue;
        ctx.report(request.path, `container "${c.name}" requests ${String(request.value)} ${name} but is limited to ${String(limit.value)}`);
      }
    }
  },
});
