/** The catalogue of every rule bosun knows: built-in manifest checks and Pod Security Standards checks. */
import { BUILTIN_CHECKS } from './checks/registry.ts';
import type { Check } from './checks/types.ts';
import type { FrameworkId } from './core/finding.ts';
import type { RuleMeta } from './core/rule.ts';
import { PSS_RULES } from './pss/index.ts';

export interface RuleInfo extends RuleMeta {
  /** False for opinionated checks that bosun.yaml must enable. */
  enabledByDefault: boolean;
  /** Defaults of the settings the rule reads (bosun.yaml `checks.settings`). */
  settings?: Record<string, unknown>;
  /** Union-table concepts (manifest checks only). */
  concepts?: readonly number[];
}

function fromCheck(c: Check): RuleInfo {
  const { run: _run, kinds: _kinds, alsoReports: _alsoReports, enabledByDefault, ...meta } = c;
  return { ...meta, enabledByDefault: enabledByDefault !== false };
}

/** Every rule, sorted by ID. */
export function allRules(): RuleInfo[] {
  const rules: RuleInfo[] = [...BUILTIN_CHECKS.map(fromCheck), ...PSS_RULES.map((r) => ({ ...r, enabledByDefault: true }))];
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function rulesByFramework(rules: readonly RuleInfo[], framework: FrameworkId): RuleInfo[] {
  return rules.filter((r) => (r.frameworks[framework]?.length ?? 0) > 0);
}

/** A rule by its bosun ID (case-insensitive) or by a peer alias (KSV-0017, CKV_K8S_16, C-0057 …). */
export function findRule(rules: readonly RuleInfo[], id: string): RuleInfo | undefined {
  const wanted = id.toLowerCase();
  return rules.find((r) => r.id.toLowerCase() === wanted) ?? rules.find((r) => r.aliases.some((a) => a.toLowerCase() === wanted));
}

export function ruleMap(rules: readonly RuleMeta[]): Map<string, RuleMeta> {
  return new Map(rules.map((r) => [r.id, r]));
}
