/**
 * Each StatefulSet volumeClaimTemplate becomes a PersistentVolumeClaim per replica; without a
 * storage request or access modes the claim is rejected or bound to an arbitrary volume. Reads
 * `spec.volumeClaimTemplates[*].spec.resources.requests.storage` and `…spec.accessModes`
 * (a non-empty list).
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-VOLUME-CLAIM-TEMPLATE-INCOMPLETE',
  title: 'StatefulSet volume claim template lacks storage request or access mode',
  severity: 'low',
  category: 'resources',
  description: 'A volume claim template without a storage request or access modes yields claims that cannot bind or bind to volumes of unplanned size and sharing.',
  remediation: 'Set `spec.resources.requests.storage` and `spec.accessModes` (usually `[ReadWriteOnce]`) in every volumeClaimTemplate.',
  fields: ['spec.volumeClaimTemplates[*].spec.resources.requests.storage', 'spec.volumeClaimTemplates[*].spec.accessModes'],
  frameworks: {},
  aliases: ['VolumeClaimRequestsStorage', 'VolumeClaimAccessModeReadWriteOnce'],
  concepts: [49],
  kinds: ['StatefulSet'],
  enabledByDefault: false,
  run(ctx) {
    const templates = asArray(asObject(ctx.resource.object['spec'])?.['volumeClaimTemplates']);
    templates.forEach((t, i) => {
      const name = String(asObject(asObject(t)?.['metadata'])?.['name'] ?? `#${i}`);
      const spec = asObject(asObject(t)?.['spec']);
      const base = ['spec', 'volumeClaimTemplates', i, 'spec'];
      const storage = asObject(asObject(spec?.['resources'])?.['requests'])?.['storage'];
      if (storage === undefined || storage === null || storage === '') {
        ctx.report([...base, 'resources', 'requests', 'storage'], `volumeClaimTemplate "${name}" requests no storage`);
      }
      if (asArray(spec?.['accessModes']).length === 0) ctx.report([...base, 'accessModes'], `volumeClaimTemplate "${name}" sets no accessModes`);
    });
  },
});
