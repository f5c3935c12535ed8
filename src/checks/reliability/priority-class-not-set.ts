/**
 * Pods without a priority class get priority 0 and are preempted before anything that has one.
 * Reads `priorityClassName` of the pod spec; allowed: set, and one of the
 * `allowedPriorityClasses` setting when that list is not empty.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-PRIORITY-CLASS-NOT-SET',
  title: 'priorityClassName not set or not allowed',
  severity: 'low',
  category: 'reliability',
  description: 'Without a deliberate priority class, important pods may be preempted or left pending when the cluster is full.',
  remediation: 'Set `priorityClassName` to one of the cluster\'s PriorityClasses (see `allowedPriorityClasses` in bosun.yaml).',
  fields: ['spec.priorityClassName'],
  frameworks: {},
  aliases: ['priorityClassNotSet', 'priority-class-name'],
  concepts: [75],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { allowedPriorityClasses: [] },
  run(ctx) {
    const w = ctx.workload!;
    const path = [...w.specPath, 'priorityClassName'];
    const name = w.podSpec['priorityClassName'];
    if (typeof name !== 'string' || name === '') {
      ctx.report(path, `${ctx.resource.kind} "${ctx.resource.name}" sets no priorityClassName`);
      return;
    }
    const allowed = asArray(ctx.setting<unknown>('allowedPriorityClasses')).map(String);
    if (allowed.length > 0 && !allowed.includes(name)) ctx.report(path, `priorityClassName "${name}" is not one of ${allowed.join(', ')}`);
  },
});
