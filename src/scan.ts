/**
 * `scanManifests`: load → index → checks + Pod Security Standards → suppression → report.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import type { Finding, InputError, Location, Report, ResourceTarget, Severity } from './core/finding.ts';
import { SEVERITY_RANK, compareFindings, targetIdentity } from './core/finding.ts';
import { fingerprintOfIdentity } from './core/fingerprint.ts';
import type { RuleMeta } from './core/rule.ts';
import { matchesAnyGlob, pathGlobMatcher } from './core/glob.ts';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, applyWaivers, parseIgnoreAnnotation } from './core/suppress.ts';
import { BUILTIN_CHECKS } from './checks/registry.ts';
import type { Check, CheckContext } from './checks/types.ts';
import { validateCheckSettings } from './checks/settings.ts';
import { EMPTY_CONFIG, type BosunConfig } from './config/types.ts';
import { findConfigFile, loadConfigFile } from './config/load.ts';
import { loadManifests, type LoadResult, type ManifestInput } from './manifests/load.ts';
import { ManifestIndex } from './manifests/index-set.ts';
import { PathTexts, formatPath, type Path } from './manifests/path.ts';
import { Locator, resourceTarget, type Resource } from './manifests/resource.ts';
import { evaluatePod, parsePssPolicy, PSS_RULES, type PssPolicy } from './pss/index.ts';
import { VERSION } from './version.ts';
import { evaluatePolicySet, loadPolicySet, type PolicySet } from './policy/policy-set.ts';
import { tallyFindings } from './core/gate.ts';

export interface ScanOptions {
  /** Lowest severity that fails the gate (default `high`); `none` never fails. */
  failOn?: Severity | 'none';
  /** Evaluate every pod at this Pod Security Standards policy: `baseline`, `restricted:v1.30`, `restricted:latest`. */
  pss?: string;
  /**
   * bosun.yaml: a loaded config, a path to one, or `false` to use none. By default it is
   * found by walking up from the first input.
   */
  config?: BosunConfig | string | false;
  /** Namespace assumed for objects that omit one (default from config, else `default`). */
  defaultNamespace?: string;
  /** Replaces the built-in checks (for tests and embedders). */
  checks?: readonly Check[];
  /** "Today", for waiver expiry. */
  now?: Date;
  /** Largest input file accepted, in bytes. */
  maxFileBytes?: number;
  /** Read for the `-` input. */
  stdin?: NodeJS.ReadableStream;
  /** ValidatingAdmissionPolicy / bosun Rule files or directories (`--policy`), added to bosun.yaml `policies`. */
  policies?: readonly string[];
  /** Path globs, relative to the working directory, that directory walks leave out (`--skip`); added to bosun.yaml `exclude`. */
  exclude?: readonly string[];
  /** Already loaded policies (see loadPolicySet); replaces `policies`. */
  policySet?: PolicySet;
  /** Checks selected and grouped once (`prepareChecks`) for many scans under one config; replaces `checks`. */
  prepared?: PreparedChecks;
  /**
   * Leave out what only reports use: no `location` (line/column) and an empty `fingerprint`.
   * For callers that read rule, severity, field path and message only (the admission webhook).
   */
  lean?: boolean;
}

const NAMESPACE_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const NAMESPACE_ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** Scan Kubernetes manifests (files, directories, `-` for stdin, or in-memory documents). */
export async function scanManifests(inputs: readonly ManifestInput[], options: ScanOptions = {}): Promise<Report> {
  const config = await resolveConfig(inputs, options.config);
  const exclude = excludeFilter(config, options.exclude);
  const loaded = await loadManifests(inputs, { ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }), ...(options.stdin !== undefined && { stdin: options.stdin }), ...(exclude !== undefined && { exclude }) });
  const policyPaths = [...(config.policies ?? []).map((p) => resolve(config.source === undefined ? '.' : dirname(config.source), p)), ...(options.policies ?? [])];
  const policySet = options.policySet ?? (policyPaths.length > 0 ? await loadPolicySet(policyPaths) : undefined);
  return scanLoaded(loaded, config, { ...options, ...(policySet !== undefined && { policySet }) });
}

