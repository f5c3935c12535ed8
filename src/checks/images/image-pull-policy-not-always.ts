/**
 * With `imagePullPolicy: Always` the kubelet asks the registry on every start, so a pod cannot
 * use an image cached on the node that its own pull secrets would not grant, and a moved tag is
 * picked up. Reads `imagePullPolicy` and `image` of every container: when the policy is unset
 * Kubernetes defaults it to Always for `:latest`/untagged images (without digest) and to
 * IfNotPresent otherwise; allowed effective value: Always.
 */
import { asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { containerImages } from './container-images.ts';

export default defineCheck({
  id: 'K8S-IMAGE-PULL-POLICY-NOT-ALWAYS',
  title: 'Image pull policy is not Always',
  severity: 'low',
  category: 'images',
  description: 'A pull policy other than Always lets a pod start from an image cached on the node without the registry checking its credentials, and keeps running a stale image after a tag moved.',
  remediation: 'Set `imagePullPolicy: Always` on the container.',
  fields: ['spec.containers[*].imagePullPolicy', 'spec.initContainers[*].imagePullPolicy', 'spec.ephemeralContainers[*].imagePullPolicy'],
  frameworks: { 'nist-800-190': ['4.2.2'] },
  aliases: ['pullPolicyNotAlways', 'CKV_K8S_15', 'C-0075', 'image-pull-policy', 'container-image-pull-policy'],
  concepts: [52],
  kinds: 'workload',
  run(ctx) {
    for (const { container, image, ref } of containerImages(ctx)) {
      const policy = asString(container.container['imagePullPolicy']);
      const policyPath = [...container.path, 'imagePullPolicy'];
      if (policy !== undefined && policy !== '') {
        if (policy !== 'Always') ctx.report(policyPath, `container "${container.name}" has imagePullPolicy ${policy}`);
        continue;
      }
      const defaultsToAlways = ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest');
      if (!defaultsToAlways) ctx.report(policyPath, `container "${container.name}" has no imagePullPolicy (defaults to IfNotPresent for image "${image}")`);
    }
  },
});
