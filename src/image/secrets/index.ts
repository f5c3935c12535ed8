/**
 * Secrets in images and directories: every file of every layer (persistent, so a secret deleted
 * by a later layer is still reported with the layer that added it), and the image config (ENV,
 * history `created_by`). Findings are `secret/<rule-id>` and never contain the value.
 */
import type { Finding } from '../../core/finding.ts';
import type { RuleMeta } from '../../core/rule.ts';
import type { Analyzer } from '../analyzers/types.ts';
import type { ImageCheckContext } from '../checks.ts';
import { makeFinding } from '../findings.ts';
import { compileSecretScanner, looksBinary, type SecretMatch, type SecretScanner } from './scanner.ts';
import type { SecretsConfig } from '../config.ts';
import { BUILTIN_SECRET_RULES } from './rules.ts';

export const SECRET_FRAMEWORKS = { 'nist-800-190': ['3.1.4', '4.1.4'] };

export function secretRuleMeta(rule: { id: string; title: string; severity: RuleMeta['severity']; category: string }): RuleMeta {
  return {
    id: `secret/${rule.id}`,
    title: rule.title,
    severity: rule.severity,
    description: `A ${rule.title} (${rule.category}) found in a file or the image configuration. Credentials baked into images are readable by anyone who can pull the image, in every layer that contains them.`,
    remediation: 'Revoke and rotate the credential, remove it from the image (a later layer deleting it is not enough: rebuild without it), and pass secrets at run time (mounted Secrets, a secret manager, BuildKit --secret).',
    fields: ['files in every layer', 'config.Env', 'history[*].created_by'],
    frameworks: SECRET_FRAMEWORKS,
    aliases: [rule.id],
    category: 'secret',
  };
}

export function builtinSecretRuleMetas(): RuleMeta[] {
  return BUILTIN_SECRET_RULES.map(secretRuleMeta);
}

export function secretAnalyzer(scanner: SecretScanner): Analyzer {
  return {
    name: 'secrets',
    version: 1,
    configKey: scanner.fingerprint,
    maxBytes: scanner.maxFileBytes,
    persistent: true,
    wants: (path, _mode, size) => size > 0 && size <= scanner.maxFileBytes && !scanner.allowed(path),
    analyze(file) {
      if (looksBinary(file.content)) return undefined;
      const matches = scanner.scan(file.content.toString('latin1'));
      return matches.length === 0 ? undefined : { extra: matches };
    },
  };
}

export function secretFindings(ctx: ImageCheckContext, scanner: SecretScanner): Finding[] {
  const out: Finding[] = [];
  const metas = new Map(scanner.rules.map((r) => [r.id, secretRuleMeta(r)]));
  const layers = ctx.source.layers;
  for (const r of ctx.walk.persistent) {
    if (r.analyzer !== 'secrets') continue;
    const layer = layers[r.layer]?.diffId ?? layers[r.layer]?.digest;
    for (const m of r.result.extra as SecretMatch[]) {
      const where = layer === undefined ? '' : ` (layer ${r.layer + 1}, ${layer.slice(0, 19)})`;
      out.push(makeFinding(metas.get(m.ruleId)!, ctx.image, { path: r.path, ...(layer !== undefined && { layer }), location: { file: r.path, line: m.line, column: m.column } }, `${m.title} in /${r.path}:${m.line}${where}: ${m.snippet}`, { key: `${r.layer}:${m.secretHash}` }));
    }
  }
  const config = ctx.source.config;
  if (config !== undefined) {
    const env = config.config?.Env ?? [];
    env.forEach((e, i) => {
      for (const m of scanner.scan(e)) out.push(makeFinding(metas.get(m.ruleId)!, ctx.image, {}, `${m.title} in the image config ENV: ${m.snippet}`, { fieldPath: `config.Env[${i}]`, key: m.secretHash }));
    });
    (config.history ?? []).forEach((h, i) => {
      for (const m of scanner.scan(h.created_by ?? '')) out.push(makeFinding(metas.get(m.ruleId)!, ctx.image, {}, `${m.title} in the image history (step ${i + 1}): ${m.snippet}`, { fieldPath: `history[${i}].created_by`, key: m.secretHash }));
    });
  }
  return out;
}

export { compileSecretScanner, type SecretsConfig };
