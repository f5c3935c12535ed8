/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) evaluated offline, as kube-apiserver
 * evaluates a request: policy matchConstraints → binding matchResources → paramRef → matchConditions
 * → validations (with lazy variables) → auditAnnotations, with failurePolicy and validationActions.
 * Message formats follow the apiserver's validating dispatcher.
 */
import { BosunError } from '../core/errors.ts';
import { matchesSelector } from '../manifests/selector.ts';
import { compileCel, CelError, type CompiledCel } from './cel.ts';
import { toCel } from './values.ts';
import { ResourceMapper, splitApiVersion, type ResourceInfo } from './resources.ts';
import { Authorizer, type Authorize } from './authorizer.ts';
import { PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost.ts';

type Obj = Record<string, unknown>;
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** The variables every VAP expression may use (declared dyn, as Kubernetes builds them from unstructured data). */
const VAP_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer', 'variables'] as const;
const EXEMPT_KINDS = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);

interface Expr {
  source: string;
  compiled?: CompiledCel;
  error?: string;
}

export interface CompiledPolicy {
  name: string;
  object: Obj;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind?: { apiVersion: string; kind: string };
  matchConstraints: Obj | undefined;
  matchConditions: Array<{ name: string; expr: Expr }>;
  variables: Array<{ name: string; expr: Expr }>;
  validations: Array<{ expr: Expr; message?: string; messageExpr?: Expr; reason?: string }>;
  auditAnnotations: Array<{ key: string; expr: Expr }>;
  /** Compile errors, each naming the policy and the field. */
  errors: string[];
  /** `bosun.dev/severity` annotation, if any. */
  severity?: string;
  /** Per variable: a number naming its definition together with every earlier one, the identity under which its value may be shared. */
  variableKeys: number[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** cel-js error text in cel-go's wording where they differ (`No such key` → `no such key`). */
export function celErrorText(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/^No such key/, 'no such key').replace(/^Unknown variable/, 'undeclared reference');
}

function compileExpr(source: string, where: string, errors: string[]): Expr {
  try {
    return { source, compiled: compileCel(source, VAP_VARIABLES) };
  } catch (err) {
    const message = celErrorText(err);
    errors.push(`${where}: ${message}`);
    return { source, error: message };
  }
}

/** Compiles a ValidatingAdmissionPolicy object; compile errors are collected, not thrown. */
export function compilePolicy(policy: Obj): CompiledPolicy {
  const compiled = compilePolicyFields(policy);
  let key = '';
  compiled.variableKeys = compiled.variables.map((v) => {
    key += `${JSON.stringify([v.name, v.expr.source])}\n`;
    let id = VARIABLE_KEY_IDS.get(key);
    if (id === undefined) VARIABLE_KEY_IDS.set(key, (id = VARIABLE_KEY_IDS.size + 1));
    return id;
  });
  return compiled;
}

const VARIABLE_KEY_IDS = new Map<string, number>();

function compilePolicyFields(policy: Obj): CompiledPolicy {
  const meta = obj(policy['metadata']) ?? {};
  const name = str(meta['name']);
  if (name === undefined || name === '') throw new BosunError('E_POLICY', 'ValidatingAdmissionPolicy without metadata.name');
  const spec = obj(policy['spec']) ?? {};
  const errors: string[] = [];
  const at = (field: string): string => `ValidatingAdmissionPolicy "${name}" ${field}`;
  const paramKind = obj(spec['paramKind']);
  const validations = arr(spec['validations']).map((v, i) => {
    const o = obj(v) ?? {};
    return {
      expr: compileExpr(str(o['expression']) ?? '', at(`spec.validations[${i}].expression`), errors),
      message: str(o['message']),
      messageExpr: str(o['messageExpression']) === undefined ? undefined : compileExpr(str(o['messageExpression'])!, at(`spec.validations[${i}].messageExpression`), errors),
      reason: str(o['reason']),
    };
  });
  const auditAnnotations = arr(spec['auditAnnotations']).map((v, i) => {
    const o = obj(v) ?? {};
    return { key: str(o['key']) ?? '', expr: compileExpr(str(o['valueExpression']) ?? '', at(`spec.auditAnnotations[${i}].valueExpression`), errors) };
  });
  if (validations.length === 0 && auditAnnotations.length === 0) errors.push(at('spec: validations or auditAnnotations must contain at least one item'));
  const annotations = obj(meta['annotations']) ?? {};
  return {
    name,
    object: policy,
    failurePolicy: spec['failurePolicy'] === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind: paramKind === undefined ? undefined : { apiVersion: str(paramKind['apiVersion']) ?? '', kind: str(paramKind['kind']) ?? '' },
    matchConstraints: obj(spec['matchConstraints']),
    matchConditions: arr(spec['matchConditions']).map((v, i) => {
      const o = obj(v) ?? {};
      return { name: str(o['name']) ?? `${i}`, expr: compileExpr(str(o['expression']) ?? '', at(`spec.matchConditions[${i}].expression`), errors) };
    }),
    variables: arr(spec['variables']).map((v, i) => {
      const o = obj(v) ?? {};
      return { name: str(o['name']) ?? '', expr: compileExpr(str(o['expression']) ?? '', at(`spec.variables[${i}].expression`), errors) };
    }),
    validations,
    auditAnnotations,
    errors,
    severity: str(annotations['bosun.dev/severity']),
    variableKeys: [],
  };
}

export interface CompiledBinding {
  name: string;
  policyName: string;
  actions: ValidationAction[];
  paramRef?: { name?: string; namespace?: string; selector?: Obj; parameterNotFoundAction: 'Allow' | 'Deny' };
  matchResources?: Obj;
  matchConditions: Array<{ name: string; expr: Expr }>;
  errors: string[];
}

export function compileBinding(binding: Obj): CompiledBinding {
  const meta = obj(binding['metadata']) ?? {};
  const name = str(meta['name']) ?? '';
  const spec = obj(binding['spec']) ?? {};
  const errors: string[] = [];
  const actions = arr(spec['validationActions']).filter((a): a is ValidationAction => a === 'Deny' || a === 'Warn' || a === 'Audit');
  if (actions.length === 0) errors.push(`ValidatingAdmissionPolicyBinding "${name}" spec.validationActions: at least one of Deny, Warn, Audit is required`);
  if (actions.includes('Deny') && actions.includes('Warn')) errors.push(`ValidatingAdmissionPolicyBinding "${name}" spec.validationActions: Deny and Warn may not be used together`);
  const ref = obj(spec['paramRef']);
  return {
    name,
    policyName: str(spec['policyName']) ?? '',
    actions,
    paramRef:
      ref === undefined
        ? undefined
        : { name: str(ref['name']), namespace: str(ref['namespace']), selector: obj(ref['selector']), parameterNotFoundAction: ref['parameterNotFoundAction'] === 'Deny' ? 'Deny' : 'Allow' },
    matchResources: obj(spec['matchResources']),
    matchConditions: arr(spec['matchConditions']).map((v, i) => {
      const o = obj(v) ?? {};
      return { name: str(o['name']) ?? `${i}`, expr: compileExpr(str(o['expression']) ?? '', `ValidatingAdmissionPolicyBinding "${name}" spec.matchConditions[${i}].expression`, errors) };
    }),
    errors,
  };
}

/** One policy/binding outcome for one request. */
export interface PolicyDecision {
  policy: string;
  binding: string;
  /** The enforcement actions that apply (the binding's validationActions). */
  actions: ValidationAction[];
  /** The message as kube-apiserver builds it (without the "ValidatingAdmissionPolicy … denied request:" prefix). */
  message: string;
  reason?: string;
  /** Index of the failing validation, when a validation failed or errored. */
  expressionIndex?: number;
  /** `validation`: an expression was false; `error`: evaluation failed under failurePolicy Fail; `configuration`: params could not be resolved. */
  type: 'validation' | 'error' | 'configuration';
  /** The expression that failed, when one did. */
  expression?: string;
  severity?: string;
}

export interface AdmissionResult {
  allowed: boolean;
  /** The response message when denied, exactly as the API server writes it. */
  message?: string;
  decisions: PolicyDecision[];
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface AdmissionEnvironmentOptions {
  policies: Obj[];
  bindings: Obj[];
  /** Every other object known: params, Namespaces, CRDs, RBAC objects (for the authorizer). */
  objects?: Obj[];
  userInfo?: UserInfo;
  /** Answers `authorizer` checks (e.g. from RBAC objects); without it they are not evaluable (an evaluation error). */
  authorize?: Authorize;
}

export interface AdmissionRequestOptions {
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  oldObject?: Obj | null;
}

function labelsOf(o: Obj | undefined | null): Record<string, string> {
  const labels = obj(obj(o?.['metadata'])?.['labels']) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k] = String(v);
  return out;
}

function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  return matchesSelector(selector, labels);
}

