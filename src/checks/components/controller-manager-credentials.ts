/**
 * CIS 1.3.3–1.3.5: with `--use-service-account-credentials=true` each controller acts with its
 * own narrowly-scoped service account instead of the controller manager's broad identity;
 * `--service-account-private-key-file` signs tokens and `--root-ca-file` lets pods verify the
 * API server. Reads those flags of kube-controller-manager containers.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag, requireFlags } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-CONTROLLER-MANAGER-CREDENTIALS',
  title: 'kube-controller-manager credentials not separated',
  severity: 'medium',
  alsoReports: ['low'],
  category: 'control-plane',
  description: 'Controllers share the controller manager\'s own identity (or token signing / root CA files are missing), so one compromised controller has the rights of all of them.',
  remediation: 'Set `--use-service-account-credentials=true`, `--service-account-private-key-file` and `--root-ca-file` on kube-controller-manager.',
  fields: ['spec.containers[*].command (kube-controller-manager --use-service-account-credentials, --service-account-private-key-file, --root-ca-file)'],
  frameworks: { cis: ['1.3.3', '1.3.4', '1.3.5'] },
  aliases: ['CKV_K8S_108', 'CKV_K8S_110', 'CKV_K8S_111', 'C-0146', 'C-0147', 'C-0148', 'KCV-0035', 'KCV-0036', 'KCV-0037'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-controller-manager', (cc) => {
      if (cc.flags.get('use-service-account-credentials')?.value !== 'true') reportFlag(ctx, cc, 'use-service-account-credentials', '--use-service-account-credentials is not true');
      requireFlags(ctx, cc, ['service-account-private-key-file', 'root-ca-file'], 'low');
    });
  },
});
