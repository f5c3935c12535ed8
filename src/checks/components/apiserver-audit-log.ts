/**
 * CIS 1.2.16–1.2.19: without an audit log nobody can tell who did what in the cluster. Reads
 * kube-apiserver `--audit-log-path` (allowed: set; `-` means stdout) and, when logging to a
 * file, `--audit-log-maxage` (>= 30), `--audit-log-maxbackup` (>= 10), `--audit-log-maxsize`
 * (>= 100). A `--audit-webhook-config-file` also counts as an audit backend.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag, type ComponentContainer } from './control-plane.ts';
import type { CheckContext } from '../types.ts';

const RETENTION: ReadonlyArray<[string, number]> = [['audit-log-maxage', 30], ['audit-log-maxbackup', 10], ['audit-log-maxsize', 100]];

export default defineCheck({
  id: 'K8S-APISERVER-AUDIT-LOG',
  title: 'kube-apiserver audit logging missing or short-lived',
  severity: 'medium',
  alsoReports: ['low'],
  category: 'control-plane',
  description: 'The API server writes no audit log (or keeps it too briefly), so actions in the cluster cannot be investigated.',
  remediation: 'Set `--audit-policy-file`, `--audit-log-path`, `--audit-log-maxage=30`, `--audit-log-maxbackup=10` and `--audit-log-maxsize=100` (or ship events with `--audit-webhook-config-file`).',
  fields: ['spec.containers[*].command (kube-apiserver --audit-log-path, --audit-log-maxage, --audit-log-maxbackup, --audit-log-maxsize)'],
  frameworks: { cis: ['1.2.16', '1.2.17', '1.2.18', '1.2.19'], nsa: ['8.1', '8.2'] },
  aliases: ['CKV_K8S_91', 'CKV_K8S_92', 'CKV_K8S_93', 'CKV_K8S_94', 'C-0130', 'C-0131', 'C-0132', 'C-0133', 'KCV-0019', 'KCV-0020', 'KCV-0021', 'KCV-0022'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => {
      const path = cc.flags.get('audit-log-path')?.value;
      if (path === undefined || path === '' || path === 'true') {
        if (!cc.flags.has('audit-webhook-config-file')) reportFlag(ctx, cc, 'audit-log-path', '--audit-log-path is not set: no audit log');
        return;
      }
      if (path !== '-') checkRetention(ctx, cc);
    });
  },
});

function checkRetention(ctx: CheckContext, cc: ComponentContainer): void {
  for (const [name, minimum] of RETENTION) {
    const value = Number(cc.flags.get(name)?.value ?? 0);
    if (!(value >= minimum)) reportFlag(ctx, cc, name, `--${name} is ${cc.flags.get(name)?.value ?? 'not set'} (want >= ${minimum})`, 'low');
  }
}
