/**
 * A container without a memory limit can take all memory of its node until the kernel's OOM
 * killer picks victims among its neighbours. Reads `resources.limits.memory` of regular
 * containers; allowed: any value.
 */
import { defineCheck } from '../types.ts';
import { reportMissingLimit } from './container-resources.ts';

export default defineCheck({
  id: 'K8S-MEMORY-LIMITS-MISSING',
  title: 'Memory limit not set',
  severity: 'medium',
  category: 'resources',
  description: 'Without a memory limit a leaking or compromised container can exhaust the node memory and get other pods OOM-killed or evicted.',
  remediation: 'Set `resources.limits.memory` on every container (or give the namespace a LimitRange with a default memory limit).',
  fields: ['spec.containers[*].resources.limits.memory'],
  frameworks: { nsa: ['Ensure memory limits are set'], 'nist-800-190': ['4.4.3'] },
  aliases: ['memoryLimitsMissing', 'LimitsMemory', 'CKV_K8S_13', 'C-0004', 'C-0271', 'C-0009', 'KSV-0018', 'unset-memory-requirements', 'container-resources'],
  concepts: [43],
  kinds: 'workload',
  run(ctx) {
    reportMissingLimit(ctx, 'memory');
  },
});
