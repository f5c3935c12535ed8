/**
 * windowsHostProcess (baseline, v1.0): a Windows HostProcess container runs directly on the
 * host with the node's privileges, the Windows equivalent of a privileged container.
 *
 * Fields: spec.securityContext.windowsOptions.hostProcess,
 * containers[*].securityContext.windowsOptions.hostProcess.
 * Allowed: unset or false. No version changes.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { settersPhrase } from '../detail.ts';

function hostProcess(sc: Record<string, unknown> | undefined): boolean {
  const opts = sc?.windowsOptions as Record<string, unknown> | undefined | null;
  return opts !== null && typeof opts === 'object' && opts.hostProcess === true;
}

function evaluate(pod: PodView): CheckFailure | undefined {
  const podBad = hostProcess(pod.podSecurityContext);
  const bad: PodContainer[] = [];
  for (const c of pod.containers) if (hostProcess(c.securityContext)) bad.push(c);
  if (!podBad && bad.length === 0) return undefined;
  const paths: Path[] = podBad ? [['spec', 'securityContext', 'windowsOptions', 'hostProcess']] : [];
  for (const c of bad) paths.push([...c.path, 'securityContext', 'windowsOptions', 'hostProcess']);
  return { detail: `${settersPhrase(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true`, paths };
}

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  reason: 'hostProcess',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Windows HostProcess container',
    severity: 'high',
    description: 'HostProcess containers run directly on the Windows node with host privileges and network, bypassing container isolation.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess (pod and containers) or set it to false.',
    fields: ['spec.securityContext.windowsOptions.hostProcess', 'spec.containers[*].securityContext.windowsOptions.hostProcess', 'spec.initContainers[*].securityContext.windowsOptions.hostProcess', 'spec.ephemeralContainers[*].securityContext.windowsOptions.hostProcess'],
    frameworks: { pss: ['baseline'], cis: ['5.2.11'] },
    aliases: [],
  },
};
