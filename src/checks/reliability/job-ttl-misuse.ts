/**
 * Finished standalone Jobs (and their pods) stay in the cluster forever unless
 * `ttlSecondsAfterFinished` removes them; for Jobs created by a CronJob the history limits do
 * that, and a TTL fights them (history disappears early). Reads `spec.ttlSecondsAfterFinished`
 * of Jobs without a CronJob owner and `spec.jobTemplate.spec.ttlSecondsAfterFinished` of CronJobs.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

function ownedByCronJob(metadata: Record<string, unknown>): boolean {
  return asArray(metadata['ownerReferences']).some((o) => asObject(o)?.['kind'] === 'CronJob');
}

export default defineCheck({
  id: 'K8S-JOB-TTL-MISUSE',
  title: 'Job ttlSecondsAfterFinished missing (standalone) or set (CronJob-managed)',
  severity: 'low',
  category: 'reliability',
  description: 'Standalone Jobs without a TTL accumulate finished pods; CronJob-managed Jobs with a TTL lose the history the CronJob is meant to keep.',
  remediation: 'Set `spec.ttlSecondsAfterFinished` on standalone Jobs; remove it from CronJob job templates and use successfulJobsHistoryLimit/failedJobsHistoryLimit.',
  fields: ['spec.ttlSecondsAfterFinished', 'spec.jobTemplate.spec.ttlSecondsAfterFinished'],
  frameworks: {},
  aliases: ['job-ttl-seconds-after-finished'],
  concepts: [79],
  kinds: ['Job', 'CronJob'],
  enabledByDefault: false,
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    if (ctx.resource.kind === 'CronJob') {
      const ttl = asObject(asObject(spec['jobTemplate'])?.['spec'])?.['ttlSecondsAfterFinished'];
      if (ttl !== undefined && ttl !== null) ctx.report(['spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished'], `CronJob "${ctx.resource.name}" sets ttlSecondsAfterFinished on its jobs`);
      return;
    }
    if (ownedByCronJob(ctx.resource.metadata)) return;
    const ttl = spec['ttlSecondsAfterFinished'];
    if (ttl === undefined || ttl === null) ctx.report(['spec', 'ttlSecondsAfterFinished'], `standalone Job "${ctx.resource.name}" sets no ttlSecondsAfterFinished`);
  },
});
