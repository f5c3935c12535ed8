/**
 * CIS 1.2.4, 1.2.5, 1.2.23–1.2.26: the API server must serve TLS, verify client certificates,
 * and use certificates on its own connections to kubelets and etcd; without
 * `--kubelet-certificate-authority` it cannot tell a real kubelet from an impostor. Reads
 * kube-apiserver `--tls-cert-file`, `--tls-private-key-file`, `--client-ca-file`,
 * `--kubelet-client-certificate`, `--kubelet-client-key`, `--kubelet-certificate-authority`,
 * `--etcd-certfile`, `--etcd-keyfile`, `--etcd-cafile`; allowed: set to a file.
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { forComponent, requireFlags } from './control-plane.ts';

const REQUIRED = ['tls-cert-file', 'tls-private-key-file', 'client-ca-file', 'kubelet-client-certificate', 'kubelet-client-key', 'kubelet-certificate-authority', 'etcd-certfile', 'etcd-keyfile', 'etcd-cafile'];

export default defineCheck({
  id: 'K8S-APISERVER-TLS',
  title: 'kube-apiserver TLS settings missing',
  severity: 'medium',
  category: 'control-plane',
  description: 'A certificate, key or CA flag of the API server is missing, so one of its connections (clients, kubelets, etcd) is not authenticated with TLS.',
  remediation: 'Set each listed flag to the matching certificate, key or CA file (kubeadm sets them all).',
  fields: REQUIRED.map((f) => `spec.containers[*].command (kube-apiserver --${f})`),
  frameworks: { cis: ['1.2.4', '1.2.5', '1.2.23', '1.2.24', '1.2.25', '1.2.26'] },
  aliases: ['CKV_K8S_72', 'CKV_K8S_73', 'CKV_K8S_99', 'CKV_K8S_100', 'CKV_K8S_102', 'C-0116', 'C-0117', 'C-0137', 'C-0138', 'C-0139', 'C-0140', 'KCV-0005', 'KCV-0006', 'KCV-0026', 'KCV-0027', 'KCV-0028', 'KCV-0029'],
  concepts: [148],
  kinds: WORKLOAD_KINDS,
  run(ctx) {
    forComponent(ctx, 'kube-apiserver', (cc) => requireFlags(ctx, cc, REQUIRED));
  },
});
