/**
 * CIS 1.2.15, 1.3.2, 1.4.1: `--profiling` defaults to true on kube-apiserver,
 * kube-controller-manager and kube-scheduler, exposing pprof endpoints that reveal internals
 * and can be used to exhaust the component. Reads the flag; allowed: false.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag, type Component } from './control-plane.ts';

const COMPONENTS: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

export default defineCheck({
  id: 'K8S-CONTROL-PLANE-PROFILING',
  title: 'Control-plane profiling enabled',
  severity: 'low',
  category: 'control-plane',
  description: 'The component serves profiling (pprof) endpoints, which disclose program internals and cost CPU; they are not needed in production.',
  remediation: 'Set `--profiling=false` on kube-apiserver, kube-controller-manager and kube-scheduler.',
  fields: ['spec.containers[*].command (--profiling)'],
  frameworks: { cis: ['1.2.15', '1.3.2', '1.4.1'] },
  aliases: ['CKV_K8S_90', 'CKV_K8S_107', 'CKV_K8S_114', 'C-0129', 'C-0145', 'C-0151', 'KCV-0018', 'KCV-0034', 'KCV-0040'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    for (const component of COMPONENTS) {
      forComponent(ctx, component, (cc) => {
        const flag = cc.flags.get('profiling');
        if (flag?.value === 'false') return;
        reportFlag(ctx, cc, 'profiling', flag === undefined ? `${component} --profiling is not set (defaults to true)` : `${component} --profiling=${flag.value}`);
      });
    }
  },
});
