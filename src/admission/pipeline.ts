/**
 * The decision pipeline of the webhook. `decide` reads as its steps:
 *
 *   admissibleWithoutEvaluation → objectUnderReview → [builtinsNotRejudged] evaluateChecksAndPss
 *   → evaluateImageSignatures → evaluatePolicies (bosun rules and VAP policies, pluggable; on every
 *   request they match) → applyModes → shapeResponse
 *
 * Built-in checks and Pod Security Standards run through the manifest scanner (`scanLoaded`)
 * on the object as decoded; this module only chooses the PSS level per namespace (bosun.yaml,
 * else the namespace's `pod-security.kubernetes.io/enforce` labels, else the default), maps each
 * violation to its mode (enforce / warn / audit / off) and shapes the AdmissionReview response.
 */
import type { Severity } from '../core/finding.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { prepareChecks, scanLoaded, type PreparedChecks } from '../scan.ts';
import { BUILTIN_CHECKS } from '../checks/registry.ts';
import type { Check } from '../checks/types.ts';
import { matchesGlob } from '../core/glob.ts';
import { asString, formatPath } from '../manifests/path.ts';
import { extractWorkload, WORKLOAD_KINDS, type Workload } from '../manifests/workload.ts';
import { clipWarning, type AdmissionRequest, type AdmissionResponse } from './review.ts';
import { isExempt, namespacePolicy, ruleMode, type AdmissionConfig, type NamespacePolicy, type RuleMode } from './config.ts';
import { loadedFromObject, hasDeletionTimestamp, jsonEqual, podSecurityView } from './object.ts';
import { SCAN_ATTESTATION_RULE, SIGNATURE_RULE, SignatureGate, type ImageVerifier, type SignatureCheck } from './signatures.ts';
import { pssFromLabels, type NamespaceLabels } from './namespaces.ts';

/** One rule violated by the object under review. */
export interface Violation {
  ruleId: string;
  severity: Severity;
  /** Offending field, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  fieldPath?: string;
  message: string;
}

/** Input to a policy evaluator (bosun rules, ValidatingAdmissionPolicies). */
export interface PolicyInput {
  request: AdmissionRequest;
  /** Null for a DELETE (oldObject is what is deleted). */
  object: Record<string, unknown> | null;
  oldObject: Record<string, unknown> | undefined;
  /** Labels of the request's namespace, when the webhook keeps a copy of the cluster's (`--namespace-labels`). */
  namespaceLabels?: Record<string, string>;
}

/**
 * The hook for "bosun rules and VAP policies": anything that maps a request to violations. Each
 * violation then goes through the same mode resolution (its default mode is `enforce`, or what
 * the evaluator returns in `mode`).
 */
export type PolicyEvaluator = (input: PolicyInput) => Violation[] | Promise<Array<Violation & { mode?: RuleMode }>>;

export interface PipelineOptions {
  admission: AdmissionConfig;
  /** bosun.yaml checks/waivers (waivers apply; per-object ignore annotations do not: a user could annotate their way in). */
  config?: BosunConfig;
  verifier?: ImageVerifier;
  policies?: PolicyEvaluator[];
  /** "Now", for the age of scan attestations (tests). */
  now?: () => Date;
  /** Labels of a namespace (for its Pod Security Standards labels); see namespaces.ts. */
  namespaceLabels?: NamespaceLabels;
}

export interface Decision {
  response: Omit<AdmissionResponse, 'uid'>;
  /** Rule IDs by mode, for metrics and logs. */
  enforced: string[];
  warned: string[];
  audited: string[];
  /** Why the object was not evaluated (or, with policies still run, not by the built-in checks), when it was not. */
  skipped?: string;
}

const ALLOW: Decision['response'] = { allowed: true };

export class AdmissionPipeline {
  readonly admission: AdmissionConfig;
  readonly signatures: SignatureGate;
  private readonly config: BosunConfig;
  /** Checks selected once per configuration (a reload builds a new pipeline). */
  private readonly checks: PreparedChecks;
  private readonly policies: PolicyEvaluator[];
  private readonly namespaceLabels: NamespaceLabels | undefined;

