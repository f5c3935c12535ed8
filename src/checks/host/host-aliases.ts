/**
 * hostAliases writes entries into the pod's /etc/hosts, overriding DNS for those names: a
 * way to redirect traffic that escapes review of DNS and network policy. Reads
 * `spec.hostAliases`; allowed: unset or empty.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-ALIASES',
  title: 'hostAliases used',
  severity: 'low',
  category: 'host',
  description: 'hostAliases make the kubelet manage /etc/hosts entries for the pod, silently overriding cluster DNS for those hostnames.',
  remediation: 'Remove `spec.hostAliases` and publish the names through DNS (a Service, an ExternalName Service or CoreDNS configuration).',
  fields: ['spec.hostAliases'],
  frameworks: {},
  aliases: ['KSV-0007', 'HostAliases'],
  concepts: [39],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    asArray(w.podSpec['hostAliases']).forEach((entry, i) => {
      const alias = asObject(entry);
      const names = asArray(alias?.['hostnames']).map(String).join(', ');
      ctx.report([...w.specPath, 'hostAliases', i], `pod maps ${names || '(no hostnames)'} to ${String(alias?.['ip'] ?? '(no ip)')} in /etc/hosts`);
    });
  },
});
