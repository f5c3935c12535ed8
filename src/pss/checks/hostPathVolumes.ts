/**
 * hostPathVolumes (baseline, v1.0): a hostPath volume mounts a node directory into the pod,
 * which can expose credentials, the container runtime socket or the whole root filesystem.
 *
 * Fields: spec.volumes[*].hostPath.
 * Allowed: no hostPath volumes. No version changes; at restricted, restrictedVolumes replaces it.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodView, PssCheck } from '../check.ts';
import { pluralize, quoteAll } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  const volumes = pod.spec.volumes;
  if (!Array.isArray(volumes)) return undefined;
  let names: string[] | undefined;
  const paths: Path[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i] as Record<string, unknown> | null;
    if (v === null || typeof v !== 'object' || v.hostPath === undefined || v.hostPath === null) continue;
    (names ??= []).push(typeof v.name === 'string' ? v.name : '');
    paths.push(['spec', 'volumes', i, 'hostPath']);
  }
  if (names === undefined) return undefined;
  return { detail: `${pluralize('hostPath volume', 'hostPath volumes', names.length)} ${quoteAll(names)}`, paths };
}

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  reason: 'hostPath volumes',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Pod mounts a hostPath volume',
    severity: 'high',
    description: 'hostPath volumes give the pod direct access to the node filesystem, including kubelet credentials and the container runtime socket.',
    remediation: 'Replace the hostPath volume with an emptyDir, configMap, secret, persistentVolumeClaim or CSI volume.',
    fields: ['spec.volumes[*].hostPath'],
    frameworks: { pss: ['baseline'], cis: ['5.2.12'] },
    aliases: ['KSV-0023'],
  },
};