const EQUIVALENT_GROUPS: Record<string, string[]> = {
  'extensions/deployments': ['apps'],
  'extensions/daemonsets': ['apps'],
  'extensions/replicasets': ['apps'],
  'extensions/networkpolicies': ['networking.k8s.io'],
  'extensions/ingresses': ['networking.k8s.io'],
  'apps/deployments': ['extensions'],
  'apps/daemonsets': ['extensions'],
  'apps/replicasets': ['extensions'],
  'networking.k8s.io/networkpolicies': ['extensions'],
  'networking.k8s.io/ingresses': ['extensions'],
};

function ruleMatches(rule: Obj, res: ResourceInfo, name: string, operation: string, equivalent: boolean): boolean {
  const list = (k: string): string[] => arr(rule[k]).map(String);
  const has = (values: string[], v: string): boolean => values.includes('*') || values.includes(v);
  if (!has(list('operations'), operation)) return false;
  const resources = list('resources');
  if (!resources.some((r) => r === '*' || r === '*/*' || r === res.resource)) return false;
  const scope = str(rule['scope']) ?? '*';
  if (scope === 'Cluster' && res.namespaced) return false;
  if (scope === 'Namespaced' && !res.namespaced) return false;
  const names = list('resourceNames');
  if (names.length > 0 && !names.includes(name)) return false;
  const groups = list('apiGroups');
  const versions = list('apiVersions');
  if (has(groups, res.group) && has(versions, res.version)) return true;
  if (!equivalent) return false;
  const alternatives = EQUIVALENT_GROUPS[`${res.group}/${res.resource}`] ?? [];
  return has(versions, '*') ? alternatives.some((g) => has(groups, g)) : alternatives.some((g) => has(groups, g)) && versions.length > 0;
}

