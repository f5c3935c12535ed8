/**
 * CIS 2.1–2.6: etcd holds every Secret of the cluster. Without `--client-cert-auth=true`
 * anyone who reaches its client port can read and write the whole cluster state. Reads etcd
 * `--cert-file`/`--key-file` (set), `--client-cert-auth` (true), `--auto-tls` (not true),
 * `--peer-client-cert-auth` (true) and `--peer-auto-tls` (not true).
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag, requireFlags } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-ETCD-TLS',
  title: 'etcd client or peer authentication weak',
  severity: 'high',
  alsoReports: ['medium'],
  category: 'control-plane',
  description: 'etcd does not require client certificates, or uses self-signed automatic TLS, so whoever reaches it can read every Secret and rewrite cluster state.',
  remediation: 'Set `--cert-file`, `--key-file`, `--client-cert-auth=true`, `--peer-client-cert-auth=true`, and remove `--auto-tls=true` and `--peer-auto-tls=true`.',
  fields: ['spec.containers[*].command (etcd --cert-file, --key-file, --client-cert-auth, --auto-tls, --peer-client-cert-auth, --peer-auto-tls)'],
  frameworks: { cis: ['2.1', '2.2', '2.3', '2.5', '2.6'] },
  aliases: ['CKV_K8S_116', 'CKV_K8S_117', 'CKV_K8S_118', 'CKV_K8S_121', 'C-0153', 'C-0154', 'C-0155', 'C-0157', 'C-0158', 'KCV-0042', 'KCV-0043', 'KCV-0044', 'KCV-0046', 'KCV-0047'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'etcd', (cc) => {
      requireFlags(ctx, cc, ['cert-file', 'key-file'], 'medium');
      if (cc.flags.get('client-cert-auth')?.value !== 'true') reportFlag(ctx, cc, 'client-cert-auth', 'etcd does not require client certificates (--client-cert-auth is not true)');
      if (cc.flags.get('peer-client-cert-auth')?.value !== 'true') reportFlag(ctx, cc, 'peer-client-cert-auth', 'etcd does not require peer certificates (--peer-client-cert-auth is not true)', 'medium');
      for (const name of ['auto-tls', 'peer-auto-tls']) {
        if (cc.flags.get(name)?.value === 'true') reportFlag(ctx, cc, name, `--${name}=true uses self-signed certificates`, 'medium');
      }
    });
  },
});