  constructor(options: PipelineOptions) {
    this.admission = options.admission;
    this.config = withAdmissionSettings(options.config ?? EMPTY_CONFIG, options.admission);
    this.checks = prepareChecks(this.config, checksWithModes(BUILTIN_CHECKS, this.config, (id, severity) => this.baseModeOfCheck(id, severity), options.admission));
    this.signatures = new SignatureGate(options.admission.images, options.verifier, options.now);
    this.policies = options.policies ?? [];
    this.namespaceLabels = options.namespaceLabels;
  }

  async decide(request: AdmissionRequest): Promise<Decision> {
    const skip = this.admissibleWithoutEvaluation(request);
    if (skip !== undefined) return { response: ALLOW, enforced: [], warned: [], audited: [], skipped: skip };
    if (request.operation === 'DELETE') return this.decideDelete(request);
    if (policiesOnly(request)) return this.decideByPolicies(request);
    if (request.object === undefined) return malformed(`request.object is missing for ${request.operation}`);
    const typed = typedObject(request);
    if (typeof typed === 'string') return malformed(typed);
    const { object, workload } = typed;
    const ns = namespacePolicy(this.admission, request.namespace);
    const builtinsSkipped = this.builtinsNotRejudged(request);
    const violations: Array<Violation & { mode: RuleMode }> = [];
    if (builtinsSkipped === undefined) {
      violations.push(...this.evaluateChecksAndPss(request, object, workload, ns));
      const signed = this.evaluateImageSignatures(workload, ns);
      for (const v of Array.isArray(signed) ? signed : await signed) violations.push(v);
    }
    // Policies run on every request they match, as the apiserver runs ValidatingAdmissionPolicies:
    // a rule on labels or replicas must not be escaped by an update that leaves the pod spec alone.
    await this.evaluatePolicies(request, object, ns, violations);
    const decision = shapeResponse(request, violations);
    return builtinsSkipped === undefined ? decision : { ...decision, skipped: builtinsSkipped };
  }

  /**
   * A DELETE is judged by the policies alone, as the apiserver judges it: no object, the old one
   * is what is deleted. The built-in checks judge what would run, and nothing will.
   */
  private async decideDelete(request: AdmissionRequest): Promise<Decision> {
    if (request.oldObject === undefined) return malformed('request.oldObject is missing for DELETE');
    const old = withKind(request.oldObject, request);
    if (typeof old === 'string') return malformed(old);
    const violations: Array<Violation & { mode: RuleMode }> = [];
    await this.evaluatePolicies({ ...request, oldObject: old }, null, namespacePolicy(this.admission, request.namespace), violations);
    return shapeResponse(request, violations);
  }

  /**
   * A CONNECT (exec, attach, port-forward: the object is its options) or a subresource other than
   * ephemeral containers (scale, status) is judged by the policies that match it, as the apiserver
   * judges it; the built-in checks judge objects that run.
   */
  private async decideByPolicies(request: AdmissionRequest): Promise<Decision> {
    if (request.object === undefined) return malformed(`request.object is missing for ${request.operation}`);
    const object = withKind(request.object, request);
    if (typeof object === 'string') return malformed(object);
    const violations: Array<Violation & { mode: RuleMode }> = [];
    await this.evaluatePolicies(request, object, namespacePolicy(this.admission, request.namespace), violations);
    return shapeResponse(request, violations);
  }

  /** Requests the webhook admits as they are: nothing to evaluate, or nothing bosun may judge. */
  private admissibleWithoutEvaluation(request: AdmissionRequest): string | undefined {
    if (this.policies.length === 0) {
      if (request.operation === 'CONNECT' || request.operation === 'DELETE') return `${request.operation} is not evaluated`;
      if (policiesOnly(request)) return `subresource ${request.subResource} is not evaluated`;
    }
    if (isExempt(this.admission, request.namespace)) return `namespace ${request.namespace} is exempt`;
    if (namespacePolicy(this.admission, request.namespace)?.mode === 'off') return `namespace ${request.namespace} is off`;
    return undefined;
  }

