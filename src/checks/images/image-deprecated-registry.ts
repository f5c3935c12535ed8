/**
 * The community registry k8s.gcr.io was frozen in April 2023 and redirected to registry.k8s.io:
 * it receives no new images or security patches. Reads `image` of every container; flags the
 * registry host `k8s.gcr.io` (and its regional `*.k8s.gcr.io` aliases).
 */
import { defineCheck } from '../types.ts';
import { containerImages } from './container-images.ts';

function isFrozenRegistry(registry: string): boolean {
  const host = registry.toLowerCase();
  return host === 'k8s.gcr.io' || host.endsWith('.k8s.gcr.io');
}

export default defineCheck({
  id: 'K8S-IMAGE-DEPRECATED-REGISTRY',
  title: 'Image from the frozen k8s.gcr.io registry',
  severity: 'medium',
  category: 'images',
  description: 'k8s.gcr.io is frozen: images there get no security updates and the registry may stop serving, breaking pulls.',
  remediation: 'Replace `k8s.gcr.io` with `registry.k8s.io` and move to a current image version.',
  fields: ['spec.containers[*].image', 'spec.initContainers[*].image', 'spec.ephemeralContainers[*].image'],
  frameworks: { 'nist-800-190': ['4.2.2'] },
  aliases: ['C-0253'],
  concepts: [54],
  kinds: 'workload',
  references: ['https://kubernetes.io/blog/2023/03/10/image-registry-redirect/'],
  run(ctx) {
    for (const { container, image, ref, path } of containerImages(ctx)) {
      if (isFrozenRegistry(ref.registry)) ctx.report(path, `container "${container.name}" image "${image}" comes from the frozen registry ${ref.registry}`);
    }
  },
});
