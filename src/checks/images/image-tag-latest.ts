/**
 * `:latest` (or no tag, which means latest) names whatever was pushed last: deployments are not
 * reproducible and a rollback may pull the same broken image. Reads `image` of every container;
 * allowed: an explicit tag other than `latest`, or a digest (`@sha256:…`), which pins the image
 * whatever the tag says.
 */
import { defineCheck } from '../types.ts';
import { containerImages } from './container-images.ts';

export default defineCheck({
  id: 'K8S-IMAGE-TAG-LATEST',
  title: 'Image uses the latest tag or no tag',
  severity: 'medium',
  category: 'images',
  description: 'An image without a tag or tagged `latest` changes under the workload: what runs is not what was reviewed or scanned, and rollbacks are unreliable.',
  remediation: 'Reference the image by a fixed version tag (`nginx:1.27.3`), or better by digest (`nginx@sha256:…`).',
  fields: ['spec.containers[*].image', 'spec.initContainers[*].image', 'spec.ephemeralContainers[*].image'],
  frameworks: { 'nist-800-190': ['4.2.2'] },
  aliases: ['tagNotSpecified', 'CKV_K8S_14', 'C-0075', 'KSV-0013', 'latest-tag', 'container-image-tag'],
  concepts: [50],
  kinds: 'workload',
  run(ctx) {
    for (const { container, image, ref, path } of containerImages(ctx)) {
      if (ref.digest !== undefined) continue;
      if (ref.tag === undefined) ctx.report(path, `container "${container.name}" image "${image}" has no tag (means latest)`);
      else if (ref.tag === 'latest') ctx.report(path, `container "${container.name}" image "${image}" uses the latest tag`);
    }
  },
});
