/** Suppression: per-object annotations and waivers from bosun.yaml. Suppressed findings are kept, marked, and not gated. */
import type { ExpiredWaiver, Finding, Target } from './finding.ts';
import { targetFacets } from './finding.ts';
import { matchesGlob } from './glob.ts';
import type { Waiver } from '../config/types.ts';

export const IGNORE_ANNOTATION = 'bosun.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'bosun.dev/ignore-reason';

/** Rule globs listed in a `bosun.dev/ignore: "RULE-A, RULE-B"` annotation. */
export function parseIgnoreAnnotation(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A waiver is expired from its `expires` day on (compared as UTC dates). */
export function isExpired(w: Waiver, now: Date): boolean {
  if (w.expires === undefined) return false;
  return w.expires <= now.toISOString().slice(0, 10);
}

/**
 * The namespace a target lands in. An object that omits metadata.namespace is in the default
 * namespace, so `namespace: default` must cover it; the scanner knows the default and which
 * kinds are cluster-scoped, so it passes its own resolver.
 */
export type NamespaceOf = (target: Target) => string | undefined;

const ownNamespace: NamespaceOf = (t) => targetFacets(t).namespace;

/** Cluster-scoped targets have no namespace: only an omitted or `*` namespace glob covers them. */
export function waiverMatches(w: Waiver, f: Finding, namespaceOf: NamespaceOf = ownNamespace): boolean {
  if (!matchesGlob(w.rule, f.ruleId)) return false;
  const t = targetFacets(f.target);
  if (w.kind !== undefined && !matchesGlob(w.kind, t.kind)) return false;
  if (w.namespace !== undefined && !matchesGlob(w.namespace, namespaceOf(f.target) ?? '')) return false;
  if (w.name !== undefined && !matchesGlob(w.name, t.name)) return false;
  return true;
}

/**
 * Marks findings covered by a live waiver; returns the expired waivers (they suppress nothing,
 * and the report lists them so nobody believes they still hold).
 */
export function applyWaivers(findings: Finding[], waivers: readonly Waiver[], now: Date, source = 'bosun.yaml', namespaceOf: NamespaceOf = ownNamespace): ExpiredWaiver[] {
  const expired: ExpiredWaiver[] = [];
  const live: Waiver[] = [];
  for (const w of waivers) {
    if (isExpired(w, now)) expired.push({ rule: w.rule, reason: w.reason, expires: w.expires!, source });
    else live.push(w);
  }
  if (live.length === 0) return expired;
  for (const f of findings) {
    if (f.suppressed !== undefined) continue;
    const w = live.find((candidate) => waiverMatches(candidate, f, namespaceOf));
    if (w !== undefined) {
      f.suppressed = { by: 'config', reason: w.reason };
      if (w.expires !== undefined) f.suppressed.expires = w.expires;
    }
  }
  return expired;
}
