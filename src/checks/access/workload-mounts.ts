/**
 * Inventory of the Secrets, ConfigMaps and PersistentVolumeClaims a workload mounts: what an
 * attacker inside it can read. Reads `spec.volumes[*].secret.secretName`,
 * `spec.volumes[*].configMap.name`, `spec.volumes[*].persistentVolumeClaim.claimName` and the
 * secret/configMap sources of projected volumes. Info only, off by default.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

interface Mounted {
  kind: 'Secret' | 'ConfigMap' | 'PersistentVolumeClaim';
  name: string;
  path: Path;
}

function mountedBy(volume: Record<string, unknown>, path: Path): Mounted[] {
  const out: Mounted[] = [];
  const add = (kind: Mounted['kind'], source: string, field: string, base: Path): void => {
    const name = asString(asObject(volume[source])?.[field]);
    if (name) out.push({ kind, name, path: [...base, source, field] });
  };
  add('Secret', 'secret', 'secretName', path);
  add('ConfigMap', 'configMap', 'name', path);
  add('PersistentVolumeClaim', 'persistentVolumeClaim', 'claimName', path);
  asArray(asObject(volume['projected'])?.['sources']).forEach((raw, i) => {
    const source = asObject(raw);
    if (source === undefined) return;
    const base = [...path, 'projected', 'sources', i];
    for (const [key, kind] of [['secret', 'Secret'], ['configMap', 'ConfigMap']] as const) {
      const name = asString(asObject(source[key])?.['name']);
      if (name) out.push({ kind, name, path: [...base, key, 'name'] });
    }
  });
  return out;
}

export default defineCheck({
  id: 'K8S-WORKLOAD-MOUNTS',
  title: 'Workload mounts a Secret, ConfigMap or volume claim',
  severity: 'info',
  category: 'access',
  description: 'Lists the Secrets, ConfigMaps and PersistentVolumeClaims each workload can read, for reviewing what a compromise of it exposes.',
  remediation: 'Mount only what the workload needs; prefer narrowly scoped Secrets.',
  fields: ['spec.volumes[*].secret.secretName', 'spec.volumes[*].configMap.name', 'spec.volumes[*].persistentVolumeClaim.claimName', 'spec.volumes[*].projected.sources[*]'],
  frameworks: {},
  aliases: ['C-0255', 'C-0258', 'C-0257'],
  concepts: [99],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    asArray(w.podSpec['volumes']).forEach((raw, i) => {
      const volume = asObject(raw);
      if (volume === undefined) return;
      for (const m of mountedBy(volume, [...w.specPath, 'volumes', i])) ctx.report(m.path, `volume "${asString(volume['name']) ?? i}" mounts ${m.kind} "${m.name}"`);
    });
  },
});
