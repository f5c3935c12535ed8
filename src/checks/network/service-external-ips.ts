/**
 * CVE-2020-8554: whoever can set `spec.externalIPs` on a Service can intercept traffic the
 * cluster sends to those IPs. Reads `spec.externalIPs`; allowed: unset or empty.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-SERVICE-EXTERNAL-IPS',
  title: 'Service with externalIPs',
  severity: 'high',
  category: 'network',
  description: 'Service externalIPs let a Service claim arbitrary IP addresses and capture cluster traffic meant for them (CVE-2020-8554, man-in-the-middle).',
  remediation: 'Remove `spec.externalIPs`; use a LoadBalancer or an Ingress, and block externalIPs cluster-wide with the DenyServiceExternalIPs admission plugin.',
  fields: ['spec.externalIPs'],
  frameworks: {},
  aliases: ['KSV-0108'],
  concepts: [131],
  kinds: ['Service'],
  enabledByDefault: false,
  references: ['https://github.com/kubernetes/kubernetes/issues/97076'],
  run(ctx) {
    const ips = asArray(asObject(ctx.resource.object['spec'])?.['externalIPs']);
    if (ips.length === 0) return;
    ctx.report(['spec', 'externalIPs'], `Service "${ctx.resource.name}" sets externalIPs ${ips.map(String).join(', ')}`);
  },
});