/** bosun.yaml `exclude` (relative to the file) and `--skip` globs (relative to the working directory) as one filter. */
function excludeFilter(config: BosunConfig, skip: readonly string[] | undefined): ((path: string) => boolean) | undefined {
  const rules: Array<{ base: string; match: (rel: string) => boolean }> = [];
  if (config.exclude !== undefined && config.exclude.length > 0) rules.push({ base: config.source === undefined ? process.cwd() : dirname(resolve(config.source)), match: pathGlobMatcher(config.exclude) });
  if (skip !== undefined && skip.length > 0) rules.push({ base: process.cwd(), match: pathGlobMatcher(skip) });
  if (rules.length === 0) return undefined;
  return (path) =>
    rules.some(({ base, match }) => {
      const rel = relative(base, path).split(sep).join('/');
      return rel !== '' && !rel.startsWith('../') && rel !== '..' && match(rel);
    });
}

async function resolveConfig(inputs: readonly ManifestInput[], given: ScanOptions['config']): Promise<BosunConfig> {
  if (given === false) return EMPTY_CONFIG;
  if (typeof given === 'object') return given;
  if (typeof given === 'string') return loadConfigFile(given);
  const first = inputs.find((i): i is string => typeof i === 'string' && i !== '-');
  const start = first === undefined ? process.cwd() : resolve(first);
  const found = await findConfigFile(first === undefined ? start : await dirOf(start));
  return found === undefined ? EMPTY_CONFIG : loadConfigFile(found);
}

async function dirOf(path: string): Promise<string> {
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(path)).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

/** Checks that run under this config: defaults, plus enabled opt-in ones, minus disabled. */
export function selectChecks(all: readonly Check[], config: BosunConfig): Check[] {
  const { enable, disable } = config.checks;
  return all.filter((c) => {
    if (matchesAnyGlob(disable, c.id)) return false;
    return c.enabledByDefault !== false || matchesAnyGlob(enable, c.id);
  });
}

/** Checks selected for a config and grouped by kind, reusable across scans under that config. */
export interface PreparedChecks {
  readonly byKind: ChecksByKind;
}

export function prepareChecks(config: BosunConfig, checks: readonly Check[] = BUILTIN_CHECKS): PreparedChecks {
  validateCheckSettings(config.checks.settings, checks === BUILTIN_CHECKS ? checks : [...BUILTIN_CHECKS, ...checks], config.source);
  return { byKind: groupByKind(selectChecks(checks, config)) };
}