interface RequestContext {
  object: Obj;
  res: ResourceInfo;
  name: string;
  namespace: string;
  operation: string;
  namespaceObject: Obj | null;
  /** CEL forms of object, oldObject, request, namespaceObject: converted once per request, shared by every binding. */
  shared?: Record<string, unknown>;
  /** Variable results shared by policies whose variable definitions (up to that variable) and params are identical: CEL is pure. */
  variables: Map<number, { ok: true; value: unknown } | { ok: false; error: string }>;
  /** matchConstraints / matchResources outcomes, by their JSON (policies often share them). */
  matches: Map<string, boolean>;
}

/** matchConstraints / matchResources: resourceRules, excludeResourceRules, namespaceSelector, objectSelector. */
function matchResources(m: Obj | undefined, req: RequestContext, requireRules: boolean): boolean {
  if (m === undefined) return !requireRules;
  let key = MATCH_KEYS.get(m);
  if (key === undefined) MATCH_KEYS.set(m, (key = `${requireRules}${JSON.stringify(m)}`));
  let r = req.matches.get(key);
  if (r === undefined) req.matches.set(key, (r = matchResourcesUncached(m, req, requireRules)));
  return r;
}

const MATCH_KEYS = new WeakMap<Obj, string>();

function matchResourcesUncached(m: Obj, req: RequestContext, requireRules: boolean): boolean {
  const equivalent = m['matchPolicy'] !== 'Exact';
  const rules = arr(m['resourceRules']);
  if (requireRules || rules.length > 0) {
    if (!rules.some((r) => ruleMatches(obj(r) ?? {}, req.res, req.name, req.operation, equivalent))) return false;
  }
  if (arr(m['excludeResourceRules']).some((r) => ruleMatches(obj(r) ?? {}, req.res, req.name, req.operation, equivalent))) return false;
  const nsSelector = m['namespaceSelector'];
  if (nsSelector !== undefined && nsSelector !== null) {
    if (req.res.namespaced) {
      if (!selectorMatches(nsSelector, labelsOf(req.namespaceObject))) return false;
    } else if (req.object['kind'] === 'Namespace' && req.res.group === '') {
      if (!selectorMatches(nsSelector, labelsOf(req.object))) return false;
    }
  }
  if (!selectorMatches(m['objectSelector'], labelsOf(req.object))) return false;
  return true;
}

