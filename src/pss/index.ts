/**
 * Pod Security Standards evaluator: Pod Security Admission's checks at every level and
 * version, as data (see registry.ts and checks/).
 */
import { BosunError } from '../core/errors.ts';
import type { RuleMeta } from '../core/rule.ts';
import { podView } from './pod.ts';
import { activeChecks, NEWEST_VERSION, PSS_CHECKS } from './registry.ts';
import type { PssLevel, PssPod, PssPolicy, PssViolation } from './types.ts';
export type { PssLevel, PssPod, PssPolicy, PssViolation } from './types.ts';
export { NEWEST_VERSION, PSS_CHECKS } from './registry.ts';

const LEVELS: readonly PssLevel[] = ['privileged', 'baseline', 'restricted'];
const VERSION = /^v1\.(0|[1-9]\d*)$/;

/**
 * Parses `baseline`, `restricted:v1.30`, `privileged:latest` … The version defaults to
 * `latest`; versions newer than the newest check version evaluate as latest.
 * Throws BosunError E_USAGE naming the bad value.
 */
export function parsePssPolicy(text: string): PssPolicy {
  const colon = text.indexOf(':');
  const level = colon < 0 ? text : text.slice(0, colon);
  const version = colon < 0 ? 'latest' : text.slice(colon + 1);
  if (!(LEVELS as readonly string[]).includes(level)) throw new BosunError('E_USAGE', `invalid Pod Security level ${JSON.stringify(level)} in ${JSON.stringify(text)}: expected privileged, baseline or restricted`);
  if (version !== 'latest' && !VERSION.test(version)) throw new BosunError('E_USAGE', `invalid Pod Security version ${JSON.stringify(version)} in ${JSON.stringify(text)}: expected latest or v1.N`);
  return { level: level as PssLevel, version };
}

/** The minor version a policy evaluates at: `latest` and newer versions clamp to NEWEST_VERSION. */
export function policyMinor(policy: PssPolicy): number {
  if (policy.version === 'latest') return NEWEST_VERSION;
  const m = VERSION.exec(policy.version);
  if (m === null) throw new BosunError('E_USAGE', `invalid Pod Security version ${JSON.stringify(policy.version)}: expected latest or v1.N`);
  return Math.min(Number(m[1]), NEWEST_VERSION);
}

const minorOf = new WeakMap<PssPolicy, number>();

/** Every violation of `policy` by `pod`, in check order (PSA semantics, one entry per failing check). */
export function evaluatePod(pod: PssPod, policy: PssPolicy): PssViolation[] {
  let minor = minorOf.get(policy);
  if (minor === undefined) minorOf.set(policy, (minor = policyMinor(policy)));
  const checks = activeChecks(policy.level, minor);
  const out: PssViolation[] = [];
  if (checks.length === 0) return out;
  const view = podView(pod);
  for (const active of checks) {
    if (active.exemptWindows && view.windows) continue;
    if (active.exemptUserNamespace && view.userNamespace) continue;
    const failure = active.variant.evaluate(view);
    if (failure === undefined) continue;
    const { check } = active;
    out.push({ checkId: check.id, level: check.level, reason: failure.reason ?? check.reason, detail: failure.detail, paths: failure.paths });
  }
  return out;
}

/** Rule metadata for every check: `pss/<checkId>`. */
export const PSS_RULES: readonly RuleMeta[] = PSS_CHECKS.map((c) => ({
  id: `pss/${c.id}`,
  title: c.rule.title,
  severity: c.rule.severity,
  description: c.rule.description,
  remediation: c.rule.remediation,
  fields: c.rule.fields,
  frameworks: c.rule.frameworks,
  aliases: c.rule.aliases,
  category: 'pss',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
}));
