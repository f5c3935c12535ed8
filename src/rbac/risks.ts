/**
 * Risky permissions per subject (users, groups, service accounts), through the core finding
 * model: one finding per subject and risk, naming every binding → role → rule that grants it and
 * where (cluster-wide or which namespaces). Like the peers (rbac-tool, KubiScan, kubescape), only
 * bindings users made count, and Kubernetes' own `system:` users and groups are left out; the
 * "everyone" principals (system:authenticated, system:unauthenticated, system:anonymous) and
 * system:masters are kept.
 */
import type { Finding, Severity, SubjectTarget } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { RuleMeta } from '../core/rule.ts';
import { locate } from '../manifests/resource.ts';
import { describeChain } from './query.ts';
import { describeSubject, isSystemSubject, subjectKey, type BindingModel, type RbacModel, type RbacSubject } from './model.ts';
import { ADMISSION_CONFIG_WRITE, BIND, CREATE_WORKLOADS, CSR_APPROVE, ESCALATE, IMPERSONATE, NODES_PROXY, POD_ATTACH, POD_EXEC, SA_TOKEN_CREATE, SECRETS_READ } from './permissions.ts';
import { describeGrant, grantedBy, isFullWildcard, type Permission, type PolicyRule } from './policy-rule.ts';

interface Risk {
  meta: RuleMeta;
  /** Granted when any permission is, or (without permissions) when `rule` holds. */
  permissions: readonly Permission[];
  rule?: (r: PolicyRule) => boolean;
  /** Severity when granted in a namespace only (default: the rule's). */
  namespacedSeverity?: Severity;
}

const meta = (id: string, severity: Severity, title: string, description: string, remediation: string, aliases: string[] = []): RuleMeta => ({
  id, severity, title, description, remediation, aliases, fields: ['RoleBinding.subjects', 'ClusterRoleBinding.subjects', 'roleRef', 'rules'], frameworks: { mitre: ['Privilege escalation'] }, category: 'rbac',
});

export const RBAC_RISKS: readonly Risk[] = [
  { meta: meta('RBAC-SUBJECT-ADMIN', 'critical', 'Subject holds every permission', 'The subject holds `*` verbs on `*` resources in `*` API groups: cluster-admin where bound cluster-wide, full control of the namespace otherwise.', 'Bind a role with the verbs and resources the subject needs instead.', ['C-0035', 'KSV-0044']), permissions: [], rule: isFullWildcard, namespacedSeverity: 'high' },
  { meta: meta('RBAC-SUBJECT-SECRETS-READ', 'high', 'Subject can read Secrets', 'get/list/watch on Secrets hands out every credential stored in them, including tokens of more privileged service accounts.', 'Remove read access to Secrets or restrict it with resourceNames.', ['C-0015', 'KSV-0041']), permissions: [SECRETS_READ] },
  { meta: meta('RBAC-SUBJECT-CREATE-PODS', 'high', 'Subject can create pods or workloads', 'Whoever creates a pod chooses its service account and mounts: it can run as any service account of the namespace and read the Secrets it can mount.', 'Limit pod creation to deployment pipelines; enforce Pod Security Admission.', ['C-0188', 'KSV-0048']), permissions: [CREATE_WORKLOADS] },
  { meta: meta('RBAC-SUBJECT-EXEC', 'high', 'Subject can exec into or attach to pods', 'exec/attach runs commands in running containers with their service account tokens and data.', 'Remove pods/exec and pods/attach; use ephemeral debugging with approval instead.', ['C-0002', 'KSV-0053']), permissions: [POD_EXEC, POD_ATTACH] },
  { meta: meta('RBAC-SUBJECT-IMPERSONATE', 'critical', 'Subject can impersonate', 'Impersonating users, groups or service accounts grants their permissions (impersonating group system:masters is cluster-admin).', 'Remove impersonate or restrict it with resourceNames to harmless identities.', ['C-0065', 'KSV-0043']), permissions: [IMPERSONATE] },
  { meta: meta('RBAC-SUBJECT-ESCALATE', 'critical', 'Subject can bind or escalate roles', 'bind lets a subject grant roles it does not hold; escalate lets it write roles with more permissions than it holds: both lead to cluster-admin.', 'Remove bind and escalate on roles and clusterroles.', ['C-0191', 'KSV-0056']), permissions: [ESCALATE, BIND] },
  { meta: meta('RBAC-SUBJECT-TOKEN-CREATE', 'high', 'Subject can create service account tokens', 'serviceaccounts/token create mints a token for any service account in scope, becoming it.', 'Remove create on serviceaccounts/token.', ['KSV-0116']), permissions: [SA_TOKEN_CREATE] },
  { meta: meta('RBAC-SUBJECT-CSR-APPROVE', 'high', 'Subject can approve certificate signing requests', 'Approving CSRs issues client certificates, which can name any user or group the signer allows.', 'Leave CSR approval to the controller manager and a small admin group.', ['KSV-0114']), permissions: [CSR_APPROVE] },
  { meta: meta('RBAC-SUBJECT-NODES-PROXY', 'critical', 'Subject can use nodes/proxy', 'nodes/proxy reaches the kubelet API directly, which runs commands in every pod of the node and bypasses audit and admission.', 'Remove nodes/proxy; use metrics endpoints that do not need it.', ['KSV-0047']), permissions: [NODES_PROXY] },
  { meta: meta('RBAC-SUBJECT-WEBHOOKS', 'critical', 'Subject can change admission webhooks or policies', 'Changing admission configuration lets a subject intercept or rewrite every object sent to the API server, or switch policies off.', 'Restrict admissionregistration.k8s.io writes to cluster administrators.', ['KSV-0114']), permissions: [ADMISSION_CONFIG_WRITE] },
];


