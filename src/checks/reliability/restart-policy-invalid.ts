/**
 * Each pod owner accepts only some restart policies: Jobs and CronJobs need OnFailure or Never
 * (unset means Always, which the API server rejects for them); Deployments, StatefulSets,
 * DaemonSets and ReplicaSets accept only Always; a Pod accepts Always, OnFailure or Never.
 * Reads `restartPolicy` of the pod spec.
 */
import { defineCheck } from '../types.ts';

const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);
const ALWAYS_ONLY = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout']);
const VALID = new Set(['Always', 'OnFailure', 'Never']);

function problem(kind: string, policy: unknown): string | undefined {
  const p = typeof policy === 'string' && policy !== '' ? policy : undefined;
  if (RUN_TO_COMPLETION.has(kind)) {
    if (p === undefined) return 'sets no restartPolicy (defaults to Always, which a Job does not accept); use OnFailure or Never';
    return p === 'OnFailure' || p === 'Never' ? undefined : `has restartPolicy ${p}; a Job needs OnFailure or Never`;
  }
  if (p === undefined) return undefined;
  if (ALWAYS_ONLY.has(kind)) return p === 'Always' ? undefined : `has restartPolicy ${p}; only Always is allowed`;
  return VALID.has(p) ? undefined : `has invalid restartPolicy ${p}`;
}

export default defineCheck({
  id: 'K8S-RESTART-POLICY-INVALID',
  title: 'Restart policy missing or invalid for the workload kind',
  severity: 'low',
  category: 'reliability',
  description: 'A restart policy the controller does not accept makes the object fail to apply, or (for Jobs) retries forever instead of completing.',
  remediation: 'Use `restartPolicy: OnFailure` or `Never` for Jobs and CronJobs, and `Always` (or leave unset) for long-running controllers.',
  fields: ['spec.restartPolicy'],
  frameworks: {},
  aliases: ['restart-policy', 'cronjob-restartpolicy'],
  concepts: [78],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const message = problem(ctx.resource.kind, w.podSpec['restartPolicy']);
    if (message !== undefined) ctx.report([...w.specPath, 'restartPolicy'], `${ctx.resource.kind} "${ctx.resource.name}" ${message}`);
  },
});
