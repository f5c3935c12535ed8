/**
 * hostIPC puts the pod in the node's IPC namespace: shared memory segments and message queues
 * of host processes become readable and writable. Reads `spec.hostIPC`; allowed: unset or false.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-IPC',
  title: 'Host IPC namespace shared',
  severity: 'high',
  category: 'host',
  description: 'A pod in the host IPC namespace can read and tamper with System V shared memory and POSIX message queues of every process on the node.',
  remediation: 'Remove `spec.hostIPC: true`.',
  fields: ['spec.hostIPC'],
  frameworks: { cis: ['5.2.4'], nsa: ['1.3'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0008', 'CKV_K8S_18', 'C-0038', 'C-0276', 'hostIPCSet', 'HostIPC', 'host-ipc'],
  concepts: [31],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (w.podSpec['hostIPC'] === true) ctx.report([...w.specPath, 'hostIPC'], 'pod shares the host IPC namespace (hostIPC: true)');
  },
});