  /**
   * Updates the built-in checks, Pod Security Standards and image rules do not judge again (the
   * reason), as Pod Security Admission does not: nothing they read changed, so tightening the
   * policy never blocks routine operations on running workloads.
   */
  private builtinsNotRejudged(request: AdmissionRequest): string | undefined {
    if (request.operation !== 'UPDATE' || request.object === undefined) return undefined;
    // An object already being deleted only loses finalizers; blocking that would wedge the deletion.
    if (hasDeletionTimestamp(request.oldObject)) return 'object is being deleted';
    if (request.subResource !== '') return undefined;
    const now = podSecurityView(request.object);
    if (now !== undefined && jsonEqual(now, podSecurityView(request.oldObject))) return 'pod spec unchanged';
    return undefined;
  }

  private evaluateChecksAndPss(request: AdmissionRequest, object: Record<string, unknown>, workload: Workload | undefined, ns: NamespacePolicy | undefined): Array<Violation & { mode: RuleMode }> {
    const withNamespace = fillNamespace(object, request.namespace);
    // The workload found on `object` serves the copy too, unless its pod metadata is the metadata just replaced (a Pod).
    const loaded = loadedFromObject(`admission:${request.uid}`, withNamespace, withNamespace === object || request.kind.kind !== 'Pod' ? workload : undefined);
    // bosun.yaml's namespace entry, else the namespace's own PSA labels, else the default.
    const pss = ns?.pss ?? pssFromLabels(this.namespaceLabels?.(request.namespace)) ?? this.admission.pss;
    // Findings here need rule, severity, field path and message: no line/column, no fingerprint.
    const report = scanLoaded(loaded, this.config, { pss, failOn: 'none', defaultNamespace: request.namespace || 'default', prepared: this.checks, lean: true });
    const out: Array<Violation & { mode: RuleMode }> = [];
    for (const f of report.findings) {
      if (f.suppressed !== undefined && f.suppressed.by !== 'annotation') continue;
      const base = f.ruleId.startsWith('pss/') ? this.admission.pssMode : this.baseModeOfCheck(f.ruleId, f.severity);
      const mode = ruleMode(this.admission, ns, f.ruleId, base);
      if (mode === 'off') continue;
      out.push({ ruleId: f.ruleId, severity: f.severity, ...(f.fieldPath !== undefined && { fieldPath: f.fieldPath }), message: f.message, mode });
    }
    return out;
  }

  private baseModeOfCheck(ruleId: string, severity: Severity): RuleMode {
    const images = this.admission.images;
    if (ruleId === 'K8S-IMAGE-NOT-PINNED-BY-DIGEST' && images.requireDigest === true) return 'enforce';
    if (ruleId === 'K8S-IMAGE-REGISTRY-NOT-ALLOWED' && (images.allowedRegistries?.length ?? 0) > 0) return 'enforce';
    return this.admission.severityModes[severity];
  }

  /** Synchronous when every image is answered from the cache; a promise when the registry is asked. */
  private evaluateImageSignatures(workload: Workload | undefined, ns: NamespacePolicy | undefined): Array<Violation & { mode: RuleMode }> | Promise<Array<Violation & { mode: RuleMode }>> {
    if (!this.signatures.active) return [];
    const mode = ruleMode(this.admission, ns, SIGNATURE_RULE, 'enforce');
    if (mode === 'off') return [];
    if (workload === undefined) return [];
    // Each distinct image once, with the first container that names it (its field path is only formatted for a violation).
    const images: string[] = [];
    const containers: Workload['containers'] = [];
    for (const c of workload.containers) {
      const image = asString(c.container['image']);
      if (image !== undefined && !images.includes(image)) {
        images.push(image);
        containers.push(c);
      }
    }
    const checked = this.signatures.check(images);
    if (Array.isArray(checked)) return this.signatureViolations(checked, images, containers, mode, ns);
    return checked.then((results) => this.signatureViolations(results, images, containers, mode, ns));
  }

