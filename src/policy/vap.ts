/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) evaluated offline, as kube-apiserver
 * evaluates a request: policy matchConstraints → binding matchResources → paramRef → matchConditions
 * → validations (with lazy variables) → auditAnnotations, with failurePolicy and validationActions.
 * Message formats follow the apiserver's validating dispatcher.
 */
import { BosunError } from '../core/errors.ts';
import { matchesSelector } from '../manifests/selector.ts';
import { compileCel, CelError, ROOT_CONTEXT, type CompileOptions, type CompiledCel } from './cel.ts';
import { toCel } from './values.ts';
import { ResourceMapper, splitApiVersion, type ResourceInfo } from './resources.ts';
import { Authorizer, type Authorize } from './authorizer.ts';
import { PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost.ts';
import { DEOPT, RAW_OBJECT, RAW_VALUES, RAW_VARIABLE, asRaw, lift } from './fastpath.ts';

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
  /** Variable name → index of its (first) definition. */
  variableIndex: Map<string, number>;
  /** matchConstraints prepared for matching (see matchResources). */
  matchPlan?: MatchPlan;
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

/** Options for every expression compiled by compilePolicy/compileBinding (tests compare fast and generic evaluation with it). */
let compileOptions: CompileOptions = {};

function compileExpr(source: string, where: string, errors: string[]): Expr {
  try {
    return { source, compiled: compileCel(source, VAP_VARIABLES, compileOptions) };
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
  compiled.variables.forEach((v, i) => {
    if (!compiled.variableIndex.has(v.name)) compiled.variableIndex.set(v.name, i);
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
    variableIndex: new Map(),
  };
}

export interface CompiledBinding {
  name: string;
  policyName: string;
  actions: ValidationAction[];
  paramRef?: { name?: string; namespace?: string; selector?: Obj; parameterNotFoundAction: 'Allow' | 'Deny' };
  matchResources?: Obj;
  matchPlan?: MatchPlan;
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
  /** How expressions are compiled (default: with fast paths and raw-mode evaluation); for comparing evaluations. */
  cel?: CompileOptions;
}

export interface AdmissionRequestOptions {
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  oldObject?: Obj | null;
  /** The request's subresource (`ephemeralcontainers`); rules match it as the API server's do. Default: none. */
  subResource?: string;
  /**
   * What a real AdmissionRequest carries (the webhook has one): its requester, dry-run flag, uid,
   * name and namespace. Defaults: the environment's userInfo, false, zeros, and the object's own.
   */
  userInfo?: UserInfo;
  dryRun?: boolean;
  uid?: string;
  name?: string;
  namespace?: string;
  /** Labels of the request's namespace as the cluster has them (for namespaceSelector and namespaceObject). */
  namespaceLabels?: Record<string, string>;
  /** The resource the API server resolved for the request (request.resource); default: the object's kind mapped to one. */
  resource?: { group: string; version: string; resource: string };
}

function celUserInfo(u: UserInfo): unknown {
  return toCel({ username: u.username, uid: u.uid ?? '', groups: u.groups, extra: u.extra ?? {} });
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

/**
 * A rule's `resources` entry against a resource and subresource, as the API server's rule matcher
 * reads it: split at the first `/`, each side `*` or exact. So `*` is every resource but no
 * subresource, and `pods/*` is pods itself as well as all its subresources.
 */
function resourceMatches(entry: string, resource: string, subResource: string): boolean {
  const slash = entry.indexOf('/');
  const res = slash === -1 ? entry : entry.slice(0, slash);
  const sub = slash === -1 ? '' : entry.slice(slash + 1);
  return (res === '*' || res === resource) && (sub === '*' || sub === subResource);
}

function ruleMatches(rule: Obj, res: ResourceInfo, subResource: string, name: string, operation: string, equivalent: boolean): boolean {
  const list = (k: string): string[] => arr(rule[k]).map(String);
  const has = (values: string[], v: string): boolean => values.includes('*') || values.includes(v);
  if (!has(list('operations'), operation)) return false;
  const resources = list('resources');
  if (!resources.some((r) => resourceMatches(r, res.resource, subResource))) return false;
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
  /** What the request is about: the object, or for a DELETE the old object (matching, names, kind). */
  object: Obj;
  /** The `object` variable: null for a DELETE. */
  given: Obj | null;
  res: ResourceInfo;
  /** `group/version/resource/namespaced/operation`: what rule decisions depend on (see matchResources). */
  ruleKey: string;
  subResource: string;
  name: string;
  namespace: string;
  operation: string;
  /** The Namespace objects in the inputs, by name (the environment's). */
  namespaces: Map<string, Obj>;
  /** The request's Namespace object (see namespaceObjectOf), once built. */
  nsObject?: Obj | null;
  options: AdmissionRequestOptions;
  /** CEL form of the object, converted once per request and shared by every binding. */
  celObject?: unknown;
  /** CEL form of `request`, built on first use. */
  celRequest?: unknown;
  /** Variable results shared by policies whose variable definitions (up to that variable) and params are identical: CEL is pure. */
  variables: Map<number, VariableSlot | CelError>;
  /** Activations by (variable group, params): every binding of a request with the same ones shares one. */
  activations?: Map<number, Activation>;
  /** The activation used last and its key (consecutive bindings usually share one). */
  lastActivation?: Activation;
  lastActivationKey?: number;
  /** The cost budget of the policy evaluation running now: lazy variables charge their cost to it. */
  budget: Budget;
  /** selector outcomes for this request, by matchConstraints / matchResources object. */
  selectorMatches?: Map<Obj, boolean>;
}

interface Budget {
  remaining: number;
}

interface Candidate {
  policy: CompiledPolicy;
  binding: CompiledBinding;
  match: boolean;
}

/** A failed evaluation (runtime or compile error), as run() returns it. */
class Failure {
  readonly error: string;
  constructor(error: string) {
    this.error = error;
  }
}

interface MatchPlan {
  equivalent: boolean;
  rules: Obj[];
  excludes: Obj[];
  /** The rules name objects (resourceNames): the rule decision depends on the name, not only on the resource. */
  byName: boolean;
  namespaceSelector: unknown;
  objectSelector: unknown;
  /** Rule decisions by RequestContext.ruleKey, for matchConstraints (rules required) and for binding matchResources. */
  required: Map<string, boolean>;
  optional: Map<string, boolean>;
}

const MATCH_PLANS = new WeakMap<Obj, MatchPlan>();

function matchPlan(m: Obj): MatchPlan {
  let plan = MATCH_PLANS.get(m);
  if (plan === undefined) {
    const rules = arr(m['resourceRules']).map((r) => obj(r) ?? {});
    const excludes = arr(m['excludeResourceRules']).map((r) => obj(r) ?? {});
    plan = {
      equivalent: m['matchPolicy'] !== 'Exact',
      rules,
      excludes,
      byName: [...rules, ...excludes].some((r) => arr(r['resourceNames']).length > 0),
      namespaceSelector: m['namespaceSelector'] ?? undefined,
      objectSelector: m['objectSelector'] ?? undefined,
      required: new Map(),
      optional: new Map(),
    };
    MATCH_PLANS.set(m, plan);
  }
  return plan;
}

function rulesMatch(plan: MatchPlan, req: RequestContext, requireRules: boolean): boolean {
  const matches = (r: Obj): boolean => ruleMatches(r, req.res, req.subResource, req.name, req.operation, plan.equivalent);
  return !((requireRules || plan.rules.length > 0) && !plan.rules.some(matches)) && !plan.excludes.some(matches);
}

/**
 * matchConstraints / matchResources: resourceRules, excludeResourceRules, namespaceSelector,
 * objectSelector. The rule part depends only on the resource and operation (and the name when a
 * rule lists resourceNames), so it is decided once per kind; selectors once per request.
 */
function matchResources(m: Obj | undefined, req: RequestContext, requireRules: boolean, holder: { matchPlan?: MatchPlan }): boolean {
  if (m === undefined) return !requireRules;
  const plan = (holder.matchPlan ??= matchPlan(m));
  let rules: boolean | undefined;
  if (plan.byName) rules = rulesMatch(plan, req, requireRules);
  else {
    const cache = requireRules ? plan.required : plan.optional;
    rules = cache.get(req.ruleKey);
    if (rules === undefined) {
      rules = rulesMatch(plan, req, requireRules);
      if (cache.size < 10_000) cache.set(req.ruleKey, rules);
    }
  }
  if (!rules) return false;
  if (plan.namespaceSelector === undefined && plan.objectSelector === undefined) return true;
  let r = req.selectorMatches?.get(m);
  if (r === undefined) (req.selectorMatches ??= new Map()).set(m, (r = selectorsMatch(plan, req)));
  return r;
}

function selectorsMatch(plan: MatchPlan, req: RequestContext): boolean {
  const nsSelector = plan.namespaceSelector;
  if (nsSelector !== undefined && nsSelector !== null) {
    if (req.res.namespaced) {
      if (!selectorMatches(nsSelector, labelsOf(namespaceObjectOf(req)))) return false;
    } else if (req.object['kind'] === 'Namespace' && req.res.group === '') {
      if (!selectorMatches(nsSelector, labelsOf(req.object))) return false;
    }
  }
  // On UPDATE the old object counts too, as in the API server: dropping the selected label in the
  // same update must not take an object out of the policy's reach.
  if (!selectorMatches(plan.objectSelector, labelsOf(req.object))) {
    const old = req.options.oldObject;
    if (old === undefined || old === null || !selectorMatches(plan.objectSelector, labelsOf(old))) return false;
  }
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
  /** userInfo in CEL form, shared by every request. */
  private readonly celUserInfo: unknown;

  constructor(options: AdmissionEnvironmentOptions) {
    this.objects = options.objects ?? [];
    this.authorize = options.authorize;
    this.userInfo = options.userInfo ?? { username: 'bosun', groups: ['system:authenticated'] };
    this.celUserInfo = celUserInfo(this.userInfo);
    for (const o of this.objects) {
      if (o['kind'] === 'CustomResourceDefinition') this.mapper.addCRD(o);
      if (o['kind'] === 'Namespace' && typeof obj(o['metadata'])?.['name'] === 'string') this.namespaces.set(obj(o['metadata'])!['name'] as string, o);
      const meta = obj(o['metadata']);
      if (typeof o['kind'] === 'string') this.mapper.observe(str(o['apiVersion']) ?? '', o['kind'], typeof meta?.['namespace'] === 'string');
    }
    compileOptions = options.cel ?? {};
    try {
      for (const p of options.policies) {
        const compiled = compilePolicy(p);
        this.policies.set(compiled.name, compiled);
      }
      for (const b of options.bindings) this.bindings.push(compileBinding(b));
    } finally {
      compileOptions = {};
    }
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

  /**
   * Evaluates every binding against `object`. A DELETE has no object (null, as the API server
   * gives it: expressions read `oldObject`); the old object then says what is being deleted.
   */
  admit(given: Obj | null, options: AdmissionRequestOptions = {}): AdmissionResult {
    const object = given ?? options.oldObject;
    if (object === null || object === undefined) throw new TypeError('admit: a request without object needs oldObject (DELETE)');
    const kind = str(object['kind']) ?? '';
    const apiVersion = str(object['apiVersion']) ?? '';
    const meta = obj(object['metadata']) ?? {};
    const operation = options.operation ?? 'CREATE';
    const subResource = options.subResource ?? '';
    let { res, ruleKey: resourceKey } = this.resolve(apiVersion, kind, operation);
    const known = options.resource;
    if (known !== undefined && known.resource !== '' && (known.resource !== res.resource || known.group !== res.group || known.version !== res.version)) {
      // The API server's own answer (a CRD's plural the mapper can only guess) decides what rules match.
      res = { group: known.group, version: known.version, resource: known.resource, namespaced: res.namespaced || (options.namespace ?? '') !== '' };
      resourceKey = `${res.group}/${res.version}/${res.resource}/${res.namespaced}/${operation}`;
    }
    const namespace = res.namespaced ? (options.namespace ?? str(meta['namespace']) ?? 'default') : '';
    const req: RequestContext = {
      object,
      given,
      res,
      ruleKey: subResource === '' ? resourceKey : `${resourceKey}/${subResource}`,
      subResource,
      name: options.name ?? str(meta['name']) ?? '',
      namespace,
      operation,
      namespaces: this.namespaces,
      options,
      variables: new Map(),
      budget: { remaining: RUNTIME_BUDGET },
    };
    const result: AdmissionResult = { allowed: true, decisions: [], warnings: [], auditAnnotations: {} };
    if (EXEMPT_KINDS.has(kind) && splitApiVersion(apiVersion).group === 'admissionregistration.k8s.io') return result;
    let auditFailures: unknown[] | undefined;
    for (const { policy, binding, match } of this.candidates(req)) {
      if (match) {
        if (!matchResources(policy.matchConstraints, req, true, policy)) continue;
        if (binding.matchResources !== undefined && !matchResources(binding.matchResources, req, false, binding)) continue;
      }
      const decisions = this.evaluateBinding(policy, binding, req, result.auditAnnotations);
      if (decisions === undefined) continue;
      for (const d of decisions) {
        result.decisions.push(d);
        const text = d.message;
        if (d.actions.includes('Deny') && result.allowed) {
          result.allowed = false;
          result.message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${text}`;
        }
        if (d.actions.includes('Warn')) result.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}': ${text}`);
        if (d.actions.includes('Audit')) {
          (auditFailures ??= []).push({ message: text, policy: d.policy, binding: d.binding, expressionIndex: d.expressionIndex ?? 0, validationActions: d.actions });
        }
      }
    }
    if (auditFailures !== undefined) result.auditAnnotations['validation.policy.admission.k8s.io/validation_failure'] = JSON.stringify(auditFailures);
    return result;
  }

  private byRule = new Map<string, Candidate[]>();
  private byRuleBindings = 0;
  private byRulePolicies = 0;

  /**
   * The bindings (with their policies) that may apply to the request, in order: those whose rules
   * do not match its resource and operation left out. `match`: matchResources still has to be
   * checked per request (selectors, or rules naming objects).
   */
  private candidates(req: RequestContext): Candidate[] {
    if (this.bindings.length !== this.byRuleBindings || this.policies.size !== this.byRulePolicies) {
      this.byRule.clear();
      this.byRuleBindings = this.bindings.length;
      this.byRulePolicies = this.policies.size;
    }
    let out = this.byRule.get(req.ruleKey);
    if (out !== undefined) return out;
    out = [];
    for (const binding of this.bindings) {
      const policy = this.policies.get(binding.policyName);
      if (policy === undefined) continue;
      const mc = policy.matchConstraints;
      const mr = binding.matchResources;
      if (mc === undefined) continue; // rules are required
      const pp = (policy.matchPlan ??= matchPlan(mc));
      const bp = mr === undefined ? undefined : (binding.matchPlan ??= matchPlan(mr));
      if (pp.byName || (bp?.byName ?? false)) {
        out.push({ policy, binding, match: true });
        continue;
      }
      if (!rulesMatch(pp, req, true) || (bp !== undefined && !rulesMatch(bp, req, false))) continue;
      const selectors = (p: MatchPlan | undefined): boolean => p !== undefined && (p.namespaceSelector !== undefined || p.objectSelector !== undefined);
      out.push({ policy, binding, match: selectors(pp) || selectors(bp) });
    }
    if (this.byRule.size < 10_000) this.byRule.set(req.ruleKey, out);
    return out;
  }

  /** The params objects for a binding, or a configuration error message. */
  private resolveParams(policy: CompiledPolicy, binding: CompiledBinding, req: RequestContext): { params: Obj[] } | { error: string } | { skip: true } | null {
    if (policy.paramKind === undefined) return null;
    const ref = binding.paramRef;
    if (ref === undefined) return null; // no paramRef: params is null, as in the API server
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

  /** The binding's decisions for this request; undefined when there are none. */
  private evaluateBinding(policy: CompiledPolicy, binding: CompiledBinding, req: RequestContext, annotations: Record<string, string>): PolicyDecision[] | undefined {
    const resolved = this.resolveParams(policy, binding, req);
    if (resolved === null) return this.evaluateWithParams(policy, binding, req, null, annotations);
    if ('skip' in resolved) return undefined;
    if ('error' in resolved) return policy.failurePolicy === 'Fail' ? [{ ...decisionBase(policy, binding), message: resolved.error, type: 'configuration' }] : undefined;
    let out: PolicyDecision[] | undefined;
    for (const params of resolved.params) {
      const d = this.evaluateWithParams(policy, binding, req, params, annotations);
      if (d !== undefined) (out ??= []).push(...d);
    }
    return out;
  }

  private evaluateWithParams(policy: CompiledPolicy, binding: CompiledBinding, req: RequestContext, params: Obj | null, annotations: Record<string, string>): PolicyDecision[] | undefined {
    const activation = this.activation(policy, req, params);
    // one policy evaluation at a time per request: its budget object is reused
    const budget = req.budget;
    budget.remaining = RUNTIME_BUDGET;
    // matchConditions: any false skips the policy; otherwise the first error follows failurePolicy.
    for (let pass = 0; pass < 2; pass++) {
      const conditions = pass === 0 ? policy.matchConditions : binding.matchConditions;
      let firstError: PolicyDecision[] | undefined;
      for (const c of conditions) {
        const r = run(c.expr, activation, budget);
        if (r === false) return undefined;
        if (r instanceof Failure) firstError ??= failure(policy, binding, c.expr.source, r.error);
        else if (typeof r !== 'boolean') firstError ??= failure(policy, binding, c.expr.source, 'matchCondition must evaluate to bool');
      }
      if (firstError !== undefined) return firstError.length === 0 ? undefined : firstError;
    }
    let out: PolicyDecision[] | undefined;
    const validations = policy.validations;
    for (let index = 0; index < validations.length; index++) {
      const v = validations[index]!;
      const r = run(v.expr, activation, budget);
      if (r === true) continue;
      if (r instanceof Failure) {
        (out ??= []).push(...failure(policy, binding, v.expr.source, r.error, index));
        continue;
      }
      if (r !== false) {
        (out ??= []).push(...failure(policy, binding, v.expr.source, `validation failed due to an expression that did not evaluate to bool (got ${typeof r})`, index));
        continue;
      }
      // (decisionBase's fields written out: a literal is much cheaper than a spread, and denials are common)
      (out ??= []).push({
        policy: policy.name,
        binding: binding.name,
        actions: binding.actions,
        severity: policy.severity,
        message: validationMessage(v, activation, budget),
        reason: v.reason ?? 'Invalid',
        type: 'validation',
        expressionIndex: index,
        expression: v.expr.source,
      });
    }
    // auditAnnotations: "<policy>/<key>" for a non-empty string value; null adds nothing; errors follow failurePolicy.
    for (const a of policy.auditAnnotations) {
      const r = run(a.expr, activation, budget);
      if (r instanceof Failure) (out ??= []).push(...failure(policy, binding, a.expr.source, r.error));
      else if (typeof r === 'string') {
        if (r !== '') annotations[`${policy.name}/${a.key}`] ??= r;
      } else if (r !== null) (out ??= []).push(...failure(policy, binding, a.expr.source, `valueExpression must evaluate to a string or null, got ${typeof r}`));
    }
    return out;
  }

  /** The variables of one evaluation: shared by every binding of the request with the same variable definitions and params. */
  private activation(policy: CompiledPolicy, req: RequestContext, params: Obj | null): Activation {
    const paramsId = params === null ? 0 : this.paramsId(params);
    const group = policy.variableKeys.length === 0 ? 0 : policy.variableKeys[policy.variableKeys.length - 1]!;
    const key = paramsId * 1_000_000 + group;
    if (req.lastActivation !== undefined && req.lastActivationKey === key) return req.lastActivation;
    let act = req.activations?.get(key);
    if (act === undefined) {
      act = new Activation(this, req, params === null ? null : this.converted(params));
      act.variables = policy.variables.length === 0 ? EMPTY_VARIABLES : lazyVariables(policy, act, req, paramsId);
      // the map is needed once a second activation exists (the last one is kept in lastActivation)
      if (req.lastActivation !== undefined) {
        req.activations ??= new Map([[req.lastActivationKey!, req.lastActivation]]);
        req.activations.set(key, act);
      }
    }
    req.lastActivation = act;
    req.lastActivationKey = key;
    return act;
  }

  private readonly conversions = new WeakMap<Obj, unknown>();
  private readonly paramIds = new WeakMap<Obj, number>();

  /** CEL form of a long-lived object (params, Namespaces), converted once. */
  converted(o: Obj): unknown {
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

  private readonly resolved = new Map<string, Map<string, Map<string, { res: ResourceInfo; ruleKey: string }>>>();

  /** The resource of a kind (the mapper's answer, fixed once the environment is built) and its rule-decision key, cached. */
  private resolve(apiVersion: string, kind: string, operation: string): { res: ResourceInfo; ruleKey: string } {
    let byKind = this.resolved.get(apiVersion);
    if (byKind === undefined) this.resolved.set(apiVersion, (byKind = new Map()));
    let byOperation = byKind.get(kind);
    if (byOperation === undefined) byKind.set(kind, (byOperation = new Map()));
    let r = byOperation.get(operation);
    if (r === undefined) {
      const res = this.mapper.resolve(apiVersion, kind);
      r = { res, ruleKey: `${res.group}/${res.version}/${res.resource}/${res.namespaced}/${operation}` };
      if (this.resolved.size < 1000 && byKind.size < 1000) byOperation.set(operation, r);
    }
    return r;
  }

  /** `request` (an AdmissionRequest) in CEL form. */
  celRequest(req: RequestContext): unknown {
    const gvk = splitApiVersion(str(req.object['apiVersion']) ?? '');
    const kind = { group: gvk.group, version: gvk.version, kind: str(req.object['kind']) ?? '' };
    const resource = { group: req.res.group, version: req.res.version, resource: req.res.resource };
    return {
      uid: req.options.uid ?? '00000000-0000-0000-0000-000000000000',
      kind,
      resource,
      requestKind: { ...kind },
      requestResource: { ...resource },
      subResource: req.subResource,
      requestSubResource: req.subResource,
      name: req.name,
      namespace: req.namespace,
      operation: req.operation,
      userInfo: req.options.userInfo === undefined ? this.celUserInfo : celUserInfo(req.options.userInfo),
      dryRun: req.options.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: `${req.operation[0]}${req.operation.slice(1).toLowerCase()}Options` },
    };
  }

  authorizerFor(req: RequestContext): Authorizer {
    const user = req.options.userInfo ?? this.userInfo;
    return new Authorizer(this.authorize, user.username, user.groups, {
      group: req.res.group,
      resource: req.res.resource,
      ...(req.subResource !== '' && { subresource: req.subResource }),
      ...(req.namespace !== '' && { namespace: req.namespace }),
      ...(req.name !== '' && { name: req.name }),
    });
  }
}

function decisionBase(policy: CompiledPolicy, binding: CompiledBinding): Pick<PolicyDecision, 'policy' | 'binding' | 'actions' | 'severity'> {
  return { policy: policy.name, binding: binding.name, actions: binding.actions, severity: policy.severity };
}

function failure(policy: CompiledPolicy, binding: CompiledBinding, expression: string, message: string, index?: number): PolicyDecision[] {
  return policy.failurePolicy === 'Fail'
    ? [{ ...decisionBase(policy, binding), message: `expression '${expression}' resulted in error: ${message}`, type: 'error', expressionIndex: index, expression }]
    : [];
}

/**
 * The activation of VAP expressions: what cel-js reads as the variables object, CEL forms built on
 * first use (`object` once per request for all bindings; `request`, `oldObject` and `authorizer`
 * only when an expression reads them). Its own fields are not CEL variables (only the declared
 * names compile), so they cannot be reached from an expression.
 */
class Activation {
  readonly #env: AdmissionEnvironment;
  readonly #req: RequestContext;
  #oldObject: unknown;
  #authorizer: Authorizer | undefined;
  readonly params: unknown;
  variables: unknown;
  /** (cel.ts keeps the root context here) */
  [ROOT_CONTEXT]: unknown = undefined;
  constructor(env: AdmissionEnvironment, req: RequestContext, params: unknown) {
    this.#env = env;
    this.#req = req;
    this.params = params;
  }
  get object(): unknown {
    const req = this.#req;
    if (req.given === null) return null;
    return req.celObject === undefined ? (req.celObject = toCel(req.given)) : req.celObject;
  }
  /** `object` unconverted, for raw-mode evaluation (fastpath.ts), which converts what it reads. */
  get [RAW_OBJECT](): unknown {
    return this.#req.given;
  }
  get oldObject(): unknown {
    const old = this.#req.options.oldObject;
    if (old === undefined || old === null) return null;
    return (this.#oldObject ??= toCel(old));
  }
  get request(): unknown {
    const req = this.#req;
    return (req.celRequest ??= toCel(this.#env.celRequest(req)));
  }
  get namespaceObject(): unknown {
    const ns = namespaceObjectOf(this.#req);
    return ns === null ? null : this.#env.converted(ns);
  }
  get authorizer(): Authorizer {
    return (this.#authorizer ??= this.#env.authorizerFor(this.#req));
  }
}

/**
 * `variables.<name>`: evaluated on first use (by any binding of the request with the same
 * definitions), errors wrapped as the apiserver's composition does. A Map whose get/has are the
 * lazy lookups: cel-js reads a Map as a CEL map, so nothing is copied. get/has are the same two
 * functions on every instance (per-instance closures there make V8 keep whole requests alive
 * across young-generation collections), the state is under a symbol.
 */
interface VariablesState {
  policy: CompiledPolicy;
  act: Activation;
  req: RequestContext;
  paramsId: number;
  values: Array<VariableSlot | CelError | undefined>;
  /** Raw-form values given out by lazyRaw, by name (raw-mode reads look here first). */
  raws: Record<string, unknown>;
}

/** A variable's value: raw-form (see fastpath.ts) when its expression ran in raw mode, with its CEL value made on first use. */
interface VariableSlot {
  value: unknown;
  raw: boolean;
  cel: unknown;
}

const STATE = Symbol('bosun.variables');
type LazyVariables = Map<string, unknown> & { [STATE]: VariablesState; [RAW_VARIABLE]: (name: string) => unknown; [RAW_VALUES]: Record<string, unknown> };

function lazyVariables(policy: CompiledPolicy, act: Activation, req: RequestContext, paramsId: number): Map<string, unknown> {
  const m = new Map<string, unknown>() as LazyVariables;
  const raws = Object.create(null) as Record<string, unknown>;
  m[STATE] = { policy, act, req, paramsId, values: new Array<VariableSlot | CelError | undefined>(policy.variables.length), raws };
  m.get = lazyGet;
  m.has = lazyHas;
  m[RAW_VARIABLE] = lazyRaw;
  m[RAW_VALUES] = raws;
  return m;
}

function slotOf(s: VariablesState, i: number): VariableSlot {
  const r = s.values[i] ?? computeVariable(s, i);
  if (r instanceof CelError) throw r;
  return r;
}

/** Index of the (first) definition of `name`, or -1 (a scan for the usual few variables). */
function variableAt(policy: CompiledPolicy, name: string): number {
  const vs = policy.variables;
  if (vs.length > 8) return policy.variableIndex.get(name) ?? -1;
  for (let i = 0; i < vs.length; i++) if (vs[i]!.name === name) return i;
  return -1;
}

function lazyGet(this: LazyVariables, name: string): unknown {
  const s = this[STATE];
  const i = variableAt(s.policy, name);
  if (i < 0) return undefined;
  const slot = slotOf(s, i);
  if (!slot.raw) return slot.value;
  return slot.cel === UNSET ? (slot.cel = lift(slot.value)) : slot.cel;
}

/** The variable in raw form, for raw-mode evaluation; an undefined one is left to the CEL-mode evaluation (its error). */
function lazyRaw(this: LazyVariables, name: string): unknown {
  const s = this[STATE];
  const i = variableAt(s.policy, name);
  if (i < 0) throw DEOPT;
  const slot = slotOf(s, i);
  const v = slot.raw ? slot.value : asRaw(slot.value);
  if (v !== undefined) s.raws[name] = v;
  return v;
}

function lazyHas(this: LazyVariables, name: string): boolean {
  return this[STATE].policy.variableIndex.has(name);
}

function computeVariable(s: VariablesState, i: number): VariableSlot | CelError {
  const v = s.policy.variables[i]!;
  const key = s.policy.variableKeys[i]! + s.paramsId * 1_000_000;
  let r = s.req.variables.get(key);
  if (r === undefined) {
    const value = run(v.expr, s.act, s.req.budget, true);
    r = value instanceof Failure ? new CelError('eval', v.expr.source, `composited variable "${v.name}" fails to evaluate: ${value.error}`) : { value, raw: lastRunRaw, cel: UNSET };
    s.req.variables.set(key, r);
  }
  return (s.values[i] = r);
}

const UNSET = Symbol('unset');
const EMPTY_VARIABLES = Object.freeze({});

/**
 * The Namespace object of a namespaced request: with the labels the request brings (the webhook's
 * copy of the cluster's), else from the inputs, else one with only its name label (as the API
 * server has it); null for cluster-scoped requests.
 */
function namespaceObjectOf(req: RequestContext): Obj | null {
  if (req.nsObject !== undefined) return req.nsObject;
  const ns = req.namespace;
  if (!req.res.namespaced) return (req.nsObject = null);
  const live = req.options.namespaceLabels;
  if (live !== undefined) return (req.nsObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...live, 'kubernetes.io/metadata.name': ns } } });
  return (req.nsObject = req.namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } });
}

/** Whether the last run(…, raw = true) value is raw-form. */
let lastRunRaw = false;

/** Evaluates `expr` (raw mode where it can, see fastpath.ts); `raw`: the value may be left raw-form (lastRunRaw says). */
function run(expr: Expr, act: Activation, budget: Budget, raw = false): unknown {
  lastRunRaw = false;
  if (expr.compiled === undefined) return new Failure(expr.error ?? 'compilation failed');
  if (budget.remaining <= 0) return new Failure('validation failed due to running out of cost budget, no further validation rules will be run');
  try {
    const r = expr.compiled.evaluateRawWithin(act as unknown as Record<string, unknown>, budget.remaining < PER_CALL_LIMIT ? budget.remaining : PER_CALL_LIMIT);
    lastRunRaw = false; // (the variables it computed set it)
    if (!expr.compiled.lastRaw) return r;
    if (raw) return (lastRunRaw = true), r;
    return lift(r);
  } catch (err) {
    lastRunRaw = false;
    return new Failure(celErrorText(err));
  } finally {
    budget.remaining -= expr.compiled.lastCost;
  }
}

/** messageExpression (non-empty, one line, trimmed) → message (trimmed) → "failed expression: <expr>". */
function validationMessage(v: CompiledPolicy['validations'][number], act: Activation, budget: Budget): string {
  if (v.messageExpr !== undefined) {
    const r = run(v.messageExpr, act, budget);
    if (typeof r === 'string') {
      const m = r.trim();
      if (m !== '' && !/[\r\n]/.test(m)) return m;
    }
  }
  const m = v.message?.trim();
  if (m !== undefined && m !== '') return m;
  return `failed expression: ${v.expr.source}`;
}
