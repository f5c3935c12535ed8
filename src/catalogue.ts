/**
 * The rule catalogue of every scanner, for `bosun rules list|explain`. Each scanner's metadata
 * is loaded on demand, so commands that need only the manifest rules stay fast.
 */
import type { RuleMeta } from './core/rule.ts';
import { allRules, type RuleInfo } from './rules.ts';

export const SCANNERS = ['manifest', 'image', 'rbac', 'netpol', 'dast'] as const;
export type Scanner = (typeof SCANNERS)[number];

const asInfo = (r: RuleMeta): RuleInfo => ({ ...r, enabledByDefault: true });

/** Rules of the given scanners (default: all), sorted by ID within each scanner. */
export async function catalogue(scanners: readonly Scanner[] = SCANNERS): Promise<RuleInfo[]> {
  const out: RuleInfo[] = [];
  for (const s of scanners) {
    const rules = await rulesOf(s);
    out.push(...rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }
  return out;
}

async function rulesOf(scanner: Scanner): Promise<RuleInfo[]> {
  switch (scanner) {
    case 'manifest':
      return allRules();
    case 'image':
      return (await import('./image/checks.ts')).imageRules().map(asInfo);
    case 'rbac':
      return (await import('./rbac/risks.ts')).RBAC_RULE_LIST.map(asInfo);
    case 'netpol':
      return (await import('./netpol/findings.ts')).NETPOL_RULE_LIST.map(asInfo);
    case 'dast':
      return (await import('./dast/rules/index.ts')).DAST_RULES.map((r) => asInfo(pickMeta(r)));
  }
}

/** Only the RuleMeta fields (DAST rules also carry their matcher functions). */
function pickMeta(r: RuleMeta): RuleMeta {
  const { id, title, severity, description, remediation, fields, frameworks, aliases, category, references } = r;
  return { id, title, severity, description, remediation, fields, frameworks, aliases, category, ...(references !== undefined && { references }) };
}
