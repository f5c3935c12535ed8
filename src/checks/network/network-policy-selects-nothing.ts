/**
 * A NetworkPolicy whose `spec.podSelector` matches no pod protects nothing, and a rule peer
 * whose `podSelector` (without `namespaceSelector`) matches no pod allows nothing: usually a
 * label typo. Reads `spec.podSelector`, `spec.ingress[*].from[*].podSelector` and
 * `spec.egress[*].to[*].podSelector` against the pod labels of the workloads in the policy's
 * namespace. The empty selector matches everything; peers with a `namespaceSelector` may select
 * pods outside the inputs and are skipped. Skipped when the inputs contain no workload at all.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject } from '../../manifests/path.ts';
import { isEmptySelector } from '../../manifests/selector.ts';
import type { LabelIndex } from '../../manifests/label-index.ts';
import type { Resource } from '../../manifests/resource.ts';
import { defineCheck } from '../types.ts';
import { inventory } from './inventory.ts';

export default defineCheck({
  id: 'K8S-NETWORKPOLICY-SELECTS-NOTHING',
  title: 'NetworkPolicy selects no pods',
  severity: 'low',
  category: 'network',
  description: 'The NetworkPolicy (or one of its rule peers) has a pod selector that matches none of the workloads in its namespace, so it has no effect.',
  remediation: 'Fix the selector labels so that they match the intended pods, or delete the policy.',
  fields: ['spec.podSelector', 'spec.ingress[*].from[*].podSelector', 'spec.egress[*].to[*].podSelector'],
  frameworks: {},
  aliases: ['C-0299', 'dangling-networkpolicy', 'dangling-networkpolicypeer-podselector', 'networkpolicy-targets-pod'],
  concepts: [129],
  kinds: ['NetworkPolicy'],
  run(ctx) {
    const inv = inventory(ctx.index);
    if (inv.workloadCount === 0) return;
    const ns = ctx.index.namespaceOf(ctx.resource) ?? ctx.index.defaultNamespace;
    const pods = ctx.index.podsIn(ns);
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const selector = asObject(spec['podSelector']) ?? {};
    if (selectsNone(selector, pods)) ctx.report(['spec', 'podSelector'], `NetworkPolicy "${ctx.resource.name}" selects no pods in namespace "${ns}"`);
    for (const [path, peer] of podSelectorPeers(spec)) {
      if (selectsNone(peer, pods)) ctx.report(path, `rule peer of NetworkPolicy "${ctx.resource.name}" selects no pods in namespace "${ns}"`);
    }
  },
});

function selectsNone(selector: Record<string, unknown>, pods: LabelIndex<Resource>): boolean {
  if (isEmptySelector(selector)) return false;
  return !pods.any(selector);
}

/** Peers that select pods in the policy's own namespace, with the path of their podSelector. */
function podSelectorPeers(spec: Record<string, unknown>): Array<[Path, Record<string, unknown>]> {
  const out: Array<[Path, Record<string, unknown>]> = [];
  for (const [section, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
    asArray(spec[section]).forEach((rule, i) => {
      asArray(asObject(rule)?.[key]).forEach((p, j) => {
        const peer = asObject(p);
        const selector = asObject(peer?.['podSelector']);
        if (selector === undefined || peer?.['namespaceSelector'] !== undefined) return;
        out.push([['spec', section, i, key, j, 'podSelector'], selector]);
      });
    });
  }
  return out;
}
