/**
 * An Ingress without `spec.tls` serves its hosts over plain HTTP: credentials and session data
 * cross the network in clear text. Reads `spec.tls`; passes when it has at least one entry.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-INGRESS-NO-TLS',
  title: 'Ingress without TLS',
  severity: 'medium',
  category: 'network',
  description: 'The Ingress defines no TLS section, so the controller serves its hosts over unencrypted HTTP.',
  remediation: 'Add `spec.tls` with the hosts and a certificate Secret (for example issued by cert-manager).',
  fields: ['spec.tls'],
  frameworks: {},
  aliases: ['tlsSettingsMissing', 'C-0263'],
  concepts: [134],
  kinds: ['Ingress'],
  run(ctx) {
    if (asArray(asObject(ctx.resource.object['spec'])?.['tls']).length > 0) return;
    ctx.report(['spec', 'tls'], `Ingress "${ctx.resource.name}" has no TLS configuration`);
  },
});
