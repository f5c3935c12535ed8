/**
 * Tiller, the server side of Helm v2 (end of life since November 2020), runs with cluster-admin
 * rights and by default accepts unauthenticated gRPC from any pod: anyone in the cluster can
 * install anything. Reads container images (repository `…/tiller`) and Services named
 * `tiller-deploy` or labelled `app: helm, name: tiller`.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { containerImage, parseImage } from '../helpers.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-TILLER',
  title: 'Tiller (Helm v2) deployed',
  severity: 'critical',
  category: 'components',
  description: 'Tiller usually holds cluster-admin and serves an unauthenticated gRPC API inside the cluster, so every pod can deploy privileged workloads through it.',
  remediation: 'Migrate to Helm 3 (no server component) and delete the Tiller Deployment and Service.',
  fields: ['spec.containers[*].image', 'Service.metadata.name', 'Service.metadata.labels'],
  frameworks: {},
  aliases: ['CKV_K8S_34', 'CKV_K8S_44', 'CKV_K8S_45', 'KSV-0102'],
  concepts: [143],
  kinds: [...WORKLOAD_KINDS, 'Service'],
  run(ctx) {
    if (ctx.workload !== undefined) {
      for (const c of ctx.workload.containers) {
        const repository = parseImage(containerImage(c) ?? '').repository;
        if (repository.endsWith('/tiller')) ctx.report([...c.path, 'image'], `container "${c.name}" runs Tiller (${containerImage(c)})`);
      }
      return;
    }
    const labels = ctx.resource.labels;
    if (ctx.resource.name === 'tiller-deploy' || (labels['app'] === 'helm' && labels['name'] === 'tiller')) {
      ctx.report(['metadata', 'name'], `Service "${ctx.resource.name}" exposes Tiller`);
    }
  },
});
