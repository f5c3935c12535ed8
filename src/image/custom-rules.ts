/**
 * Custom image rules in bosun.yaml, written in CEL with the policy engine's Kubernetes
 * environment: `imageRules: [{ id, title, severity, when, message? }]`. `when` sees one variable,
 * `image`: `{ config, history, packages, os, layers }` (the OCI config's `config` object, the
 * history entries, the inventory, the OS, the layer count); a rule reports one finding when
 * `when` is true. Example: `image.packages.exists(p, p.name == "openssl" && p.version.startsWith("1."))`.
 */
import { z } from 'zod';
import { BosunError } from '../core/errors.ts';
import type { Finding } from '../core/finding.ts';
import { SEVERITIES } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';
import { compileCel, evaluateCel } from '../policy/cel.ts';
import type { ImageCheckContext } from './checks.ts';
import { makeFinding } from './findings.ts';

export const imageRulesConfigSchema = z
  .array(
    z.strictObject({
      id: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/, { error: 'upper-case letters, digits and dashes, e.g. IMG-NO-OPENSSL-1' }).describe('Rule ID, e.g. `IMG-NO-OPENSSL-1`.'),
      title: z.string().min(1).describe('Short, stable title.'),
      severity: z.enum(SEVERITIES).describe('Severity of a finding.'),
      when: z.string().min(1).describe('CEL expression over `image` ({config, history, packages, os, layers}); true reports a finding.'),
      message: z.string().min(1).describe('Message of the finding (default: the title).').optional(),
      remediation: z.string().min(1).describe('How to fix a finding of this rule.').optional(),
    }),
  )
  .describe('Custom image rules in CEL (image scans).');

export type ImageRuleConfig = z.infer<typeof imageRulesConfigSchema>[number];

export function customRuleMeta(r: ImageRuleConfig): RuleMeta {
  return { id: r.id, title: r.title, severity: r.severity, description: `Custom image rule: ${r.when}`, remediation: r.remediation ?? '', fields: ['image'], frameworks: {}, aliases: [], category: 'image-custom' };
}

/** Compiles every rule up front: a broken expression is a config error naming the rule. */
export function checkImageRules(rules: readonly ImageRuleConfig[]): void {
  for (const r of rules) {
    try {
      compileCel(r.when, ['image']);
    } catch (err) {
      throw new BosunError('E_CONFIG', `bosun.yaml: imageRules ${r.id}: ${(err as Error).message}`, { cause: err });
    }
  }
}

export function customRuleFindings(ctx: ImageCheckContext, rules: readonly ImageRuleConfig[]): Finding[] {
  if (rules.length === 0) return [];
  const config = ctx.source.config;
  const image = {
    config: config?.config ?? {},
    history: (config?.history ?? []).map((h) => ({ created_by: h.created_by ?? '', empty_layer: h.empty_layer === true, comment: h.comment ?? '' })),
    packages: ctx.inventory.packages.map((p) => ({ name: p.name, version: p.version, ecosystem: p.ecosystem, purl: p.purl, licenses: p.licenses, path: p.path })),
    os: ctx.inventory.os ?? { family: '', version: '' },
    layers: ctx.source.layers.length,
  };
  const out: Finding[] = [];
  for (const r of rules) {
    let hit: unknown;
    try {
      hit = evaluateCel(r.when, { image });
    } catch (err) {
      throw new BosunError('E_CONFIG', `bosun.yaml: imageRules ${r.id}: ${(err as Error).message}`, { cause: err });
    }
    if (hit === true) out.push(makeFinding(customRuleMeta(r), ctx.image, {}, r.message ?? r.title));
  }
  return out;
}