/** Evaluates policies against objects as CREATE (or the given operation) requests. */
export class AdmissionEnvironment {
  readonly policies = new Map<string, CompiledPolicy>();
  readonly bindings: CompiledBinding[] = [];
  readonly mapper = new ResourceMapper();
  private readonly objects: Obj[];
  private readonly namespaces = new Map<string, Obj>();
  private readonly userInfo: UserInfo;
  private readonly authorize: Authorize | undefined;

  constructor(options: AdmissionEnvironmentOptions) {
    this.objects = options.objects ?? [];
    this.authorize = options.authorize;
    this.userInfo = options.userInfo ?? { username: 'bosun', groups: ['system:authenticated'] };
    for (const o of this.objects) {
      if (o['kind'] === 'CustomResourceDefinition') this.mapper.addCRD(o);
      if (o['kind'] === 'Namespace' && typeof obj(o['metadata'])?.['name'] === 'string') this.namespaces.set(obj(o['metadata'])!['name'] as string, o);
      const meta = obj(o['metadata']);
      if (typeof o['kind'] === 'string') this.mapper.observe(str(o['apiVersion']) ?? '', o['kind'], typeof meta?.['namespace'] === 'string');
    }
    for (const p of options.policies) {
      const compiled = compilePolicy(p);
      this.policies.set(compiled.name, compiled);
    }
    for (const b of options.bindings) this.bindings.push(compileBinding(b));
  }

  /** Configuration problems: compile errors and bindings naming a policy that is not loaded. */
  problems(): string[] {
    const out: string[] = [];
    for (const p of this.policies.values()) out.push(...p.errors);
    for (const b of this.bindings) {
      out.push(...b.errors);
      if (!this.policies.has(b.policyName)) out.push(`ValidatingAdmissionPolicyBinding "${b.name}" spec.policyName: policy "${b.policyName}" not found in the inputs`);
    }
    return out;
  }

