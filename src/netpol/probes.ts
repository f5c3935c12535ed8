/**
 * `bosun netpol probes`: Kubernetes Jobs that run the spec's cases in a real cluster, for teams
 * that want the empirical check next to the static one. Each Job runs in the source pod's
 * namespace with the source pod's labels (so the same policies select it), connects with
 * agnhost (the Kubernetes e2e image) to the destination and succeeds when the outcome is the
 * expected one. The probe only ever opens a connection: no privileges, no service account token.
 */
import { dump } from 'js-yaml';
import type { NetpolEvaluator } from './evaluate.ts';
import { resolveEndpoints, type SpecCase } from './spec.ts';

export const PROBE_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function dnsName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return n.slice(0, 52).replace(/-+$/g, '');
}

export interface ProbeOutput {
  /** Multi-document YAML of the Jobs. */
  yaml: string;
  jobs: number;
  /** Cases that could not become a Job (unknown pod, unknown destination IP, external source). */
  skipped: string[];
}

export function probeJobs(ev: NetpolEvaluator, cases: readonly SpecCase[]): ProbeOutput {
  const docs: unknown[] = [];
  const skipped: string[] = [];
  let n = 0;
  for (const c of cases) {
    const froms = resolveEndpoints(ev, c.from);
    const tos = resolveEndpoints(ev, c.to);
    if (froms.length === 0 || tos.length === 0) {
      skipped.push(`${c.origin}: ${froms.length === 0 ? c.from : c.to} matches no pod in the inputs`);
      continue;
    }
    for (const f of froms) {
      if (f.type !== 'pod') {
        skipped.push(`${c.origin}: source ${f.key} is not a pod; a probe must run inside the cluster`);
        continue;
      }
      for (const t of tos) {
        const ip = t.ips[0];
        const target = ip ?? `$(TARGET_IP)`;
        if (ip === undefined) skipped.push(`${c.origin}: ${t.key} has no known pod IP; its Job reads TARGET_IP, set it before applying`);
        n++;
        const proto = c.port.protocol.toLowerCase();
        const expectOk = c.expect === 'allow';
        const script = `if /agnhost connect ${target.includes(':') && !target.startsWith('$') ? `[${target}]` : target}:${c.port.port} --protocol=${proto} --timeout=5s; then r=allowed; else r=denied; fi; echo "${c.origin} ${f.key} -> ${t.key}:${c.port.port}/${c.port.protocol}: $r (expected ${expectOk ? 'allowed' : 'denied'})"; [ "$r" = "${expectOk ? 'allowed' : 'denied'}" ]`;
        docs.push({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            name: dnsName(`bosun-probe-${n}-${f.name}-${t.name}`),
            namespace: f.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'bosun', 'bosun.dev/probe': 'true' },
            annotations: { 'bosun.dev/probe-case': `${c.origin}: ${c.expect} ${f.key} -> ${t.key}:${c.port.port}/${c.port.protocol}` },
          },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 60,
            ttlSecondsAfterFinished: 600,
            template: {
              metadata: { labels: { ...f.labels, 'bosun.dev/probe': 'true' } },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{
                  name: 'probe',
                  image: PROBE_IMAGE,
                  command: ['/bin/sh', '-c', script],
                  ...(ip === undefined && { env: [{ name: 'TARGET_IP', value: '' }] }),
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                }],
              },
            },
          },
        });
      }
    }
  }
  const yaml = docs.map((d) => `---\n${dump(d, { lineWidth: -1, noRefs: true })}`).join('');
  return { yaml, jobs: n, skipped };
}
