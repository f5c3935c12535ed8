/**
 * Images from registries the organisation does not control or vet can carry malware or be
 * swapped by a third party. Reads `image` of every container against two settings:
 * `allowedRegistries` (registry hosts or repository prefixes; empty = no allow-list) and
 * `blockedRegistries` (same form). Docker Hub images without a registry count as `docker.io`.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { containerImages, fullRepository, underPrefix } from './container-images.ts';

function prefixes(setting: unknown): string[] {
  return asArray(setting).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

export default defineCheck({
  id: 'K8S-IMAGE-REGISTRY-NOT-ALLOWED',
  title: 'Image from a registry that is not allowed',
  severity: 'high',
  category: 'images',
  description: 'Pulling images from registries outside the approved list bypasses the organisation\'s image scanning, signing and provenance controls.',
  remediation: 'Mirror the image into an approved registry and reference it there (see `allowedRegistries` / `blockedRegistries` in bosun.yaml).',
  fields: ['spec.containers[*].image', 'spec.initContainers[*].image', 'spec.ephemeralContainers[*].image'],
  frameworks: { 'nist-800-190': ['4.1.5'] },
  aliases: ['C-0078', 'C-0001', 'KSV-0125', 'KSV-0032', 'KSV-0033', 'KSV-0034', 'KSV-0035'],
  concepts: [53],
  kinds: 'workload',
  settings: { allowedRegistries: [], blockedRegistries: [] },
  run(ctx) {
    const allowed = prefixes(ctx.setting<unknown>('allowedRegistries'));
    const blocked = prefixes(ctx.setting<unknown>('blockedRegistries'));
    if (allowed.length === 0 && blocked.length === 0) return;
    for (const { container, image, ref, path } of containerImages(ctx)) {
      const repo = fullRepository(ref);
      const block = blocked.find((p) => underPrefix(repo, p));
      if (block !== undefined) ctx.report(path, `container "${container.name}" image "${image}" comes from blocked registry "${block}"`);
      else if (allowed.length > 0 && !allowed.some((p) => underPrefix(repo, p))) {
        ctx.report(path, `container "${container.name}" image "${image}" is not from an allowed registry (${allowed.join(', ')})`);
      }
    }
  },
});
