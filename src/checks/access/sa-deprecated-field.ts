/**
 * `spec.serviceAccount` is a deprecated alias of `spec.serviceAccountName` (core/v1 PodSpec);
 * when both are set and differ, serviceAccountName wins, which surprises readers. Reads
 * `spec.serviceAccount`; allowed: unset.
 */
import { asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-SA-DEPRECATED-FIELD',
  title: 'Deprecated serviceAccount field',
  severity: 'low',
  category: 'access',
  description: '`spec.serviceAccount` is deprecated; tools and readers look at `spec.serviceAccountName`, which takes precedence when both are set.',
  remediation: 'Replace `spec.serviceAccount` with `spec.serviceAccountName`.',
  fields: ['spec.serviceAccount'],
  frameworks: {},
  aliases: ['C-0294', 'deprecated-service-account-field'],
  concepts: [94],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const old = asString(w.podSpec['serviceAccount']);
    if (!old) return;
    const current = asString(w.podSpec['serviceAccountName']);
    const detail = current && current !== old ? ` (serviceAccountName "${current}" takes precedence)` : '';
    ctx.report([...w.specPath, 'serviceAccount'], `the pod uses the deprecated serviceAccount field: "${old}"${detail}`);
  },
});