  private namespaceObject(ns: string): Obj {
    return this.namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } };
  }

  /** Evaluates every binding against `object`. */
  admit(object: Obj, options: AdmissionRequestOptions = {}): AdmissionResult {
    const kind = str(object['kind']) ?? '';
    const apiVersion = str(object['apiVersion']) ?? '';
    const meta = obj(object['metadata']) ?? {};
    const res = this.mapper.resolve(apiVersion, kind);
    const namespace = res.namespaced ? (str(meta['namespace']) ?? 'default') : '';
    const req: RequestContext = {
      object,
      res,
      name: str(meta['name']) ?? '',
      namespace,
      operation: options.operation ?? 'CREATE',
      namespaceObject: res.namespaced ? this.namespaceObject(namespace) : null,
      variables: new Map(),
      matches: new Map(),
    };
    const result: AdmissionResult = { allowed: true, decisions: [], warnings: [], auditAnnotations: {} };
    if (EXEMPT_KINDS.has(kind) && splitApiVersion(apiVersion).group === 'admissionregistration.k8s.io') return result;
    const auditFailures: unknown[] = [];
    for (const binding of this.bindings) {
      const policy = this.policies.get(binding.policyName);
      if (policy === undefined) continue;
      if (!matchResources(policy.matchConstraints, req, true)) continue;
      if (binding.matchResources !== undefined && !matchResources(binding.matchResources, req, false)) continue;
      for (const d of this.evaluateBinding(policy, binding, req, options, result.auditAnnotations)) {
        result.decisions.push(d);
        const text = d.message;
        if (d.actions.includes('Deny') && result.allowed) {
          result.allowed = false;
          result.message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${text}`;
        }
        if (d.actions.includes('Warn')) result.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}': ${text}`);
        if (d.actions.includes('Audit')) {
          auditFailures.push({ message: text, policy: d.policy, binding: d.binding, expressionIndex: d.expressionIndex ?? 0, validationActions: d.actions });
        }
      }
    }
    if (auditFailures.length > 0) result.auditAnnotations['validation.policy.admission.k8s.io/validation_failure'] = JSON.stringify(auditFailures);
    return result;
  }

  /** The params objects for a binding, or a configuration error message. */
  private resolveParams(policy: CompiledPolicy, binding: CompiledBinding, req: RequestContext): { params: Array<Obj | null> } | { error: string } | { skip: true } {
    if (policy.paramKind === undefined) return { params: [null] };
    const ref = binding.paramRef;
    if (ref === undefined) return { params: [null] }; // no paramRef: params is null, as in the API server
    const pk = policy.paramKind;
    const paramRes = this.mapper.resolve(pk.apiVersion, pk.kind);
    let ns = ref.namespace;
    if (paramRes.namespaced && (ns === undefined || ns === '')) {
      if (!req.res.namespaced) return { error: 'failed to configure binding: cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
      ns = req.namespace;
    }
    const candidates = this.objects.filter((o) => {
      if (o['kind'] !== pk.kind || o['apiVersion'] !== pk.apiVersion) return false;
      const m = obj(o['metadata']) ?? {};
      if (paramRes.namespaced && (str(m['namespace']) ?? 'default') !== ns) return false;
      if (ref.name !== undefined && ref.name !== '') return m['name'] === ref.name;
      return selectorMatches(ref.selector ?? {}, labelsOf(o));
    });
    if (candidates.length > 0) return { params: candidates };
    if (ref.parameterNotFoundAction === 'Allow') return { skip: true };
    return { error: 'failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction' };
  }

  private evaluateBinding(policy: CompiledPolicy, binding: CompiledBinding, req: RequestContext, options: AdmissionRequestOptions, annotations: Record<string, string>): PolicyDecision[] {
    const base = { policy: policy.name, binding: binding.name, actions: binding.actions, severity: policy.severity };
    const resolved = this.resolveParams(policy, binding, req);
    if ('skip' in resolved) return [];
    if ('error' in resolved) return policy.failurePolicy === 'Fail' ? [{ ...base, message: resolved.error, type: 'configuration' }] : [];
    const out: PolicyDecision[] = [];
    for (const params of resolved.params) out.push(...this.evaluateWithParams(policy, binding, req, options, params, base, annotations));
    return out;
  }

  private evaluateWithParams(
    policy: CompiledPolicy,
    binding: CompiledBinding,
    req: RequestContext,
    options: AdmissionRequestOptions,
    params: Obj | null,
    base: Pick<PolicyDecision, 'policy' | 'binding' | 'actions' | 'severity'>,
    annotations: Record<string, string>,
  ): PolicyDecision[] {
    const activation = this.activation(policy, req, options, params);
    const failure = (expression: string, message: string, index?: number): PolicyDecision[] =>
      policy.failurePolicy === 'Fail' ? [{ ...base, message: `expression '${expression}' resulted in error: ${message}`, type: 'error', expressionIndex: index, expression }] : [];
    // matchConditions: any false skips the policy; otherwise the first error follows failurePolicy.
    for (const conditions of [policy.matchConditions, binding.matchConditions]) {
      let firstError: PolicyDecision[] | undefined;
      for (const c of conditions) {
        const r = run(c.expr, activation);
        if (r.ok && r.value === false) return [];
        if (!r.ok) firstError ??= failure(c.expr.source, r.error);
        else if (typeof r.value !== 'boolean') firstError ??= failure(c.expr.source, 'matchCondition must evaluate to bool');
      }
      if (firstError !== undefined) return firstError;
    }
    const out: PolicyDecision[] = [];
    policy.validations.forEach((v, index) => {
      const r = run(v.expr, activation);
      if (!r.ok) {
        out.push(...failure(v.expr.source, r.error, index));
        return;
      }
      if (r.value === true) return;
      if (r.value !== false) {
        out.push(...failure(v.expr.source, `validation failed due to an expression that did not evaluate to bool (got ${typeof r.value})`, index));
        return;
      }
      out.push({ ...base, message: validationMessage(v, activation), reason: v.reason ?? 'Invalid', type: 'validation', expressionIndex: index, expression: v.expr.source });
    });
    // auditAnnotations: "<policy>/<key>" for a non-empty string value; null adds nothing; errors follow failurePolicy.
    for (const a of policy.auditAnnotations) {
      const r = run(a.expr, activation);
      if (!r.ok) out.push(...failure(a.expr.source, r.error));
      else if (typeof r.value === 'string') {
        if (r.value !== '') annotations[`${policy.name}/${a.key}`] ??= r.value;
      } else if (r.value !== null) out.push(...failure(a.expr.source, `valueExpression must evaluate to a string or null, got ${typeof r.value}`));
    }
    return out;
  }

  private activation(policy: CompiledPolicy, req: RequestContext, options: AdmissionRequestOptions, params: Obj | null): Record<string, unknown> {
    const shared = (req.shared ??= this.sharedActivation(req, options));
    const act: Record<string, unknown> = {
      object: shared['object'],
      oldObject: shared['oldObject'],
      request: shared['request'],
      namespaceObject: shared['namespaceObject'],
      authorizer: shared['authorizer'],
      params: params === null ? null : this.converted(params),
      variables: undefined,
    };
    act['variables'] = policy.variables.length === 0 ? EMPTY_VARIABLES : lazyVariables(policy, act, req.variables, params === null ? 0 : this.paramsId(params));
    (act as { [BUDGET]?: { remaining: number } })[BUDGET] = { remaining: RUNTIME_BUDGET };
    return act;
  }

  private readonly conversions = new WeakMap<Obj, unknown>();
  private readonly paramIds = new WeakMap<Obj, number>();

  /** CEL form of a long-lived object (params, Namespaces), converted once. */
  private converted(o: Obj): unknown {
    let c = this.conversions.get(o);
    if (c === undefined) this.conversions.set(o, (c = toCel(o)));
    return c;
  }

  private nextParamsId = 1;

  private paramsId(o: Obj): number {
    let id = this.paramIds.get(o);
    if (id === undefined) this.paramIds.set(o, (id = this.nextParamsId++));
    return id;
  }

  private sharedActivation(req: RequestContext, options: AdmissionRequestOptions): Record<string, unknown> {
    const gvk = splitApiVersion(str(req.object['apiVersion']) ?? '');
    const request = {
      uid: '00000000-0000-0000-0000-000000000000',
      kind: { group: gvk.group, version: gvk.version, kind: str(req.object['kind']) ?? '' },
      resource: { group: req.res.group, version: req.res.version, resource: req.res.resource },
      requestKind: { group: gvk.group, version: gvk.version, kind: str(req.object['kind']) ?? '' },
      requestResource: { group: req.res.group, version: req.res.version, resource: req.res.resource },
      name: req.name,
      namespace: req.namespace,
      operation: req.operation,
      userInfo: { username: this.userInfo.username, uid: this.userInfo.uid ?? '', groups: this.userInfo.groups, extra: this.userInfo.extra ?? {} },
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: `${req.operation[0]}${req.operation.slice(1).toLowerCase()}Options` },
    };
    return {
      object: toCel(req.object),
      oldObject: options.oldObject === undefined || options.oldObject === null ? null : toCel(options.oldObject),
      request: toCel(request),
      namespaceObject: req.namespaceObject === null ? null : this.converted(req.namespaceObject),
      authorizer: new Authorizer(this.authorize, this.userInfo.username, this.userInfo.groups, {
        group: req.res.group,
        resource: req.res.resource,
        ...(req.namespace !== '' && { namespace: req.namespace }),
        ...(req.name !== '' && { name: req.name }),
      }),
    };
  }
}

