/**
 * CIS 5.2.1: every namespace should have an active policy control. Pod Security Admission
 * enforces only when the Namespace carries `pod-security.kubernetes.io/enforce` with level
 * `baseline` or `restricted`; `privileged` or no label enforces nothing (unless the cluster
 * sets an admission-config default, which manifests cannot show). System namespaces are skipped
 * (setting `excludedNamespaces`). Opt-in: only kubescape runs it.
 */
import { defineCheck } from '../types.ts';
import { PSA_PREFIX } from './pod-security-labels.ts';

const ENFORCE = `${PSA_PREFIX}enforce`;

export default defineCheck({
  id: 'K8S-NAMESPACE-PSA-NOT-ENFORCED',
  title: 'Namespace does not enforce Pod Security Standards',
  severity: 'medium',
  category: 'namespaces',
  description: 'Without an enforce label at baseline or restricted, Pod Security Admission admits privileged pods into the namespace.',
  remediation: 'Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline`), optionally with `pod-security.kubernetes.io/enforce-version`.',
  fields: ['metadata.labels["pod-security.kubernetes.io/enforce"]'],
  frameworks: { cis: ['5.2.1'] },
  aliases: ['C-0192', 'C-0193', 'C-0194', 'C-0195', 'C-0196', 'C-0197', 'C-0198', 'C-0199', 'C-0200', 'C-0201', 'C-0202', 'C-0203', 'C-0204'],
  concepts: [140],
  kinds: ['Namespace'],
  enabledByDefault: false,
  settings: { excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'] },
  run(ctx) {
    if ((ctx.setting<string[] | undefined>('excludedNamespaces') ?? []).includes(ctx.resource.name)) return;
    const level = ctx.resource.labels[ENFORCE];
    if (level !== undefined && level !== 'privileged') return;
    const why = level === undefined ? `has no ${ENFORCE} label` : `enforces the privileged level`;
    ctx.report(['metadata', 'labels', ENFORCE], `namespace "${ctx.resource.name}" ${why}`);
  },
});
