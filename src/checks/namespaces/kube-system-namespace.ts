/**
 * NSA/CISA 1.12: kube-system holds the control plane and its credentials; user objects there
 * share that trust boundary and are easy to overlook. Reads `metadata.namespace`; allowed:
 * anything but kube-system. Opt-in: cluster add-ons legitimately live there.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-KUBE-SYSTEM-NAMESPACE',
  title: 'User resource in kube-system',
  severity: 'medium',
  category: 'namespaces',
  description: 'The object is placed in kube-system, the namespace of the control plane and system add-ons; user workloads there sit next to highly privileged service accounts.',
  remediation: 'Move the object to a dedicated namespace.',
  fields: ['metadata.namespace'],
  frameworks: { nsa: ['1.12'] },
  aliases: ['KSV-0037'],
  concepts: [139],
  kinds: 'all',
  enabledByDefault: false,
  run(ctx) {
    if (ctx.index.namespaceOf(ctx.resource) !== 'kube-system') return;
    ctx.report(['metadata', 'namespace'], `${ctx.resource.kind} "${ctx.resource.name}" is in the kube-system namespace`);
  },
});
