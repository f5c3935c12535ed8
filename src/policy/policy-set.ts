/**
 * Policies for `bosun scan --policy PATH`: ValidatingAdmissionPolicies, their bindings and
 * params, and bosun Rules, loaded from files or directories with source positions, then
 * evaluated against the scanned resources. Every problem in a policy file is an input error
 * naming the file, line and object; a broken policy never silently passes.
 */
import type { Finding, InputError, Severity } from '../core/finding.ts';
import { SEVERITY_RANK } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, parseIgnoreAnnotation } from '../core/suppress.ts';
import { matchesAnyGlob } from '../core/glob.ts';
import { loadManifests, type ManifestInput } from '../manifests/load.ts';
import { locate, resourceTarget, type Resource } from '../manifests/resource.ts';
import type { Path } from '../manifests/path.ts';
import { AdmissionEnvironment, type PolicyDecision, type UserInfo } from './vap.ts';
import { compileRule, evaluateRule, ruleApplies, RULE_API_VERSION, type CompiledRule } from './rule.ts';
import { toCel } from './values.ts';
import type { Authorize } from './authorizer.ts';
import { ManifestIndex } from '../manifests/index-set.ts';
import { buildRbacModel, canI } from '../rbac/index.ts';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/**
 * `authorizer` answers from the RBAC objects in the inputs (plus Kubernetes' default roles and
 * bindings), through the rbac capability's canI. Undefined when the inputs hold no RBAC objects:
 * then authorizer checks are not evaluable.
 */
function rbacAuthorizer(resources: readonly Resource[], defaultNamespace: string): Authorize | undefined {
  const rbac = resources.filter((r) => RBAC_KINDS.has(r.kind));
  if (rbac.length === 0) return undefined;
  const model = buildRbacModel(new ManifestIndex(rbac, defaultNamespace));
  return (q) => {
    const resource = q.path ?? `${q.resource ?? ''}${q.group ? `.${q.group}` : ''}${q.subresource ? `/${q.subresource}` : ''}`;
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(q.user);
    const subject = sa !== null ? { kind: 'ServiceAccount' as const, namespace: sa[1]!, name: sa[2]! } : { kind: 'User' as const, name: q.user };
    const result = canI(model, subject, { verb: q.verb, resource, ...(q.namespace !== undefined && { namespace: q.namespace }), ...(q.name !== undefined && { name: q.name }) }, q.groups);
    const g = result.grants[0];
    return { allowed: result.allowed, reason: g === undefined ? '' : `RBAC: allowed by ${g.binding.kind} "${g.binding.name}"` };
  };
}

const VAP_GROUP = 'admissionregistration.k8s.io/';

export interface PolicySet {
  /** ValidatingAdmissionPolicy objects with where they came from. */
  policies: Resource[];
  bindings: Resource[];
  /** Every other object in the policy files (params, Namespaces, CRDs). */
  objects: Resource[];
  rules: Array<{ rule: CompiledRule; resource: Resource }>;
  errors: InputError[];
}

function inputError(r: Resource, message: string): InputError {
  const at = locate(r, []);
  return { code: 'E_POLICY', file: at.file, line: at.line, column: at.column, message: `${at.file}:${at.line}:${at.column}: ${message}` };
}

