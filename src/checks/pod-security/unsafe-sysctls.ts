/**
 * Sysctls outside the namespaced "safe" set can change kernel behaviour for every pod on the
 * node. Reads `spec.securityContext.sysctls[*].name`; allowed (PSS baseline v1.37, exact
 * match): the safe list below, plus names in the `allowedSysctls` setting.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', // v1.27
  'net.ipv4.tcp_keepalive_time', // v1.29
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', // v1.32
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle', // v1.37
  'net.ipv4.tcp_notsent_lowat',
]);

export default defineCheck({
  id: 'K8S-UNSAFE-SYSCTLS',
  title: 'Unsafe sysctl',
  severity: 'medium',
  category: 'pod-security',
  description: 'Sysctls outside the safe, pod-namespaced set may not be isolated between pods and can destabilise or weaken the node for every workload on it.',
  remediation: 'Remove the sysctl from `spec.securityContext.sysctls`, or set it on dedicated nodes through the kubelet `--allowed-unsafe-sysctls` flag and waive the finding with a reason.',
  fields: ['spec.securityContext.sysctls[*].name'],
  frameworks: { cis: ['5.7.3'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0026', 'C-0211', 'unsafe-sysctls'],
  concepts: [24],
  kinds: 'workload',
  settings: { allowedSysctls: [] },
  run(ctx) {
    const w = ctx.workload!;
    const extra = ctx.setting<unknown>('allowedSysctls');
    const allowed = new Set(Array.isArray(extra) ? extra.map(String) : []);
    asArray(w.podSecurityContext['sysctls']).forEach((entry, i) => {
      const name = asString(asObject(entry)?.['name']);
      if (name === undefined || SAFE_SYSCTLS.has(name) || allowed.has(name)) return;
      ctx.report([...w.specPath, 'securityContext', 'sysctls', i, 'name'], `pod sets unsafe sysctl ${name}`);
    });
  },
});