  private signatureViolations(results: readonly SignatureCheck[], images: readonly string[], containers: Workload['containers'], mode: RuleMode, ns: NamespacePolicy | undefined): Array<Violation & { mode: RuleMode }> {
    if (results.every((r) => r.problem === undefined)) return [];
    const fieldPaths = new Map(images.map((image, i) => [image, formatPath([...containers[i]!.path, 'image'])]));
    const out: Array<Violation & { mode: RuleMode }> = [];
    for (const r of results) {
      if (r.problem === undefined) continue;
      if (r.unavailable === true && this.admission.images.onRegistryError === 'allow') {
        out.push({ ruleId: SIGNATURE_RULE, severity: 'high', fieldPath: fieldPaths.get(r.image)!, message: `image "${r.image}" admitted unverified (onRegistryError: allow): ${r.problem}`, mode: mode === 'enforce' ? 'warn' : mode });
        continue;
      }
      if (r.rule === SCAN_ATTESTATION_RULE) {
        const scanMode = ruleMode(this.admission, ns, SCAN_ATTESTATION_RULE, 'enforce');
        if (scanMode !== 'off') out.push({ ruleId: SCAN_ATTESTATION_RULE, severity: 'high', fieldPath: fieldPaths.get(r.image)!, message: `image "${r.image}" has no acceptable scan attestation: ${r.problem}`, mode: scanMode });
        continue;
      }
      out.push({ ruleId: SIGNATURE_RULE, severity: 'critical', fieldPath: fieldPaths.get(r.image)!, message: `image "${r.image}" has no valid signature by a trusted signer: ${r.problem}`, mode });
    }
    return out;
  }

  /** Appends the policy evaluators' violations to `out`; awaits only evaluators that return a promise. */
  private async evaluatePolicies(request: AdmissionRequest, object: Record<string, unknown> | null, ns: NamespacePolicy | undefined, out: Array<Violation & { mode: RuleMode }>): Promise<void> {
    for (const evaluate of this.policies) {
      const labels = request.namespace === '' ? undefined : this.namespaceLabels?.(request.namespace);
      const found = evaluate({ request, object, oldObject: request.oldObject, ...(labels !== undefined && { namespaceLabels: labels }) });
      for (const v of Array.isArray(found) ? found : await found) {
        const mode = ruleMode(this.admission, ns, v.ruleId, (v as { mode?: RuleMode }).mode ?? 'enforce');
        if (mode !== 'off') out.push({ ...v, mode });
      }
    }
  }
}

/**
 * The checks that can produce a finding whose mode is not `off` under this configuration. A
 * finding's mode comes from its severity unless a per-rule entry (global or in any namespace)
 * names the rule, and a namespace `mode` only lowers it; so a check whose every possible
 * severity (its own, what it `alsoReports`, or the bosun.yaml override) maps to off would only
 * produce findings that are dropped. Not running those is most of the work saved per review.
 */
export function checksWithModes(checks: readonly Check[], config: BosunConfig, baseMode: (ruleId: string, severity: Severity) => RuleMode, admission: AdmissionConfig): Check[] {
  const named = [...Object.keys(admission.rules), ...admission.namespaces.flatMap((n) => Object.keys(n.rules ?? {}))];
  return checks.filter((c) => {
    if (named.some((pattern) => matchesGlob(pattern, c.id))) return true;
    const override = config.checks.severity?.[c.id];
    const severities = override !== undefined ? [override] : [c.severity, ...(c.alsoReports ?? [])];
    return severities.some((s) => baseMode(c.id, s) !== 'off');
  });
}

/** bosun.yaml plus what the admission section implies for the built-in image checks. */
function withAdmissionSettings(config: BosunConfig, admission: AdmissionConfig): BosunConfig {
  const allowed = admission.images.allowedRegistries;
  if (allowed === undefined || allowed.length === 0) return config;
  return { ...config, checks: { ...config.checks, settings: { ...config.checks.settings, allowedRegistries: allowed } } };
}

/**
 * The object with apiVersion/kind filled from `request.kind` when it omits them (hand-made
 * requests do; the apiserver always sends them), or why it cannot be evaluated: a kind other
 * than the request's, or a pod-bearing object without containers (the apiserver's own
 * validation would have refused it before a validating webhook sees it).
 */
function typedObject(request: AdmissionRequest): { object: Record<string, unknown>; workload: Workload | undefined } | string {
  const typed = withKind(request.object!, request);
  if (typeof typed === 'string') return typed;
  const kind = request.kind.kind;
  const workload = extractWorkload(kind, typed);
  if (workload === undefined && isPodBearing(kind)) return `request.object has no pod spec`;
  if (workload !== undefined && !Array.isArray(workload.podSpec['containers'])) return `request.object has no containers in its pod spec`;
  return { object: typed, workload };
}

/** Requests only policies judge: CONNECT, and subresources other than ephemeral containers. */
function policiesOnly(request: AdmissionRequest): boolean {
  return request.operation === 'CONNECT' || (request.subResource !== '' && request.subResource !== 'ephemeralcontainers');
}

/** The object with apiVersion/kind from `request.kind` when it omits them, or why it cannot be the request's. */
function withKind(object: Record<string, unknown>, request: AdmissionRequest): Record<string, unknown> | string {
  const { group, version, kind } = request.kind;
  const ownKind = asString(object['kind']);
  if (ownKind !== undefined && ownKind !== kind) return `request.object is a ${ownKind}, but request.kind is ${kind}`;
  return ownKind !== undefined && asString(object['apiVersion']) !== undefined ? object : { ...object, apiVersion: group === '' ? version : `${group}/${version}`, kind };
}

function isPodBearing(kind: string): boolean {
  return WORKLOAD_KINDS.includes(kind);
}

/** Objects in a namespaced request often omit metadata.namespace (the apiserver fills it later). */
function fillNamespace(object: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const meta = object['metadata'];
  if (namespace === '' || (typeof meta === 'object' && meta !== null && typeof (meta as Record<string, unknown>)['namespace'] === 'string')) return object;
  return { ...object, metadata: { ...(meta as Record<string, unknown> | undefined), namespace } };
}

function malformed(message: string): Decision {
  return { response: { allowed: false, status: { code: 400, message: `bosun: ${message}`, reason: 'BadRequest' } }, enforced: [], warned: [], audited: [], skipped: message };
}

function describe(v: Violation): string {
  return v.fieldPath === undefined ? `${v.ruleId}: ${v.message}` : `${v.ruleId} at ${v.fieldPath}: ${v.message}`;
}

/** Key for auditAnnotations: the apiserver prefixes it with the webhook name, so it must be a bare label name. */
export function auditKey(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 63) || 'violation';
}