/** Loads policy files and directories (YAML/JSON, multi-document). */
export async function loadPolicySet(inputs: readonly ManifestInput[]): Promise<PolicySet> {
  const loaded = await loadManifests(inputs);
  const set: PolicySet = { policies: [], bindings: [], objects: [], rules: [], errors: loaded.errors.map((e) => ({ ...e, code: e.code })) };
  for (const r of loaded.resources) {
    const isVap = r.apiVersion.startsWith(VAP_GROUP) && (r.kind === 'ValidatingAdmissionPolicy' || r.kind === 'ValidatingAdmissionPolicyBinding');
    if (isVap && (r.name === '' || r.object['spec'] === null || typeof r.object['spec'] !== 'object' || Array.isArray(r.object['spec']))) {
      set.errors.push(inputError(r, `${r.kind} ${JSON.stringify(r.name)}: ${r.name === '' ? 'metadata.name is required' : 'spec must be an object'}`));
    } else if (isVap && r.apiVersion !== `${VAP_GROUP}v1`) {
      set.errors.push(inputError(r, `${r.kind} "${r.name}": apiVersion ${r.apiVersion} is not supported (use ${VAP_GROUP}v1)`));
    } else if (isVap && r.kind === 'ValidatingAdmissionPolicy') set.policies.push(r);
    else if (isVap) set.bindings.push(r);
    else if (r.kind === 'Rule' && r.apiVersion.startsWith('bosun.dev/')) {
      try {
        set.rules.push({ rule: compileRule(r.object), resource: r });
      } catch (err) {
        set.errors.push(inputError(r, (err as Error).message));
      }
    } else set.objects.push(r);
  }
  if (set.policies.length + set.rules.length === 0 && set.errors.length === 0) {
    set.errors.push({ code: 'E_POLICY', file: inputs.map(String).join(', '), message: `${inputs.map((i) => (typeof i === 'string' ? i : i.name)).join(', ')}: no ValidatingAdmissionPolicy or ${RULE_API_VERSION} Rule found` });
  }
  return set;
}

export interface PolicyEvaluation {
  findings: Finding[];
  errors: InputError[];
}

/** `bosun.dev/severity` on the policy, else by the strongest action: Deny high, Warn medium, Audit low. */
function vapSeverity(d: PolicyDecision): Severity {
  if (d.severity !== undefined && (Object.hasOwn(SEVERITY_RANK, d.severity))) return d.severity as Severity;
  if (d.actions.includes('Deny')) return 'high';
  if (d.actions.includes('Warn')) return 'medium';
  return 'low';
}

function vapMessage(d: PolicyDecision): string {
  if (d.actions.includes('Deny')) return `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`;
  if (d.actions.includes('Warn')) return `Validation failed for ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}': ${d.message}`;
  return `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' audit: ${d.message}`;
}