/**
 * `variables.<name>`: evaluated on first use, errors wrapped as the apiserver's composition does.
 * A Proxy over a plain object (cel-js reads plain objects as maps), so nothing is defined per request.
 */
function lazyVariables(policy: CompiledPolicy, act: Record<string, unknown>, cache: RequestContext['variables'], paramsId: number): Obj {
  const index = (name: string | symbol): number => (typeof name === 'string' ? policy.variables.findIndex((v) => v.name === name) : -1);
  const value = (i: number): unknown => {
    const v = policy.variables[i]!;
    const key = policy.variableKeys[i]! + paramsId * 1_000_000;
    let r = cache.get(key);
    if (r === undefined) {
      r = run(v.expr, act);
      cache.set(key, r);
    }
    if (!r.ok) throw new CelError('eval', v.expr.source, `composited variable "${v.name}" fails to evaluate: ${r.error}`);
    return r.value;
  };
  return new Proxy({} as Obj, {
    get: (_t, name) => {
      const i = index(name);
      return i < 0 ? undefined : value(i);
    },
    has: (_t, name) => index(name) >= 0,
    getOwnPropertyDescriptor: (_t, name) => {
      const i = index(name);
      return i < 0 ? undefined : { configurable: true, enumerable: true, get: () => value(i) };
    },
    ownKeys: () => policy.variables.map((v) => v.name),
  });
}