interface Held {
  binding: BindingModel;
  subjectIndex: number;
  rule: PolicyRule;
  detail: string;
}

function riskGrant(risk: Risk, rule: PolicyRule): string | undefined {
  if (risk.rule !== undefined) return risk.rule(rule) ? '* on *' : undefined;
  const parts = risk.permissions.flatMap((p) => {
    const g = grantedBy(rule, p);
    return g === undefined ? [] : [describeGrant(rule, g)];
  });
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** Every subject named by a binding users made, with the bindings naming it. */
export function reportableSubjects(model: RbacModel): Array<{ subject: RbacSubject; bindings: Array<{ binding: BindingModel; index: number }> }> {
  const out = new Map<string, { subject: RbacSubject; bindings: Array<{ binding: BindingModel; index: number }> }>();
  for (const b of model.bindings) {
    if (b.builtIn || b.role === undefined) continue;
    for (const s of b.subjects) {
      const subject: RbacSubject = s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace! } : { kind: s.kind, name: s.name };
      if (isSystemSubject(subject)) continue;
      const key = subjectKey(subject);
      let entry = out.get(key);
      if (entry === undefined) out.set(key, (entry = { subject, bindings: [] }));
      entry.bindings.push({ binding: b, index: s.index });
    }
  }
  return [...out.values()];
}

export function rbacFindings(model: RbacModel): Finding[] {
  const findings: Finding[] = [];
  for (const { subject, bindings } of reportableSubjects(model)) {
    for (const risk of RBAC_RISKS) {
      const held: Held[] = [];
      for (const { binding, index } of bindings) {
        for (const rule of binding.role!.rules) {
          // A `*` on `*` rule is reported once, as RBAC-SUBJECT-ADMIN, not again as each risk it includes.
          if (risk.rule === undefined && isFullWildcard(rule)) continue;
          const detail = riskGrant(risk, rule);
          if (detail !== undefined) held.push({ binding, subjectIndex: index, rule, detail });
        }
      }
      if (held.length === 0) continue;
      findings.push(subjectFinding(risk, subject, held));
    }
  }
  return findings;
}

