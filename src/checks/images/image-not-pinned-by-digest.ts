/**
 * Tags are mutable: whoever can push to the repository can change what a tag points to. Only a
 * digest names exact content. Reads `image` of every container; allowed: a reference with
 * `@sha256:…` (or another digest algorithm).
 */
import { defineCheck } from '../types.ts';
import { containerImages } from './container-images.ts';

export default defineCheck({
  id: 'K8S-IMAGE-NOT-PINNED-BY-DIGEST',
  title: 'Image not pinned by digest',
  severity: 'low',
  category: 'images',
  description: 'A tag can be moved to different content at any time (by a release process or an attacker with push access); a digest guarantees the exact image that was scanned and approved.',
  remediation: 'Reference the image by digest, e.g. `registry.example.com/app:1.4.2@sha256:<digest>`.',
  fields: ['spec.containers[*].image', 'spec.initContainers[*].image', 'spec.ephemeralContainers[*].image'],
  frameworks: { 'nist-800-190': ['4.2.2'] },
  aliases: ['CKV_K8S_43', 'C-0306'],
  concepts: [51],
  kinds: 'workload',
  run(ctx) {
    for (const { container, image, ref, path } of containerImages(ctx)) {
      if (ref.digest === undefined || ref.digest === '') ctx.report(path, `container "${container.name}" image "${image}" is not pinned by digest`);
    }
  },
});
