/**
 * CIS 1.2.10 and 1.2.14: NodeRestriction limits each kubelet to its own Node and pods (without
 * it a compromised node can modify any node and label itself into sensitive workloads);
 * AlwaysAdmit disables admission control. Reads kube-apiserver `--enable-admission-plugins`
 * (must include NodeRestriction, must not include AlwaysAdmit) and `--disable-admission-plugins`
 * (must not include NodeRestriction).
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { flagList, forComponent, reportFlag } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-APISERVER-ADMISSION-PLUGINS',
  title: 'kube-apiserver admission plugins weaken node isolation',
  severity: 'medium',
  alsoReports: ['high'],
  category: 'control-plane',
  description: 'NodeRestriction is not enabled (kubelets can modify other nodes and their pods) or AlwaysAdmit is enabled (admission control is bypassed).',
  remediation: 'Add NodeRestriction to `--enable-admission-plugins`, and remove AlwaysAdmit.',
  fields: ['spec.containers[*].command (kube-apiserver --enable-admission-plugins, --disable-admission-plugins)'],
  frameworks: { cis: ['1.2.10', '1.2.14'] },
  aliases: ['CKV_K8S_79', 'CKV_K8S_85', 'C-0122', 'C-0127', 'KCV-0011', 'KCV-0016'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => {
      const enabled = flagList(cc.flags.get('enable-admission-plugins'));
      const disabled = flagList(cc.flags.get('disable-admission-plugins'));
      if (disabled.includes('NodeRestriction')) reportFlag(ctx, cc, 'disable-admission-plugins', '--disable-admission-plugins disables NodeRestriction');
      else if (!enabled.includes('NodeRestriction')) reportFlag(ctx, cc, 'enable-admission-plugins', '--enable-admission-plugins does not include NodeRestriction');
      if (enabled.includes('AlwaysAdmit')) reportFlag(ctx, cc, 'enable-admission-plugins', '--enable-admission-plugins includes AlwaysAdmit', 'high', 'AlwaysAdmit');
    });
  },
});