export function scanLoaded(loaded: LoadResult, config: BosunConfig, options: ScanOptions = {}): Report {
  const index = new ManifestIndex(loaded.resources, options.defaultNamespace ?? config.defaultNamespace ?? 'default');
  const byKind = options.prepared?.byKind ?? groupByKind(selectChecks(options.checks ?? BUILTIN_CHECKS, config));
  const lean = options.lean === true;
  if (options.prepared === undefined) validateCheckSettings(config.checks.settings, options.checks === undefined ? BUILTIN_CHECKS : [...BUILTIN_CHECKS, ...options.checks], config.source);
  const settings = config.checks.settings ?? {};
  const severityOverrides = config.checks.severity ?? {};
  // The rules a platform team lets the per-object annotation suppress (bosun.yaml); undefined: all.
  const ignorable = config.checks.ignoreAnnotation;
  const pssSetting = options.pss ?? config.pss;
  const explicitPss = pssSetting === undefined ? undefined : parsePssPolicy(pssSetting);
  const namespacePss = namespacePolicies(index);
  const findings: Finding[] = [];
  // Text offsets of the current resource's findings (their location order), and whether the
  // findings so far are in report order.
  const offsets: number[] = [];
  let sorted = true;

  // One emit and one check context serve the whole scan, pointed at the resource being checked:
  // checks run millions of times per scan. Shared by a resource's findings: its target, the
  // target's identity, and the walk to the last path.
  let resource: Resource;
  let ignored: string[] = [];
  let target: ResourceTarget | undefined;
  let identity = '';
  let locator: Locator | undefined;
  const pathTexts = new PathTexts();
  const emit: Emit = (meta, path, message, severity, key) => {
    if (target === undefined) {
      target = resourceTarget(resource);
      identity = targetIdentity(target);
    }
    let fieldPath: string;
    let location: Location | undefined;
    if (lean) {
      fieldPath = formatPath(path);
      offsets.push(0);
    }
    else {
      locator ??= new Locator(resource, pathTexts);
      locator.go(path);
      fieldPath = locator.fieldPath();
      location = locator.location();
      offsets.push(locator.offset());
    }
    const finding: Finding = {
      ruleId: meta.id,
      severity: severityOverrides[meta.id] ?? severity ?? meta.severity,
      title: meta.title,
      message,
      target,
      location,
      fieldPath,
      remediation: meta.remediation,
      frameworks: meta.frameworks,
      aliases: meta.aliases,
      fingerprint: lean ? '' : fingerprintOfIdentity(meta.id, identity, fieldPath, key),
    };
    if (ignored.length > 0 && matchesAnyGlob(ignored, meta.id) && (ignorable === undefined || matchesAnyGlob(ignorable, meta.id))) {
      finding.suppressed = { by: 'annotation', reason: resource.annotations[IGNORE_REASON_ANNOTATION] ?? `${IGNORE_ANNOTATION} annotation` };
    }
    findings.push(finding);
  };
  const runChecks = checkRunner(byKind, index, settings, emit);

  for (const r of loaded.resources) {
    resource = r;
    const ignore = r.annotations[IGNORE_ANNOTATION];
    ignored = ignore === undefined ? [] : parseIgnoreAnnotation(ignore);
    target = undefined;
    locator = undefined;
    const first = findings.length;
    offsets.length = 0;
    runChecks(r);
    const policy = explicitPss ?? namespacePss.get(index.namespaceOf(r) ?? '');
    if (policy !== undefined && r.workload !== undefined) runPss(r, policy, emit);
    // Each resource's findings in report order now: resources come in file order, so the whole
    // list is usually sorted already and the final sort is only a check.
    sortResourceFindings(findings, offsets, first);
    if (first > 0 && first < findings.length && compareFindings(findings[first - 1]!, findings[first]!) > 0) sorted = false;
  }

  if (options.policySet !== undefined) {
    const evaluated = evaluatePolicySet(options.policySet, loaded.resources, index.defaultNamespace);
    for (const f of evaluated.findings) findings.push({ ...f, severity: severityOverrides[f.ruleId] ?? f.severity });
    if (evaluated.findings.length > 0) sorted = false;
    loaded = { ...loaded, errors: [...loaded.errors, ...evaluated.errors] };
  }

  const expiredWaivers = applyWaivers(findings, config.waivers, options.now ?? new Date(), config.source ?? 'bosun.yaml', (t) => (t.type === 'resource' ? index.namespaceOf(t) : undefined));
  if (!sorted) findings.sort(compareFindings);
  const failOn = options.failOn ?? config.failOn ?? 'high';
  return buildReport(findings, loaded, expiredWaivers, failOn);
}

/**
 * Puts the findings of one resource, findings[from…], in report order. They share a file, so
 * (line, column) order is text-offset order: `offsets[i - from]` holds each one's offset.
 * Insertion sort for the usual few findings; stable, like the final sort it stands in for.
 */
function sortResourceFindings(findings: Finding[], offsets: number[], from: number): void {
  const to = findings.length;
  if (to - from > 32) {
    const part = findings.slice(from).sort(compareFindings);
    for (let i = 0; i < part.length; i++) findings[from + i] = part[i]!;
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const f = findings[i]!;
    const at = offsets[i - from]!;
    let j = i - 1;
    while (j >= from && inResourceOrder(findings[j]!, offsets[j - from]!, f, at) > 0) {
      findings[j + 1] = findings[j]!;
      offsets[j + 1 - from] = offsets[j - from]!;
      j--;
    }
    findings[j + 1] = f;
    offsets[j + 1 - from] = at;
  }
}

