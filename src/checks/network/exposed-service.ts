/**
 * NodePort and LoadBalancer Services open the workload to traffic from outside the cluster
 * (every node's IP, or a cloud load balancer). Reads `spec.type`; reported types are the
 * setting `exposedTypes` (default NodePort and LoadBalancer). A LoadBalancer restricted by
 * `spec.loadBalancerSourceRanges` is not reported.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-SERVICE-EXPOSED',
  title: 'Service exposed outside the cluster',
  severity: 'medium',
  category: 'network',
  description: 'A NodePort or LoadBalancer Service makes the selected pods reachable from outside the cluster; an exposure that is not intended is an initial-access path.',
  remediation: 'Use `type: ClusterIP` behind an Ingress or Gateway, or restrict a LoadBalancer with `spec.loadBalancerSourceRanges`.',
  fields: ['spec.type', 'spec.loadBalancerSourceRanges'],
  frameworks: { mitre: ['Initial access'] },
  aliases: ['C-0256', 'C-0021', 'exposed-services', 'service-type'],
  concepts: [130],
  kinds: ['Service'],
  settings: { exposedTypes: ['NodePort', 'LoadBalancer'] },
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const type = asString(spec['type']);
    if (type === undefined || !(ctx.setting<string[] | undefined>('exposedTypes') ?? []).includes(type)) return;
    if (type === 'LoadBalancer' && asArray(spec['loadBalancerSourceRanges']).length > 0) return;
    ctx.report(['spec', 'type'], `Service "${ctx.resource.name}" has type ${type}`);
  },
});
