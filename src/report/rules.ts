/** Rule metadata for the rules a report mentions. */
import type { Finding } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';

export type RuleSource = ReadonlyMap<string, RuleMeta> | readonly RuleMeta[];

export function toRuleMap(rules: RuleSource): ReadonlyMap<string, RuleMeta> {
  if (rules instanceof Map) return rules;
  return new Map((rules as readonly RuleMeta[]).map((r) => [r.id, r]));
}

/**
 * Every rule that appears in `findings`, sorted by ID. A rule missing from `known` (a scanner
 * that has no catalogue, e.g. vulnerability IDs) is described from its first finding.
 */
export function rulesOf(findings: readonly Finding[], known: ReadonlyMap<string, RuleMeta>): RuleMeta[] {
  const out = new Map<string, RuleMeta>();
  for (const f of findings) {
    if (out.has(f.ruleId)) continue;
    out.set(f.ruleId, known.get(f.ruleId) ?? ruleFromFinding(f));
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function ruleFromFinding(f: Finding): RuleMeta {
  return {
    id: f.ruleId,
    title: f.title,
    severity: f.severity,
    description: f.title,
    remediation: f.remediation ?? '',
    fields: [],
    frameworks: f.frameworks ?? {},
    aliases: f.aliases ?? [],
    category: 'other',
  };
}
