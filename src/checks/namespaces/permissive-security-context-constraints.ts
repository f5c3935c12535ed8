/**
 * OpenShift SecurityContextConstraints decide what pods of the users and service accounts
 * bound to them may do. Reads the top-level fields allowPrivilegedContainer, allowHostNetwork,
 * allowHostPID, allowHostIPC, allowHostPorts, allowHostDirVolumePlugin, allowPrivilegeEscalation
 * (allowed: false or unset), allowedCapabilities (no `*`), volumes (no `*`, no hostPath) and
 * runAsUser.type (allowed: anything but RunAsAny). Opt-in: only kube-linter runs it.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const HOST_FLAGS = ['allowPrivilegedContainer', 'allowHostNetwork', 'allowHostPID', 'allowHostIPC', 'allowHostPorts', 'allowHostDirVolumePlugin'];

export default defineCheck({
  id: 'K8S-SCC-PERMISSIVE',
  title: 'Permissive SecurityContextConstraints',
  severity: 'high',
  alsoReports: ['medium'],
  category: 'namespaces',
  description: 'The SecurityContextConstraints admit privileged containers, host namespaces, host directories, any capability or any user ID (root).',
  remediation: 'Bind workloads to `restricted-v2` (or a copy of it); keep the allowHost* and allowPrivilegedContainer fields false and runAsUser MustRunAsRange.',
  fields: [...HOST_FLAGS, 'allowPrivilegeEscalation', 'allowedCapabilities', 'volumes', 'runAsUser.type'],
  frameworks: {},
  aliases: ['scc-deny-privileged-container'],
  concepts: [142],
  kinds: ['SecurityContextConstraints'],
  enabledByDefault: false,
  run(ctx) {
    const scc = ctx.resource.object;
    const name = ctx.resource.name;
    for (const field of HOST_FLAGS) if (scc[field] === true) ctx.report([field], `SecurityContextConstraints "${name}" sets ${field}: true`);
    if (scc['allowPrivilegeEscalation'] === true) ctx.report(['allowPrivilegeEscalation'], `SecurityContextConstraints "${name}" allows privilege escalation`, { severity: 'medium' });
    asArray(scc['allowedCapabilities']).forEach((c, i) => {
      if (c === '*') ctx.report(['allowedCapabilities', i], `SecurityContextConstraints "${name}" allows every capability`);
    });
    asArray(scc['volumes']).forEach((v, i) => {
      if (v === '*' || v === 'hostPath') ctx.report(['volumes', i], `SecurityContextConstraints "${name}" allows ${v === '*' ? 'every volume type' : 'hostPath volumes'}`);
    });
    if (asObject(scc['runAsUser'])?.['type'] === 'RunAsAny') ctx.report(['runAsUser', 'type'], `SecurityContextConstraints "${name}" allows any user ID, including root`, { severity: 'medium' });
  },
});
