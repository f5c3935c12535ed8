/**
 * A container without a CPU limit can use every core of its node, starving its neighbours
 * (a denial of service, deliberate or not). Reads `resources.limits.cpu` of regular
 * containers; allowed: any value.
 */
import { defineCheck } from '../types.ts';
import { reportMissingLimit } from './container-resources.ts';

export default defineCheck({
  id: 'K8S-CPU-LIMITS-MISSING',
  title: 'CPU limit not set',
  severity: 'medium',
  category: 'resources',
  description: 'Without a CPU limit a compromised or faulty container can consume all CPU of its node and degrade every other pod there.',
  remediation: 'Set `resources.limits.cpu` on every container (or give the namespace a LimitRange with a default CPU limit).',
  fields: ['spec.containers[*].resources.limits.cpu'],
  frameworks: { nsa: ['Ensure CPU limits are set'], 'nist-800-190': ['4.4.3'] },
  aliases: ['cpuLimitsMissing', 'LimitsCPU', 'CKV_K8S_11', 'C-0050', 'C-0270', 'C-0009', 'KSV-0011', 'cpu-requirements', 'container-resources'],
  concepts: [41],
  kinds: 'workload',
  run(ctx) {
    reportMissingLimit(ctx, 'cpu');
  },
});
