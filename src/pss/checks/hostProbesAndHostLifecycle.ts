/**
 * hostProbesAndHostLifecycle (baseline, from v1.34; absent before): a probe or lifecycle
 * handler with a `host` makes the kubelet connect to an arbitrary address from the node's
 * network, which can be abused to reach node-local or otherwise unreachable services.
 *
 * Fields: containers[*].{livenessProbe,readinessProbe,startupProbe}.{httpGet,tcpSocket}.host,
 * containers[*].lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host.
 * Allowed: unset or "".
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { quote } from '../detail.ts';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

function child(value: unknown, key: string): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const next = (value as Record<string, unknown>)[key];
  return next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
}

function checkHandler(handler: Record<string, unknown> | undefined, c: PodContainer, at: readonly string[], parts: string[], paths: Path[]): void {
  if (handler === undefined) return;
  for (const kind of HANDLERS) {
    const host = child(handler, kind)?.host;
    if (host === undefined || host === null || host === '') continue;
    parts.push(`container ${quote(c.name)} must not set ${at.join('.')}.${kind}.host=${quote(host)}`);
    paths.push([...c.path, ...at, kind, 'host']);
  }
}

function evaluate(pod: PodView): CheckFailure | undefined {
  const parts: string[] = [];
  const paths: Path[] = [];
  for (const c of pod.containers) {
    for (const probe of PROBES) checkHandler(child(c.container, probe), c, [probe], parts, paths);
    const lifecycle = child(c.container, 'lifecycle');
    if (lifecycle !== undefined) for (const hook of HOOKS) checkHandler(child(lifecycle, hook), c, ['lifecycle', hook], parts, paths);
  }
  if (parts.length === 0) return undefined;
  return { detail: parts.join(', '), paths };
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  reason: 'probe or lifecycle host',
  variants: [{ minVersion: 34, evaluate }],
  rule: {
    title: 'Probe or lifecycle handler targets another host',
    severity: 'high',
    description: 'A host in an httpGet or tcpSocket probe or lifecycle handler makes the kubelet connect from the node to an arbitrary address, which can reach node-local or otherwise protected services.',
    remediation: 'Remove the host field from probes and lifecycle handlers so the kubelet targets the pod IP.',
    fields: ['spec.containers[*].{livenessProbe,readinessProbe,startupProbe}.{httpGet,tcpSocket}.host', 'spec.containers[*].lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host', 'spec.initContainers[*] (same fields)', 'spec.ephemeralContainers[*] (same fields)'],
    frameworks: { pss: ['baseline'] },
    aliases: [],
  },
};
