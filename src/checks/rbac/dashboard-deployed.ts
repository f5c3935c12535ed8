/**
 * The Kubernetes Dashboard is a web UI acting with its ServiceAccount's permissions (or the
 * viewer's token); exposed dashboards are a classic entry point (the Tesla cryptojacking case).
 * Reads container images (repository `kubernetesui/*` or containing `kubernetes-dashboard`) and
 * the pod labels `k8s-app`, `app`, `app.kubernetes.io/name` (value `kubernetes-dashboard`).
 */
import { asString } from '../../manifests/path.ts';
import { stringMap } from '../../manifests/resource.ts';
import { containerImage, parseImage } from '../helpers.ts';
import { defineCheck } from '../types.ts';

const DASHBOARD_LABELS = ['k8s-app', 'app', 'app.kubernetes.io/name'];

function isDashboardImage(image: string): boolean {
  const repo = parseImage(image).repository;
  return repo.startsWith('kubernetesui/') || repo.includes('kubernetes-dashboard');
}

export default defineCheck({
  id: 'K8S-DASHBOARD-DEPLOYED',
  title: 'Kubernetes Dashboard deployed',
  severity: 'medium',
  category: 'rbac',
  description: 'The Kubernetes Dashboard gives a web front-end to the API with its own or the viewer\'s permissions; once reachable it is used for discovery and lateral movement.',
  remediation: 'Remove the Dashboard, or keep it private (no Ingress/LoadBalancer), bound to a read-only role, behind authentication.',
  fields: ['spec.containers[*].image', 'metadata.labels'],
  frameworks: { mitre: ['Discovery', 'Lateral movement'] },
  aliases: ['CKV_K8S_33', 'C-0014'],
  concepts: [125],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    let found = false;
    for (const c of w.containers) {
      const image = containerImage(c);
      if (image === undefined || !isDashboardImage(image)) continue;
      found = true;
      ctx.report([...c.path, 'image'], `container "${c.name}" runs the Kubernetes Dashboard image "${image}"`);
    }
    if (found) return;
    const labels = stringMap(w.podMeta['labels']);
    const label = DASHBOARD_LABELS.find((l) => asString(labels[l]) === 'kubernetes-dashboard');
    if (label !== undefined) ctx.report([...w.podMetaPath, 'labels', label], `the pods are labelled ${label}=kubernetes-dashboard`);
  },
});
