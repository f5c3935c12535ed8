/**
 * A controller whose selector does not match its own pod template labels is rejected by the
 * API server (apps/v1) or, for older kinds, creates pods it cannot see and keeps creating more.
 * Reads `spec.selector` and `spec.template.metadata.labels` of Deployments, StatefulSets,
 * DaemonSets, ReplicaSets (label selectors), ReplicationControllers (a plain map; unset means
 * the template labels) and Jobs/CronJobs that set a selector manually.
 */
import { asObject, getPath } from '../../manifests/path.ts';
import { stringMap } from '../../manifests/resource.ts';
import { matchesSelector } from '../../manifests/selector.ts';
import { defineCheck } from '../types.ts';

const SELECTOR_PATH: Record<string, readonly string[]> = {
  Deployment: ['spec', 'selector'],
  StatefulSet: ['spec', 'selector'],
  DaemonSet: ['spec', 'selector'],
  ReplicaSet: ['spec', 'selector'],
  ReplicationController: ['spec', 'selector'],
  Job: ['spec', 'selector'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'selector'],
};
/** Kinds where an unset selector is defaulted (from the template) rather than an error. */
const OPTIONAL_SELECTOR = new Set(['ReplicationController', 'Job', 'CronJob']);

export default defineCheck({
  id: 'K8S-SELECTOR-MISMATCH',
  title: 'Controller selector does not match its pod template labels',
  severity: 'low',
  category: 'reliability',
  description: 'A selector that does not match the template labels makes the object invalid, or makes the controller lose track of its own pods.',
  remediation: 'Make `spec.selector` match `spec.template.metadata.labels` (every matchLabels entry present with the same value).',
  fields: ['spec.selector', 'spec.template.metadata.labels'],
  frameworks: {},
  aliases: ['C-0296', 'mismatching-selector', 'deployment-pod-selector-labels-match-template-metadata-labels', 'statefulset-pod-selector-labels-match-template-metadata-labels'],
  concepts: [81],
  kinds: Object.keys(SELECTOR_PATH),
  run(ctx) {
    const w = ctx.workload;
    const path = SELECTOR_PATH[ctx.resource.kind];
    if (w === undefined || path === undefined) return;
    const selector = getPath(ctx.resource.object, path);
    if (selector === undefined || selector === null) {
      if (!OPTIONAL_SELECTOR.has(ctx.resource.kind)) ctx.report(path, `${ctx.resource.kind} "${ctx.resource.name}" has no selector`);
      return;
    }
    const labels = stringMap(w.podMeta['labels']);
    const plainMap = ctx.resource.kind === 'ReplicationController';
    if (asObject(selector) !== undefined && Object.keys(selector as object).length === 0 && !plainMap) return; // {} selects everything
    if (!matchesSelector(selector, labels, plainMap)) ctx.report(path, `selector of ${ctx.resource.kind} "${ctx.resource.name}" does not match its pod template labels`);
  },
});
