/**
 * hostNamespaces (baseline, v1.0): sharing the host's network, PID or IPC namespace lets a pod
 * see and reach host processes, sockets and shared memory, bypassing container isolation.
 *
 * Fields: spec.hostNetwork, spec.hostPID, spec.hostIPC.
 * Allowed: unset or false. No version changes.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodView, PssCheck } from '../check.ts';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function evaluate(pod: PodView): CheckFailure | undefined {
  let set: string[] | undefined;
  for (const field of FIELDS) if (pod.spec[field] === true) (set ??= []).push(field);
  if (set === undefined) return undefined;
  return { detail: set.map((f) => `${f}=true`).join(', '), paths: set.map((f): Path => ['spec', f]) };
}

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  reason: 'host namespaces',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Pod shares host namespaces',
    severity: 'high',
    description: 'Sharing the host network, PID or IPC namespace removes the isolation between the pod and the node: the pod can see host processes, sniff host traffic and reach host-only services.',
    remediation: 'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC, or set them to false.',
    fields: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'],
    frameworks: { pss: ['baseline'], cis: ['5.2.3', '5.2.4', '5.2.5'] },
    aliases: ['KSV-0008', 'KSV-0009', 'KSV-0010'],
  },
};
