/**
 * The recommended label `app.kubernetes.io/instance` identifies one installation of an app and
 * is expected to equal the object's name; a copy-pasted value makes dashboards and selectors
 * mix installations. Reads `metadata.labels["app.kubernetes.io/instance"]` and `metadata.name`
 * of workloads; allowed: label unset or equal to the name.
 */
import { defineCheck } from '../types.ts';

const INSTANCE = 'app.kubernetes.io/instance';

export default defineCheck({
  id: 'K8S-INSTANCE-LABEL-MISMATCH',
  title: 'app.kubernetes.io/instance label differs from metadata.name',
  severity: 'info',
  category: 'reliability',
  description: 'An instance label that does not match the object name usually comes from copy-paste and groups unrelated installations together.',
  remediation: 'Set the `app.kubernetes.io/instance` label to the object\'s `metadata.name`.',
  fields: ['metadata.labels["app.kubernetes.io/instance"]', 'metadata.name'],
  frameworks: {},
  aliases: ['metadataAndInstanceMismatched'],
  concepts: [86],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const instance = ctx.resource.labels[INSTANCE];
    if (instance === undefined || instance === ctx.resource.name) return;
    ctx.report(['metadata', 'labels', INSTANCE], `label ${INSTANCE}="${instance}" differs from the name "${ctx.resource.name}"`);
  },
});
