/**
 * A PodSecurityPolicy (policy/v1beta1, removed in Kubernetes 1.25) is only as strong as its
 * most permissive field: pods authorised to use it may do whatever it allows. Reads, under
 * `spec`: privileged, hostPID, hostIPC, hostNetwork, hostPorts (allowed: false/empty);
 * allowPrivilegeEscalation (allowed: false; unset means true); runAsUser.rule (allowed:
 * MustRunAsNonRoot, or MustRunAs with every range above 0); volumes (no `*`, no hostPath);
 * allowedCapabilities (allowed: empty); requiredDropCapabilities (allowed: contains ALL or
 * NET_RAW); and the annotation seccomp.security.alpha.kubernetes.io/defaultProfileName
 * (allowed: runtime/default, docker/default).
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import type { Severity } from '../../core/finding.ts';
import { normalizeCapability } from '../helpers.ts';
import type { CheckContext } from '../types.ts';
import { defineCheck } from '../types.ts';

const SECCOMP_DEFAULT = 'seccomp.security.alpha.kubernetes.io/defaultProfileName';

export default defineCheck({
  id: 'K8S-PSP-PERMISSIVE',
  title: 'Permissive PodSecurityPolicy',
  severity: 'high',
  alsoReports: ['medium', 'low'],
  category: 'namespaces',
  description: 'The PodSecurityPolicy admits pods that are privileged, share host namespaces, mount host paths, run as root, add capabilities or escalate privileges.',
  remediation: 'Migrate to Pod Security Admission (PSP was removed in Kubernetes 1.25); until then restrict the policy to the restricted profile: no privileged or host fields, allowPrivilegeEscalation false, MustRunAsNonRoot, requiredDropCapabilities [ALL], no hostPath volumes.',
  fields: ['spec.privileged', 'spec.hostPID', 'spec.hostIPC', 'spec.hostNetwork', 'spec.hostPorts', 'spec.allowPrivilegeEscalation', 'spec.runAsUser.rule', 'spec.volumes', 'spec.allowedCapabilities', 'spec.requiredDropCapabilities', `metadata.annotations["${SECCOMP_DEFAULT}"]`],
  frameworks: {},
  aliases: ['CKV_K8S_1', 'CKV_K8S_2', 'CKV_K8S_3', 'CKV_K8S_4', 'CKV_K8S_5', 'CKV_K8S_6', 'CKV_K8S_7', 'CKV_K8S_24', 'CKV_K8S_32', 'CKV_K8S_36', 'C-0068', 'C-0213', 'C-0214', 'C-0215', 'C-0216', 'C-0217', 'C-0218', 'C-0219', 'C-0220'],
  concepts: [141],
  kinds: ['PodSecurityPolicy'],
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const name = ctx.resource.name;
    for (const field of ['privileged', 'hostPID', 'hostIPC', 'hostNetwork']) {
      if (spec[field] === true) ctx.report(['spec', field], `PodSecurityPolicy "${name}" allows ${field}`);
    }
    if (asArray(spec['hostPorts']).length > 0) ctx.report(['spec', 'hostPorts'], `PodSecurityPolicy "${name}" allows host ports`, medium);
    if (spec['allowPrivilegeEscalation'] !== false) ctx.report(['spec', 'allowPrivilegeEscalation'], `PodSecurityPolicy "${name}" allows privilege escalation (allowPrivilegeEscalation is not false)`, medium);
    checkRunAsUser(ctx, spec);
    asArray(spec['volumes']).forEach((v, i) => {
      if (v === '*' || v === 'hostPath') ctx.report(['spec', 'volumes', i], `PodSecurityPolicy "${name}" allows ${v === '*' ? 'every volume type' : 'hostPath volumes'}`);
    });
    asArray(spec['allowedCapabilities']).forEach((c, i) => {
      const cap = normalizeCapability(c);
      ctx.report(['spec', 'allowedCapabilities', i], `PodSecurityPolicy "${name}" allows adding capability ${cap}`, cap === '*' ? undefined : medium);
    });
    const drops = asArray(spec['requiredDropCapabilities']).map(normalizeCapability);
    if (!drops.includes('ALL') && !drops.includes('NET_RAW')) ctx.report(['spec', 'requiredDropCapabilities'], `PodSecurityPolicy "${name}" does not require dropping ALL (or NET_RAW) capabilities`, low);
    const seccomp = ctx.resource.annotations[SECCOMP_DEFAULT];
    if (seccomp !== 'runtime/default' && seccomp !== 'docker/default') ctx.report(['metadata', 'annotations', SECCOMP_DEFAULT], `PodSecurityPolicy "${name}" sets no default seccomp profile (runtime/default)`, low);
  },
});

const medium: { severity: Severity } = { severity: 'medium' };
const low: { severity: Severity } = { severity: 'low' };

function checkRunAsUser(ctx: CheckContext, spec: Record<string, unknown>): void {
  const runAsUser = asObject(spec['runAsUser']) ?? {};
  const rule = asString(runAsUser['rule']);
  if (rule === 'MustRunAsNonRoot') return;
  if (rule === 'MustRunAs') {
    const ranges = asArray(runAsUser['ranges']).map((r) => asObject(r) ?? {});
    if (ranges.length > 0 && ranges.every((r) => typeof r['min'] === 'number' && r['min'] > 0)) return;
  }
  ctx.report(['spec', 'runAsUser', 'rule'], `PodSecurityPolicy "${ctx.resource.name}" admits root containers (runAsUser rule ${rule ?? 'unset'})`, medium);
}
