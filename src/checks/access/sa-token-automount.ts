/**
 * Every pod gets a token of its ServiceAccount mounted unless told otherwise; a compromised
 * container then talks to the API server with that identity. Reads the pod's
 * `spec.automountServiceAccountToken` and, when unset, the referenced ServiceAccount's
 * `automountServiceAccountToken` (from the inputs). Allowed: false on the pod, or unset on the
 * pod and false on its ServiceAccount.
 */
import { defineCheck } from '../types.ts';
import { serviceAccountName, tokenAutomount } from './service-account.ts';

export default defineCheck({
  id: 'K8S-SA-TOKEN-AUTOMOUNT',
  title: 'ServiceAccount token mounted',
  severity: 'medium',
  category: 'access',
  description: 'A mounted ServiceAccount token lets anyone who compromises the container call the Kubernetes API with the pod\'s identity; most applications never need it.',
  remediation: 'Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount), and mount a projected token only in pods that call the API.',
  fields: ['spec.automountServiceAccountToken', 'spec.serviceAccountName', 'ServiceAccount.automountServiceAccountToken'],
  frameworks: { cis: ['5.1.6'], nsa: ['1.11'], 'nist-800-190': ['4.4.2'] },
  aliases: ['automountServiceAccountToken', 'AutomountServiceAccountToken', 'CKV_K8S_38', 'C-0034', 'C-0190', 'C-0261', 'KSV-0036'],
  concepts: [91],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const state = tokenAutomount(ctx.index, ctx.resource, w);
    if (!state.mounted) return;
    const why = state.from === 'pod' ? 'the pod sets automountServiceAccountToken: true' : state.from === 'serviceAccount' ? `ServiceAccount "${serviceAccountName(w)}" sets automountServiceAccountToken: true` : `neither the pod nor ServiceAccount "${serviceAccountName(w)}" disables it`;
    ctx.report([...w.specPath, 'automountServiceAccountToken'], `the ServiceAccount token is mounted: ${why}`);
  },
});