/** compareFindings for two findings of one file, given their text offsets. */
function inResourceOrder(a: Finding, aOffset: number, b: Finding, bOffset: number): number {
  if (aOffset !== bOffset) return aOffset - bOffset;
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

type Emit = (meta: RuleMeta, path: Path, message: string, severity: Severity | undefined, key: string | undefined) => void;

interface ChecksByKind {
  all: Check[];
  workload: Check[];
  kinds: Map<string, Check[]>;
}

function groupByKind(checks: readonly Check[]): ChecksByKind {
  const out: ChecksByKind = { all: [], workload: [], kinds: new Map() };
  for (const c of checks) {
    if (c.kinds === 'all') out.all.push(c);
    else if (c.kinds === 'workload') out.workload.push(c);
    else
      for (const k of c.kinds) {
        let list = out.kinds.get(k);
        if (list === undefined) out.kinds.set(k, (list = []));
        list.push(c);
      }
  }
  return out;
}

/** Runs the checks that apply to a resource; one context for all resources and checks. */
function checkRunner(byKind: ChecksByKind, index: ManifestIndex, settings: Record<string, unknown>, emit: Emit): (resource: Resource) => void {
  let current: Check = byKind.all[0] ?? byKind.workload[0] ?? ({} as Check);
  const ctx: CheckContext = {
    resource: undefined as unknown as Resource,
    workload: undefined,
    index,
    setting: <T,>(name: string): T => (settings[name] ?? current.settings?.[name]) as T,
    report: (path, message, opts) => emit(current, path, message, opts?.severity, opts?.key),
  };
  const runAll = (checks: readonly Check[]): void => {
    for (const check of checks) {
      current = check;
      check.run(ctx);
    }
  };
  return (resource) => {
    ctx.resource = resource;
    ctx.workload = resource.workload;
    runAll(byKind.all);
    if (resource.workload !== undefined) runAll(byKind.workload);
    const specific = byKind.kinds.get(resource.kind);
    if (specific !== undefined) runAll(specific);
  };
}

const PSS_META = new Map<string, RuleMeta>();

function runPss(resource: Resource, policy: PssPolicy, emit: Emit): void {
  if (PSS_META.size === 0) for (const m of PSS_RULES) PSS_META.set(m.id, m);
  const w = resource.workload!;
  const violations = evaluatePod({ metadata: w.podMeta, spec: w.podSpec }, policy);
  for (const v of violations) {
    const meta = PSS_META.get(`pss/${v.checkId}`);
    if (meta === undefined) throw new Error(`no rule metadata for pss/${v.checkId}`);
    const message = `${v.reason} (${v.detail}) [PodSecurity "${policy.level}:${policy.version}"]`;
    const paths = v.paths.length > 0 ? v.paths : [['spec']];
    const first = paths[0]!;
    const mapped = first[0] === 'metadata' ? [...w.podMetaPath, ...first.slice(1)] : [...w.specPath, ...first.slice(1)];
    emit(meta, mapped, message, undefined, undefined);
  }
}

/** Namespaces in the input with a PSA enforce label: their pods are evaluated at that level/version. */
function namespacePolicies(index: ManifestIndex): Map<string, PssPolicy> {
  const out = new Map<string, PssPolicy>();
  for (const ns of index.ofKind('Namespace')) {
    const level = ns.labels[NAMESPACE_ENFORCE_LABEL];
    if (level === undefined || level === 'privileged') continue;
    const version = ns.labels[NAMESPACE_ENFORCE_VERSION_LABEL] ?? 'latest';
    try {
      out.set(ns.name, parsePssPolicy(`${level}:${version}`));
    } catch {
      // An invalid label is its own finding (namespace checks); PSA itself falls back to restricted:latest.
      out.set(ns.name, parsePssPolicy('restricted:latest'));
    }
  }
  return out;
}

function buildReport(findings: Finding[], loaded: LoadResult, expiredWaivers: Report['summary']['expiredWaivers'], failOn: Severity | 'none'): Report {
  const { bySeverity, suppressed, gateFailed } = tallyFindings(findings, failOn);
  const errors: InputError[] = loaded.errors;
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    findings,
    errors,
    summary: {
      resources: loaded.resources.length,
      skippedDocuments: loaded.skippedDocuments,
      files: loaded.files.length,
      findings: findings.length - suppressed,
      suppressed,
      bySeverity,
      errors: errors.length,
      expiredWaivers,
      failOn,
      gateFailed,
    },
  };
}