function shapeResponse(request: AdmissionRequest, violations: ReadonlyArray<Violation & { mode: RuleMode }>): Decision {
  if (violations.length === 0) return { response: ALLOW, enforced: [], warned: [], audited: [] };
  const enforce = violations.filter((v) => v.mode === 'enforce');
  const warn = violations.filter((v) => v.mode === 'warn');
  const audit = violations.filter((v) => v.mode === 'audit');
  const response: Decision['response'] = { allowed: enforce.length === 0 };
  if (enforce.length > 0) {
    const meta = (request.object?.['metadata'] ?? {}) as Record<string, unknown>;
    const name = request.name || asString(meta['name']) || asString(meta['generateName']) || '<unnamed>';
    const what = `${asString(request.object?.['kind']) ?? request.kind.kind} ${request.namespace === '' ? '' : `${request.namespace}/`}${name}`;
    response.status = { code: 403, reason: 'Forbidden', message: `bosun denied ${what}: ${enforce.map(describe).join('; ')}` };
  }
  if (warn.length > 0) response.warnings = warn.map((v) => clipWarning(`${v.ruleId}${v.fieldPath === undefined ? '' : ` ${v.fieldPath}`}: ${v.message}`));
  if (audit.length > 0) {
    const annotations: Record<string, string> = {};
    for (const v of audit) {
      const key = auditKey(v.ruleId);
      annotations[key] = annotations[key] === undefined ? describe(v) : `${annotations[key]}; ${describe(v)}`;
    }
    response.auditAnnotations = annotations;
  }
  const ids = (list: ReadonlyArray<Violation>): string[] => [...new Set(list.map((v) => v.ruleId))];
  return { response, enforced: ids(enforce), warned: ids(warn), audited: ids(audit) };
}