/** Parses a dotted field path such as `spec.template.spec.volumes[0]` into path segments. */
function parseFieldPath(text: string): Path {
  const out: Array<string | number> = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** Evaluates the policy set against the scanned resources. */
function withAuthorize(authorize: Authorize | undefined): { authorize?: Authorize } {
  return authorize === undefined ? {} : { authorize };
}

export interface PolicyEvaluationOptions {
  /** Who makes the (simulated) CREATE requests; default user "bosun" in system:authenticated. */
  userInfo?: UserInfo;
}

export function evaluatePolicySet(set: PolicySet, resources: readonly Resource[], defaultNamespace: string, options: PolicyEvaluationOptions = {}): PolicyEvaluation {
  const errors: InputError[] = [...set.errors];
  const findings: Finding[] = [];
  const objects = [...set.objects.map((r) => r.object), ...resources.map((r) => r.object)];
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const o of objects) {
    const meta = o['metadata'] as Record<string, unknown> | undefined;
    if (o['kind'] === 'Namespace' && typeof meta?.['name'] === 'string') namespaces.set(meta['name'], o);
  }
  const env =
    set.policies.length === 0
      ? undefined
      : new AdmissionEnvironment({
          policies: set.policies.map((r) => r.object),
          bindings: set.bindings.map((r) => r.object),
          objects,
          ...(options.userInfo !== undefined && { userInfo: options.userInfo }),
          ...withAuthorize(rbacAuthorizer([...set.objects, ...resources], defaultNamespace)),
        });
  if (env !== undefined) {
    const byName = new Map(set.policies.map((r) => [r.name, r]));
    const bindingByName = new Map(set.bindings.map((r) => [r.name, r]));
    for (const problem of env.problems()) {
      const m = /^ValidatingAdmissionPolicy(Binding)? "([^"]*)"/.exec(problem);
      const r = m === null ? undefined : m[1] === undefined ? byName.get(m[2]!) : bindingByName.get(m[2]!);
      errors.push(r === undefined ? { code: 'E_POLICY', file: '', message: problem } : inputError(r, problem));
    }
    for (const p of set.policies) if (!set.bindings.some((b) => (b.object['spec'] as Record<string, unknown> | undefined)?.['policyName'] === p.name)) {
      errors.push(inputError(p, `ValidatingAdmissionPolicy "${p.name}" has no ValidatingAdmissionPolicyBinding in the policy inputs, so it never applies`));
    }
  }
  for (const resource of resources) {
    const ignored = parseIgnoreAnnotation(resource.annotations[IGNORE_ANNOTATION]);
    const ignoreReason = resource.annotations[IGNORE_REASON_ANNOTATION] ?? `${IGNORE_ANNOTATION} annotation`;
    const add = (f: Omit<Finding, 'target' | 'fingerprint' | 'location' | 'fieldPath'>, path: Path, key: string): void => {
      const target = resourceTarget(resource);
      const fieldPath = path.length === 0 ? undefined : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
      const finding: Finding = { ...f, target, location: locate(resource, path), ...(fieldPath !== undefined && { fieldPath }), fingerprint: fingerprint(f.ruleId, target, fieldPath, key) };
      if (ignored.length > 0 && matchesAnyGlob(ignored, f.ruleId)) finding.suppressed = { by: 'annotation', reason: ignoreReason };
      findings.push(finding);
    };
    if (env !== undefined) {
      const result = env.admit(resource.object);
      for (const d of result.decisions) {
        add({ ruleId: `vap/${d.policy}`, severity: vapSeverity(d), title: `ValidatingAdmissionPolicy ${d.policy}`, message: vapMessage(d), remediation: `Change the object so that the policy's validations hold (binding ${d.binding}, actions ${d.actions.join(', ')}).` }, [], `${d.binding}\0${d.expressionIndex ?? ''}\0${d.type}`);
      }
    }
    if (set.rules.length > 0) evaluateRules(set, resource, namespaces, defaultNamespace, add);
  }
  return { findings, errors };
}

function evaluateRules(
  set: PolicySet,
  resource: Resource,
  namespaces: Map<string, Record<string, unknown>>,
  defaultNamespace: string,
  add: (f: Omit<Finding, 'target' | 'fingerprint' | 'location' | 'fieldPath'>, path: Path, key: string) => void,
): void {
  const w = resource.workload;
  const ns = resource.namespace ?? defaultNamespace;
  const input = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    namespace: ns,
    object: resource.object,
    ...(w !== undefined && { podSpec: w.podSpec, podMetadata: w.podMeta }),
    namespaceObject: namespaces.get(ns) ?? null,
  };
  let vars: Record<string, unknown> | undefined;
  for (const { rule } of set.rules) {
    if (!ruleApplies(rule, input)) continue;
    vars ??= {
      object: toCel(resource.object),
      podSpec: w === undefined ? null : toCel(w.podSpec),
      podMetadata: w === undefined ? null : toCel(w.podMeta),
      namespaceObject: input.namespaceObject === null ? null : toCel(input.namespaceObject),
    };
    const outcome = evaluateRule(rule, { ...vars, params: toCel(rule.params) });
    if ('pass' in outcome && outcome.pass) continue;
    const path: Path = rule.fieldPath !== undefined ? parseFieldPath(rule.fieldPath) : rule.podSpec && w !== undefined ? w.specPath : [];
    const base = { ruleId: `rule/${rule.name}`, severity: rule.severity, title: rule.title, remediation: rule.remediation, frameworks: rule.frameworks, aliases: rule.aliases };
    if ('error' in outcome) add({ ...base, message: `rule could not be evaluated: ${outcome.error}` }, path, 'error');
    else add({ ...base, message: outcome.message }, path, '');
  }
}
