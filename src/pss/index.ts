// Placeholder until the evaluator lands: replaced by the real Pod Security Standards evaluator.
import type { RuleMeta } from '../core/rule.ts';
import type { PssPod, PssPolicy, PssViolation } from './types.ts';
export type { PssLevel, PssPod, PssPolicy, PssViolation } from './types.ts';

export function parsePssPolicy(text: string): PssPolicy {
  const [level, version] = text.split(':');
  return { level: level as PssPolicy['level'], version: version ?? 'latest' };
}

export function evaluatePod(_pod: PssPod, _policy: PssPolicy): PssViolation[] {
  return [];
}

export const PSS_RULES: readonly RuleMeta[] = [];
