/**
 * restrictedVolumes (restricted, v1.0; replaces hostPathVolumes): only volume types that
 * cannot reach node or network storage outside Kubernetes' control are allowed.
 *
 * Fields: spec.volumes[*] (the source key of each volume).
 * Allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim,
 * projected, secret. Everything else (hostPath, nfs, gitRepo, awsElasticBlockStore, …) and
 * unknown keys are forbidden. A volume with no source is defaulted to emptyDir by the API
 * server, so it is allowed. No version changes (no version gate on `image`).
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodView, PssCheck } from '../check.ts';
import { pluralize, quoteAll, unique } from '../detail.ts';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

function evaluate(pod: PodView): CheckFailure | undefined {
  const volumes = pod.spec.volumes;
  if (!Array.isArray(volumes)) return undefined;
  let names: string[] | undefined;
  const types: string[] = [];
  const paths: Path[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i] as Record<string, unknown> | null;
    if (v === null || typeof v !== 'object') continue;
    let counted = false;
    for (const key in v) {
      if (key === 'name' || ALLOWED.has(key) || v[key] === null || v[key] === undefined) continue;
      if (!counted) (names ??= []).push(typeof v.name === 'string' ? v.name : '');
      counted = true;
      types.push(key);
      paths.push(['spec', 'volumes', i, key]);
    }
  }
  if (names === undefined) return undefined;
  const kinds = unique(types);
  const who = `${pluralize('volume', 'volumes', names.length)} ${quoteAll(names)}`;
  return { detail: `${who} ${names.length === 1 ? 'uses' : 'use'} ${pluralize('restricted volume type', 'restricted volume types', kinds.length)} ${quoteAll(kinds)}`, paths };
}

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  reason: 'restricted volume types',
  overrides: { checkId: 'hostPathVolumes', fromVersion: 0 },
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Restricted volume type',
    severity: 'medium',
    description: 'Restricted pods may only use volume types managed through Kubernetes (configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret); host and direct network storage volumes bypass its access control.',
    remediation: 'Replace the volume with a persistentVolumeClaim (backed by a PersistentVolume for the storage) or one of the allowed volume types.',
    fields: ['spec.volumes[*]'],
    frameworks: { pss: ['restricted'], cis: ['5.2.12'] },
    aliases: ['KSV-0028'],
  },
};
