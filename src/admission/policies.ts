/**
 * "bosun rules and VAP policies" in the webhook: the policy engine's exported API (src/policy)
 * behind the pipeline's PolicyEvaluator hook. ValidatingAdmissionPolicies are evaluated with the
 * request's operation and oldObject; a binding's validationActions give each violation its
 * default mode (Deny → enforce, Warn → warn, Audit → audit), which bosun.yaml can still override
 * per rule (`vap/<policy>`) and namespace. bosun Rules default to enforce.
 */
import { BosunError } from '../core/errors.ts';
import { AdmissionEnvironment } from '../policy/vap.ts';
import { evaluatePolicySet, loadPolicySet, type PolicySet } from '../policy/policy-set.ts';
import type { ManifestInput } from '../manifests/load.ts';
import { loadedFromObject } from './object.ts';
import type { PolicyEvaluator, Violation } from './pipeline.ts';
import type { RuleMode } from './config.ts';

/**
 * Loads policy files once at startup; any problem in them stops the server (a broken policy must
 * never silently admit). `selectsNamespaces`: the policies and bindings whose namespaceSelector
 * reads labels other than the name label, which only the cluster's copy of namespace labels
 * (`--namespace-labels`) can answer.
 */
export async function loadAdmissionPolicies(inputs: readonly ManifestInput[]): Promise<PolicyEvaluator & { selectsNamespaces: string[]; policySet: PolicySet }> {
  const set = await loadPolicySet(inputs);
  if (set.errors.length > 0) throw new BosunError('E_POLICY', set.errors[0]!.message);
  return Object.assign(policyEvaluator(set), { selectsNamespaces: namespaceSelecting(set), policySet: set });
}

function namespaceSelecting(set: PolicySet): string[] {
  const out: string[] = [];
  for (const r of [...set.policies, ...set.bindings]) {
    const spec = r.object['spec'] as Record<string, unknown> | undefined;
    const match = (spec?.[r.kind === 'ValidatingAdmissionPolicy' ? 'matchConstraints' : 'matchResources'] ?? undefined) as Record<string, unknown> | undefined;
    const selector = match?.['namespaceSelector'] as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<{ key?: unknown }> } | undefined;
    const keys = [...Object.keys(selector?.matchLabels ?? {}), ...(selector?.matchExpressions ?? []).map((e) => String(e?.key))];
    if (keys.some((k) => k !== 'kubernetes.io/metadata.name')) out.push(`${r.kind} ${r.name}`);
  }
  return out;
}

export function policyEvaluator(set: PolicySet): PolicyEvaluator {
  const env =
    set.policies.length === 0 ? undefined : new AdmissionEnvironment({ policies: set.policies.map((r) => r.object), bindings: set.bindings.map((r) => r.object), objects: set.objects.map((r) => r.object) });
  const problems = env?.problems() ?? [];
  if (problems.length > 0) throw new BosunError('E_POLICY', problems[0]!);
  const rulesOnly: PolicySet = { ...set, policies: [], bindings: [] };
  return ({ request, object, oldObject, namespaceLabels }) => {
    const out: Array<Violation & { mode?: RuleMode }> = [];
    if (env !== undefined) {
      // The request as the apiserver would hand it to the policy: its subresource, requester, dry-run flag, uid, name and namespace.
      const result = env.admit(object, {
        operation: request.operation,
        oldObject: oldObject ?? null,
        subResource: request.subResource,
        resource: request.resource,
        userInfo: request.userInfo,
        dryRun: request.dryRun,
        uid: request.uid,
        name: request.name,
        ...(request.namespace !== '' && { namespace: request.namespace }),
        ...(namespaceLabels !== undefined && { namespaceLabels }),
      });
      for (const d of result.decisions) {
        const mode: RuleMode = d.actions.includes('Deny') ? 'enforce' : d.actions.includes('Warn') ? 'warn' : 'audit';
        out.push({ ruleId: `vap/${d.policy}`, severity: d.actions.includes('Deny') ? 'high' : 'medium', message: d.message, mode });
      }
    }
    // bosun Rules judge objects as they would run: not a DELETE, a CONNECT's options or a subresource.
    if (set.rules.length > 0 && object !== null && request.operation !== 'CONNECT' && (request.subResource === '' || request.subResource === 'ephemeralcontainers')) {
      const loaded = loadedFromObject(`admission:${request.uid}`, object);
      for (const f of evaluatePolicySet(rulesOnly, loaded.resources, request.namespace || 'default').findings) {
        out.push({ ruleId: f.ruleId, severity: f.severity, ...(f.fieldPath !== undefined && { fieldPath: f.fieldPath }), message: f.message, mode: 'enforce' });
      }
    }
    return out;
  };
}
