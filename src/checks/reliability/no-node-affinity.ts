/**
 * Pods without node affinity (or a nodeSelector) can land on any node, including nodes meant
 * for other tenants or hardware. Reads `affinity.nodeAffinity` and `nodeSelector` of the pod
 * spec; allowed: either one set.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const nonEmpty = (v: unknown): boolean => {
  const o = asObject(v);
  return o !== undefined && Object.keys(o).length > 0;
};

export default defineCheck({
  id: 'K8S-NO-NODE-AFFINITY',
  title: 'No node affinity',
  severity: 'low',
  category: 'reliability',
  description: 'Without node affinity or a nodeSelector the scheduler may place the pod on unsuitable nodes (wrong hardware, pool or tenant).',
  remediation: 'Add `affinity.nodeAffinity` or `nodeSelector` to the pod spec.',
  fields: ['spec.affinity.nodeAffinity', 'spec.nodeSelector'],
  frameworks: {},
  aliases: ['no-node-affinity'],
  concepts: [74],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (nonEmpty(asObject(w.podSpec['affinity'])?.['nodeAffinity']) || nonEmpty(w.podSpec['nodeSelector'])) return;
    ctx.report([...w.specPath, 'affinity', 'nodeAffinity'], `${ctx.resource.kind} "${ctx.resource.name}" has no node affinity or nodeSelector`);
  },
});
