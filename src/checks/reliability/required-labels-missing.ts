/**
 * Ownership and app labels let people find who runs a workload and let tools group it. Reads
 * `metadata.labels` of workloads; allowed: every label in the `requiredLabels` setting
 * (default `["owner"]`) present with a non-empty value.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-REQUIRED-LABELS-MISSING',
  title: 'Required label missing',
  severity: 'info',
  category: 'reliability',
  description: 'Workloads without the organisation\'s required labels (owner, app, team …) cannot be attributed, grouped or selected reliably.',
  remediation: 'Add the labels listed in `requiredLabels` (bosun.yaml) to `metadata.labels`.',
  fields: ['metadata.labels'],
  frameworks: {},
  aliases: ['C-0076', 'C-0077', 'required-label-owner'],
  concepts: [87],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { requiredLabels: ['owner'] },
  run(ctx) {
    for (const label of asArray(ctx.setting<unknown>('requiredLabels')).map(String)) {
      const value = ctx.resource.labels[label];
      if (value === undefined || value === '') ctx.report(['metadata', 'labels', label], `${ctx.resource.kind} "${ctx.resource.name}" has no "${label}" label`, { key: label });
    }
  },
});
