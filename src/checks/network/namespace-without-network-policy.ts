/**
 * CIS 5.3.2: every namespace should have NetworkPolicies. Reads the NetworkPolicies of each
 * namespace named in the inputs (by a Namespace object or by a workload in it). The finding
 * attaches to the Namespace object, else to the first workload in that namespace. System
 * namespaces are skipped (setting `excludedNamespaces`).
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { anchoredNamespace } from './namespace-anchor.ts';
import { policiesByNamespace } from './policy-index.ts';

export default defineCheck({
  id: 'K8S-NAMESPACE-NO-NETWORKPOLICY',
  title: 'Namespace without NetworkPolicy',
  severity: 'medium',
  category: 'network',
  description: 'A namespace without any NetworkPolicy leaves all of its pods open to every other pod in the cluster (flat cluster networking).',
  remediation: 'Add a default-deny NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) to the namespace, then allow the flows the applications need.',
  fields: ['Namespace.metadata.name', 'NetworkPolicy.metadata.namespace'],
  frameworks: { cis: ['5.3.2'], nsa: ['2.0'], mitre: ['Lateral movement'], 'nist-800-190': ['4.4.2'] },
  aliases: ['C-0054', 'C-0206', 'C-0049', 'KSV-0038'],
  concepts: [128],
  kinds: ['Namespace', ...WORKLOAD_KINDS],
  settings: { excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'] },
  run(ctx) {
    const ns = anchoredNamespace(ctx.index, ctx.resource);
    if (ns === undefined) return;
    if ((ctx.setting<string[] | undefined>('excludedNamespaces') ?? []).includes(ns)) return;
    if ((policiesByNamespace(ctx.index).get(ns) ?? []).length > 0) return;
    const path = ctx.resource.kind === 'Namespace' ? ['metadata', 'name'] : ['metadata', 'namespace'];
    ctx.report(path, `namespace "${ns}" has no NetworkPolicy`);
  },
});
