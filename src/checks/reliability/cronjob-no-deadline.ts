/**
 * Without `startingDeadlineSeconds` a CronJob that missed its schedule (controller down, cluster
 * upgrade) counts missed runs since the last one; after 100 misses it stops scheduling for good.
 * Reads `spec.startingDeadlineSeconds` of CronJobs; allowed: a positive integer.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-CRONJOB-NO-DEADLINE',
  title: 'CronJob without startingDeadlineSeconds',
  severity: 'low',
  category: 'reliability',
  description: 'A CronJob without a starting deadline may start late runs in bulk after an outage, or stop scheduling after too many missed runs.',
  remediation: 'Set `spec.startingDeadlineSeconds` (e.g. 200) so that missed runs are skipped after that delay.',
  fields: ['spec.startingDeadlineSeconds'],
  frameworks: {},
  aliases: ['cronjob-has-deadline'],
  concepts: [77],
  kinds: ['CronJob'],
  enabledByDefault: false,
  run(ctx) {
    const deadline = asObject(ctx.resource.object['spec'])?.['startingDeadlineSeconds'];
    if (typeof deadline === 'number' && deadline > 0) return;
    ctx.report(['spec', 'startingDeadlineSeconds'], `CronJob "${ctx.resource.name}" has no startingDeadlineSeconds`);
  },
});
