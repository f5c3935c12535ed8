/**
 * hostPorts (baseline, v1.0): a hostPort binds the container to a port on the node's network
 * interfaces, bypassing network policy and exposing the workload outside the cluster network.
 *
 * Fields: containers[*].ports[*].hostPort.
 * Allowed: unset or 0. No version changes.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { pluralize, quoteAll } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  let bad: PodContainer[] | undefined;
  const ports: unknown[] = [];
  const paths: Path[] = [];
  for (const c of pod.containers) {
    const list = c.container.ports;
    if (!Array.isArray(list)) continue;
    let counted = false;
    for (let i = 0; i < list.length; i++) {
      const port = list[i] as Record<string, unknown> | null;
      const hostPort = port !== null && typeof port === 'object' ? port.hostPort : undefined;
      if (hostPort === undefined || hostPort === null || hostPort === 0) continue;
      if (!counted) (bad ??= []).push(c);
      counted = true;
      if (!ports.includes(hostPort)) ports.push(hostPort);
      paths.push([...c.path, 'ports', i, 'hostPort']);
    }
  }
  if (bad === undefined) return undefined;
  const who = `${pluralize('container', 'containers', bad.length)} ${quoteAll(bad.map((c) => c.name))}`;
  const verb = bad.length === 1 ? 'uses' : 'use';
  return { detail: `${who} ${verb} ${pluralize('hostPort', 'hostPorts', ports.length)} ${ports.map(String).join(', ')}`, paths };
}

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  reason: 'hostPort',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Container uses a hostPort',
    severity: 'high',
    description: 'A hostPort exposes the container on the node network, outside the reach of NetworkPolicy, and limits scheduling.',
    remediation: 'Remove ports[*].hostPort (or set it to 0) and expose the workload through a Service.',
    fields: ['spec.containers[*].ports[*].hostPort', 'spec.initContainers[*].ports[*].hostPort', 'spec.ephemeralContainers[*].ports[*].hostPort'],
    frameworks: { pss: ['baseline'], cis: ['5.2.13'] },
    aliases: ['KSV-0024'],
  },
};
