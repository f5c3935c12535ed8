/**
 * A writable root filesystem lets an attacker drop tools and change binaries or config inside
 * the container. Reads `securityContext.readOnlyRootFilesystem` of every container; allowed:
 * true. Windows pods are exempt (Kubernetes rejects the field for them).
 */
import { defineCheck } from '../types.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-WRITABLE-ROOT-FS',
  title: 'Root filesystem is writable',
  severity: 'medium',
  category: 'pod-security',
  description: 'A container with a writable root filesystem can be modified at run time (downloaded tools, altered binaries, persistence); an immutable root filesystem confines writes to declared volumes.',
  remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir for paths the application must write.',
  fields: ['spec.containers[*].securityContext.readOnlyRootFilesystem', 'spec.initContainers[*].securityContext.readOnlyRootFilesystem', 'spec.ephemeralContainers[*].securityContext.readOnlyRootFilesystem'],
  frameworks: { cis: ['5.7.3'], nsa: ['1.1'], 'nist-800-190': ['4.4.3', '4.4.4'] },
  aliases: ['KSV-0014', 'CKV_K8S_22', 'C-0017', 'notReadOnlyRootFilesystem', 'ReadOnlyRootFilesystem', 'no-read-only-root-fs', 'container-security-context-readonlyrootfilesystem'],
  concepts: [8],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      const value = c.securityContext['readOnlyRootFilesystem'];
      if (value === true) continue;
      const detail = value === false ? 'sets readOnlyRootFilesystem: false' : 'does not set readOnlyRootFilesystem: true';
      ctx.report([...c.path, 'securityContext', 'readOnlyRootFilesystem'], `container "${c.name}" ${detail}`);
    }
  },
});