/** Cost left for one policy evaluation (all its expressions for one request), as the API server budgets it; kept on the activation under a symbol no expression can name. */
const BUDGET = Symbol('bosun.costBudget');
const EMPTY_VARIABLES = Object.freeze({});

function run(expr: Expr, act: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: string } {
  if (expr.compiled === undefined) return { ok: false, error: expr.error ?? 'compilation failed' };
  const budget = (act as { [BUDGET]?: { remaining: number } })[BUDGET];
  if (budget !== undefined && budget.remaining <= 0) return { ok: false, error: 'validation failed due to running out of cost budget, no further validation rules will be run' };
  try {
    return { ok: true, value: expr.compiled.evaluate(act, { costLimit: Math.min(PER_CALL_LIMIT, budget?.remaining ?? PER_CALL_LIMIT) }) };
  } catch (err) {
    return { ok: false, error: celErrorText(err) };
  } finally {
    if (budget !== undefined) budget.remaining -= expr.compiled.lastCost;
  }
}

/** messageExpression (non-empty, one line, trimmed) → message (trimmed) → "failed expression: <expr>". */
function validationMessage(v: CompiledPolicy['validations'][number], act: Record<string, unknown>): string {
  if (v.messageExpr !== undefined) {
    const r = run(v.messageExpr, act);
    if (r.ok && typeof r.value === 'string') {
      const m = r.value.trim();
      if (m !== '' && !/[\r\n]/.test(m)) return m;
    }
  }
  const m = v.message?.trim();
  if (m !== undefined && m !== '') return m;
  return `failed expression: ${v.expr.source}`;
}
