/**
 * The licence policy: `licenses.deny` (IDs or globs) and `licenses.allow` from bosun.yaml. For
 * an SPDX expression, `A OR B` passes when either side passes and `A AND B` only when both do.
 * A denied licence is one `LICENSE-DENIED` finding per package, at its category's severity.
 */
import type { Finding } from '../../core/finding.ts';
import { matchesGlob } from '../../core/glob.ts';
import type { RuleMeta } from '../../core/rule.ts';
import type { ImageCheckContext } from '../checks.ts';
import type { LicensesConfig } from '../config.ts';
import { makeFinding } from '../findings.ts';
import type { Package } from '../types.ts';
import { CATEGORY_SEVERITY, classifyLicense, LICENSE_CATEGORIES } from './classify.ts';

export const LICENSE_DENIED: RuleMeta = {
  id: 'LICENSE-DENIED',
  title: 'Package under a denied licence',
  severity: 'high',
  description: 'A package is distributed under a licence the project\'s bosun.yaml denies (licenses.deny), or not under one it allows (licenses.allow). Severity follows the licence category: forbidden critical, restricted high, reciprocal medium, others low.',
  remediation: 'Replace the package, obtain another licence, or record the decision as a waiver with a reason.',
  fields: ['packages[*].licenses'],
  frameworks: {},
  aliases: [],
  category: 'license',
};

function idAllowed(id: string, policy: LicensesConfig): boolean {
  if ((policy.deny ?? []).some((g) => matchesGlob(g, id))) return false;
  if (policy.allow !== undefined) return policy.allow.some((g) => matchesGlob(g, id));
  return true;
}

/** Flat SPDX expressions (parentheses are treated as grouping of the same operators). */
export function expressionAllowed(expr: string, policy: LicensesConfig): { allowed: boolean; offending: string[] } {
  const alternatives = expr.replace(/[()]/g, ' ').split(/\s+OR\s+/);
  const offending: string[] = [];
  for (const alt of alternatives) {
    const ids = alt.split(/\s+AND\s+/).map((s) => s.trim().split(/\s+WITH\s+/)[0]!).filter((s) => s !== '');
    const bad = ids.filter((id) => !idAllowed(id, policy));
    if (bad.length === 0) return { allowed: true, offending: [] };
    offending.push(...bad);
  }
  return { allowed: false, offending: [...new Set(offending)] };
}

export function licenseFindings(ctx: ImageCheckContext, policy: LicensesConfig): Finding[] {
  if (policy.deny === undefined && policy.allow === undefined) return [];
  const out: Finding[] = [];
  for (const p of ctx.inventory.packages) {
    if ((policy.ignorePackages ?? []).some((g) => matchesGlob(g, p.name))) continue;
    if (p.licenses.length === 0 && policy.allow === undefined) continue;
    // A package under several licences (dpkg copyright paragraphs) needs every one of them.
    const denied: string[] = [];
    const offending = new Set<string>();
    for (const expr of p.licenses.length === 0 ? ['LicenseRef-unknown'] : p.licenses) {
      const r = expressionAllowed(expr, policy);
      if (r.allowed) continue;
      denied.push(expr);
      r.offending.forEach((o) => offending.add(o));
    }
    if (denied.length === 0) continue;
    const cats = [...offending].map(classifyLicense);
    const worst = LICENSE_CATEGORIES.find((c) => cats.includes(c)) ?? 'unknown';
    // An unclassified licence the policy names is still a decision to enforce: medium.
    const severity = worst === 'unknown' ? 'medium' : CATEGORY_SEVERITY[worst];
    out.push(makeFinding(LICENSE_DENIED, ctx.image, { package: p, path: p.path, ...(p.layer !== undefined && { layer: p.layer }) }, `${describe(p)} is licensed ${denied.join('; ')} (${worst}: ${[...offending].join(', ')} denied by bosun.yaml licenses)`, { severity }));
  }
  return out;
}

function describe(p: Package): string {
  return `${p.ecosystem} package ${p.name}@${p.version}`;
}

export { classifyLicense };
