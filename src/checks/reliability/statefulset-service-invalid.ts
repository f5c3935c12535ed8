/**
 * A StatefulSet's `spec.serviceName` names the headless Service that gives each pod its stable
 * DNS name (`pod-0.svc.ns.svc`). Flags a missing serviceName, a Service not in the manifest set
 * (same namespace), a Service that is not headless (`clusterIP: None`), and a Service whose
 * selector does not select the StatefulSet's pods.
 */
import { asObject, asString } from '../../manifests/path.ts';
import { stringMap } from '../../manifests/resource.ts';
import { matchesSelector } from '../../manifests/selector.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-STATEFULSET-SERVICE-INVALID',
  title: 'StatefulSet serviceName missing or not a matching headless Service',
  severity: 'low',
  category: 'reliability',
  description: 'Without an existing headless Service selecting its pods, a StatefulSet\'s pods get no stable network identity, which clustered software relies on.',
  remediation: 'Set `spec.serviceName` to a Service with `clusterIP: None` whose selector matches the pod labels.',
  fields: ['spec.serviceName', 'Service spec.clusterIP', 'Service spec.selector'],
  frameworks: {},
  aliases: ['statefulset-has-servicename'],
  concepts: [82],
  kinds: ['StatefulSet'],
  enabledByDefault: false,
  run(ctx) {
    const r = ctx.resource;
    const name = asString(asObject(r.object['spec'])?.['serviceName']);
    const path = ['spec', 'serviceName'];
    if (name === undefined || name === '') return ctx.report(path, `StatefulSet "${r.name}" has no serviceName`);
    const service = ctx.index.get('Service', r.namespace, name);
    if (service === undefined) return ctx.report(path, `Service "${name}" named by StatefulSet "${r.name}" is not in the manifests`);
    const spec = asObject(service.object['spec']) ?? {};
    if (spec['clusterIP'] !== 'None') return ctx.report(path, `Service "${name}" is not headless (clusterIP: None)`);
    const labels = stringMap(ctx.workload?.podMeta['labels']);
    if (!matchesSelector(spec['selector'], labels, true)) ctx.report(path, `Service "${name}" does not select the pods of StatefulSet "${r.name}"`);
  },
});
