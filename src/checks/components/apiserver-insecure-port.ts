/**
 * The kube-apiserver insecure port (`--insecure-port`, removed in Kubernetes 1.24) serves the
 * whole API over plain HTTP with no authentication or authorization: whoever reaches it is
 * cluster-admin. Reads `--insecure-port` (allowed: unset or 0) and `--insecure-bind-address`
 * (allowed: unset) of kube-apiserver containers.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-APISERVER-INSECURE-PORT',
  title: 'kube-apiserver insecure port enabled',
  severity: 'critical',
  alsoReports: ['high'],
  category: 'control-plane',
  description: 'The API server listens on an unauthenticated, unencrypted port that bypasses authentication and authorization.',
  remediation: 'Set `--insecure-port=0` and remove `--insecure-bind-address` (or upgrade to Kubernetes 1.24+, where the insecure port no longer exists).',
  fields: ['spec.containers[*].command (kube-apiserver --insecure-port, --insecure-bind-address)'],
  frameworks: { nsa: ['API server insecure port is enabled'] },
  aliases: ['CKV_K8S_86', 'CKV_K8S_88', 'C-0005'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => {
      const port = cc.flags.get('insecure-port');
      if (port !== undefined && port.value !== '0') reportFlag(ctx, cc, 'insecure-port', `--insecure-port=${port.value} serves the API without authentication`);
      const bind = cc.flags.get('insecure-bind-address');
      if (bind !== undefined) reportFlag(ctx, cc, 'insecure-bind-address', `--insecure-bind-address=${bind.value} is set`, 'high');
    });
  },
});
