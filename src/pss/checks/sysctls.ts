/**
 * sysctls (baseline): sysctls outside the namespaced "safe" set can change kernel behaviour
 * for every pod on the node.
 *
 * Fields: spec.securityContext.sysctls[*].name.
 * Allowed (exact names), growing by version:
 *   v1.0  kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies,
 *         net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start
 *   v1.27 + net.ipv4.ip_local_reserved_ports
 *   v1.29 + net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl,
 *           net.ipv4.tcp_keepalive_probes
 *   v1.32 + net.ipv4.tcp_rmem, net.ipv4.tcp_wmem
 *   v1.37 + net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodView, PssCheck } from '../check.ts';

const SAFE_V1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SAFE_V1_27 = [...SAFE_V1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_V1_29 = [...SAFE_V1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SAFE_V1_32 = [...SAFE_V1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_V1_37 = [...SAFE_V1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function evaluateWith(safeNames: readonly string[]): (pod: PodView) => CheckFailure | undefined {
  const safe = new Set(safeNames);
  return (pod) => {
    const list = pod.podSecurityContext?.sysctls;
    if (!Array.isArray(list)) return undefined;
    let names: string[] | undefined;
    const paths: Path[] = [];
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as Record<string, unknown> | null;
      const name = entry !== null && typeof entry === 'object' ? entry.name : undefined;
      if (typeof name === 'string' && safe.has(name)) continue;
      (names ??= []).push(String(name ?? ''));
      paths.push(['spec', 'securityContext', 'sysctls', i, 'name']);
    }
    if (names === undefined) return undefined;
    return { detail: names.join(', '), paths };
  };
}

export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  reason: 'forbidden sysctls',
  variants: [
    { minVersion: 0, evaluate: evaluateWith(SAFE_V1_0) },
    { minVersion: 27, evaluate: evaluateWith(SAFE_V1_27) },
    { minVersion: 29, evaluate: evaluateWith(SAFE_V1_29) },
    { minVersion: 32, evaluate: evaluateWith(SAFE_V1_32) },
    { minVersion: 37, evaluate: evaluateWith(SAFE_V1_37) },
  ],
  rule: {
    title: 'Unsafe sysctls',
    severity: 'high',
    description: 'Sysctls outside the safe, namespaced set can change kernel settings shared by every pod on the node, or be used to exhaust node resources.',
    remediation: 'Remove the sysctl from spec.securityContext.sysctls, or set it on the node instead; only the safe sysctls for the policy version are allowed.',
    fields: ['spec.securityContext.sysctls[*].name'],
    frameworks: { pss: ['baseline'] },
    aliases: ['KSV-0026'],
  },
};
