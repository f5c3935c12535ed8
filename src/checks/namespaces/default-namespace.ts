/**
 * CIS 5.7.4: the default namespace should not be used. Objects there share one RBAC and policy
 * boundary with everything else that was deployed without thought. Reads `metadata.namespace`;
 * an omitted namespace lands in the scan's default namespace (bosun.yaml `defaultNamespace`,
 * else `default`). The objects Kubernetes itself creates there (Service `kubernetes`,
 * ServiceAccount `default`, ConfigMap `kube-root-ca.crt`) are not reported.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';

const BUILT_IN = new Set(['Service/kubernetes', 'ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);

export default defineCheck({
  id: 'K8S-DEFAULT-NAMESPACE',
  title: 'Resource in the default namespace',
  severity: 'low',
  category: 'namespaces',
  description: 'The object lives in the `default` namespace (explicitly or because it omits `metadata.namespace`), which gives no administrative boundary for RBAC, quotas and network policies.',
  remediation: 'Create a dedicated namespace for the application and set `metadata.namespace` (or deploy with `-n`/`--namespace`).',
  fields: ['metadata.namespace'],
  frameworks: { cis: ['5.7.4', '5.7.1'] },
  aliases: ['CKV_K8S_21', 'C-0061', 'C-0212', 'KSV-0110', 'use-namespace'],
  concepts: [138],
  kinds: [...WORKLOAD_KINDS, 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'Ingress', 'PersistentVolumeClaim'],
  run(ctx) {
    const r = ctx.resource;
    if (ctx.index.namespaceOf(r) !== 'default' || BUILT_IN.has(`${r.kind}/${r.name}`)) return;
    const how = r.namespace === undefined ? 'omits metadata.namespace and lands in' : 'is in';
    ctx.report(['metadata', 'namespace'], `${r.kind} "${r.name}" ${how} the default namespace`);
  },
});