function subjectFinding(risk: Risk, subject: RbacSubject, held: Held[]): Finding {
  const clusterWide = held.some((h) => h.binding.kind === 'ClusterRoleBinding');
  const scopes = clusterWide ? 'cluster-wide' : `in namespace${new Set(held.map((h) => h.binding.namespace)).size > 1 ? 's' : ''} ${[...new Set(held.map((h) => h.binding.namespace))].sort().join(', ')}`;
  const chains = held.map((h) => `${describeChain(h.binding, h.binding.role!, h.rule)}`);
  const target: SubjectTarget = { type: 'subject', kind: subject.kind, name: subject.name, ...(subject.namespace !== undefined && { namespace: subject.namespace }) };
  const severity = clusterWide ? risk.meta.severity : (risk.namespacedSeverity ?? risk.meta.severity);
  const first = held.find((h) => h.binding.resource !== undefined);
  const f: Finding = {
    ruleId: risk.meta.id,
    severity,
    title: risk.meta.title,
    message: `${describeSubject(subject)} ${risk.meta.title.replace(/^Subject /, '').replace(/^holds/, 'holds').toLowerCase()} ${scopes} (${held.map((h) => h.detail).filter((d, i, a) => a.indexOf(d) === i).join('; ')}) via ${chains.join('; ')}`,
    target,
    remediation: risk.meta.remediation,
    frameworks: risk.meta.frameworks,
    aliases: risk.meta.aliases,
    fingerprint: fingerprint(risk.meta.id, target, undefined),
  };
  if (first !== undefined) {
    f.location = locate(first.binding.resource!, ['subjects', first.subjectIndex]);
    f.fieldPath = `subjects[${first.subjectIndex}]`;
  }
  return f;
}

export const RBAC_ISSUE_RULES: Record<'missingRole' | 'cycle', RuleMeta> = {
  missingRole: { ...meta('RBAC-BINDING-MISSING-ROLE', 'low', 'Binding refers to a role that does not exist', 'The binding grants nothing today, but whoever later creates a role with that name decides what its subjects get.', 'Delete the binding, or create the role it names.'), fields: ['roleRef'], frameworks: {} },
  cycle: { ...meta('RBAC-AGGREGATION-CYCLE', 'low', 'ClusterRole aggregation cycle', 'ClusterRoles aggregate each other in a cycle, so each holds the rules of all of them: usually not what was meant.', 'Break the cycle by changing one role\'s aggregationRule selectors or labels.'), fields: ['aggregationRule.clusterRoleSelectors'], frameworks: {} },
};

/** Bindings to missing roles and aggregation cycles, as findings on the objects concerned. */
export function rbacIssueFindings(model: RbacModel): Finding[] {
  const out: Finding[] = [];
  const make = (m: RuleMeta, resource: BindingModel['resource'], path: Array<string | number>, message: string): Finding => {
    const target = resource === undefined ? undefined : { type: 'resource' as const, apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name, ...(resource.namespace !== undefined && { namespace: resource.namespace }) };
    const t = target ?? { type: 'resource' as const, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: '' };
    return { ruleId: m.id, severity: m.severity, title: m.title, message, target: t, ...(resource !== undefined && { location: locate(resource, path) }), fieldPath: path.join('.'), remediation: m.remediation, frameworks: m.frameworks, aliases: m.aliases, fingerprint: fingerprint(m.id, t, path.join('.')) };
  };
  for (const b of model.bindings) {
    if (b.role !== undefined || b.resource === undefined) continue;
    const issue = model.issues.find((i) => i.code === 'E_RBAC_MISSING_ROLE' && i.object === (b.kind === 'RoleBinding' ? `RoleBinding/${b.namespace}/${b.name}` : `ClusterRoleBinding/${b.name}`));
    out.push(make(RBAC_ISSUE_RULES.missingRole, b.resource, ['roleRef', 'name'], issue?.message ?? `${b.kind} ${b.name}: ${b.roleRef.kind} "${b.roleRef.name}" does not exist`));
  }
  for (const i of model.issues) {
    if (i.code !== 'E_RBAC_AGGREGATION_CYCLE') continue;
    const role = model.roles.get(i.object);
    out.push(make(RBAC_ISSUE_RULES.cycle, role?.resource, ['aggregationRule'], i.message));
  }
  return out;
}

export const RBAC_RULE_LIST: readonly RuleMeta[] = [...RBAC_RISKS.map((r) => r.meta), RBAC_ISSUE_RULES.missingRole, RBAC_ISSUE_RULES.cycle];
