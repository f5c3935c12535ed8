/**
 * CIS 1.2.1: kube-apiserver `--anonymous-auth` defaults to true, so requests without
 * credentials are served as `system:anonymous`; any RBAC mistake granting that user (or
 * `system:unauthenticated`) becomes reachable by anyone on the network. Reads the flag of
 * kube-apiserver containers; allowed: false.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-APISERVER-ANONYMOUS-AUTH',
  title: 'kube-apiserver allows anonymous requests',
  severity: 'high',
  alsoReports: ['medium'],
  category: 'control-plane',
  description: 'The API server serves unauthenticated requests as system:anonymous (explicitly, or because --anonymous-auth defaults to true).',
  remediation: 'Set `--anonymous-auth=false` on kube-apiserver (health checks can use authenticated probes or the /livez endpoints via a dedicated identity).',
  fields: ['spec.containers[*].command (kube-apiserver --anonymous-auth)'],
  frameworks: { cis: ['1.2.1'], nsa: ['7.0'] },
  aliases: ['CKV_K8S_68', 'C-0113', 'KCV-0001'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => {
      const flag = cc.flags.get('anonymous-auth');
      if (flag === undefined) reportFlag(ctx, cc, 'anonymous-auth', '--anonymous-auth is not set (defaults to true)', 'medium');
      else if (flag.value !== 'false') reportFlag(ctx, cc, 'anonymous-auth', `--anonymous-auth=${flag.value}`);
    });
  },
});
