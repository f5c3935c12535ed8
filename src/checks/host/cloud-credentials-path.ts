/**
 * Nodes keep cloud credentials on disk (Azure's azure.json with the cluster service principal,
 * ~/.aws, gcloud configuration); a pod that mounts them can act as the node or the cluster in
 * the cloud account. Reads `spec.volumes[*].hostPath.path`, normalised; flags paths in or above
 * the `cloudCredentialPaths` setting, and any path with a `.aws`, `.azure` or `.config/gcloud`
 * directory. Off by default (only kubescape runs it).
 */
import { defineCheck } from '../types.ts';
import { hostPathVolumes, normalizeHostPath } from './host-paths.ts';

const CREDENTIAL_DIRS = /(^|\/)(\.aws|\.azure|\.config\/gcloud)(\/|$)/;

export default defineCheck({
  id: 'K8S-CLOUD-CREDENTIALS-PATH',
  title: 'Cloud credentials mounted from the host',
  severity: 'high',
  category: 'host',
  description: 'Host files such as /etc/kubernetes/azure.json or ~/.aws/credentials hold cloud identities; a container that reads them can use the cloud account with the node\'s or cluster\'s rights.',
  remediation: 'Remove the hostPath volume; give the workload its own cloud identity (IRSA / EKS Pod Identity, Azure Workload Identity, GKE Workload Identity).',
  fields: ['spec.volumes[*].hostPath.path'],
  frameworks: { mitre: ['Credential access'], 'nist-800-190': ['4.5.5'] },
  aliases: ['C-0020'],
  concepts: [38],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { cloudCredentialPaths: ['/etc/kubernetes/azure.json', '/etc/kubernetes/cloud.conf', '/etc/kubernetes/cloud-config', '/var/lib/waagent', '/etc/gcp', '/etc/aws'] },
  run(ctx) {
    const volumes = hostPathVolumes(ctx.workload!);
    if (volumes.length === 0) return;
    const configured = ctx.setting<unknown>('cloudCredentialPaths');
    const paths = Array.isArray(configured) ? configured.map((p) => normalizeHostPath(String(p))) : [];
    for (const v of volumes) {
      const hit = paths.find((p) => p === v.path || p.startsWith(`${v.path === '/' ? '' : v.path}/`) || v.path.startsWith(`${p}/`));
      if (hit === undefined && !CREDENTIAL_DIRS.test(v.path)) continue;
      ctx.report(v.fieldPath, `volume "${v.name}" mounts host path ${v.rawPath}, which holds cloud credentials${hit !== undefined && hit !== v.path ? ` (${hit})` : ''}`);
    }
  },
});
