/**
 * CIS 1.2.6–1.2.8: kube-apiserver must authorize requests. `--authorization-mode` defaults to
 * AlwaysAllow (every authenticated request may do anything) unless `--authorization-config`
 * is given; it should include Node (kubelets limited to their own node) and RBAC. Reads the two
 * flags of kube-apiserver containers.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { flagList, forComponent, reportFlag } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-APISERVER-AUTHORIZATION-MODE',
  title: 'kube-apiserver authorization disabled or incomplete',
  severity: 'critical',
  alsoReports: ['medium'],
  category: 'control-plane',
  description: 'With AlwaysAllow every authenticated request is authorized: any credential is cluster-admin. Without Node or RBAC, kubelets and users are not limited by the standard authorizers.',
  remediation: 'Set `--authorization-mode=Node,RBAC` (or an `--authorization-config` file with Node and RBAC authorizers) and remove AlwaysAllow.',
  fields: ['spec.containers[*].command (kube-apiserver --authorization-mode, --authorization-config)'],
  frameworks: { cis: ['1.2.6', '1.2.7', '1.2.8'], nsa: ['7.1'] },
  aliases: ['CKV_K8S_74', 'CKV_K8S_75', 'CKV_K8S_77', 'C-0118', 'C-0119', 'C-0120', 'KCV-0007', 'KCV-0008', 'KCV-0009'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => {
      if (cc.flags.has('authorization-config')) return;
      const modes = flagList(cc.flags.get('authorization-mode'));
      if (modes.length === 0) return reportFlag(ctx, cc, 'authorization-mode', '--authorization-mode is not set (defaults to AlwaysAllow)');
      if (modes.includes('AlwaysAllow')) return reportFlag(ctx, cc, 'authorization-mode', `--authorization-mode=${modes.join(',')} includes AlwaysAllow`);
      const missing = ['Node', 'RBAC'].filter((m) => !modes.includes(m));
      if (missing.length > 0) reportFlag(ctx, cc, 'authorization-mode', `--authorization-mode=${modes.join(',')} lacks ${missing.join(' and ')}`, 'medium');
    });
  },
});
