/**
 * With the default `ndots:5`, every lookup of an external name first tries each cluster search
 * domain, multiplying DNS queries. Reads `dnsConfig.options[*].name` of the pod spec; allowed:
 * every option named in the `requiredDnsOptions` setting (default `["ndots"]`) is present.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-DNSCONFIG-OPTIONS-MISSING',
  title: 'dnsConfig options (ndots) not set',
  severity: 'info',
  category: 'reliability',
  description: 'Without a tuned ndots option, external name lookups go through every search domain first, adding latency and load on cluster DNS.',
  remediation: 'Add `dnsConfig.options: [{name: ndots, value: "2"}]` (or the option the setting requires) to the pod spec.',
  fields: ['spec.dnsConfig.options'],
  frameworks: {},
  aliases: ['dnsconfig-options'],
  concepts: [80],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { requiredDnsOptions: ['ndots'] },
  run(ctx) {
    const w = ctx.workload!;
    const present = new Set(asArray(asObject(w.podSpec['dnsConfig'])?.['options']).map((o) => asObject(o)?.['name']));
    for (const name of asArray(ctx.setting<unknown>('requiredDnsOptions')).map(String)) {
      if (!present.has(name)) ctx.report([...w.specPath, 'dnsConfig', 'options'], `${ctx.resource.kind} "${ctx.resource.name}" sets no dnsConfig option "${name}"`, { key: name });
    }
  },
});
