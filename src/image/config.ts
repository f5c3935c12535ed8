/**
 * The image/fs sections of bosun.yaml: `secrets:` (disable built-in rules, add custom ones,
 * allow paths, file size cap) and `licenses:` (deny/allow lists of SPDX IDs or globs). The
 * schemas are part of the bosun.yaml schema (src/config/schema.ts); the sections are read here
 * from the file the shared loader validated.
 */
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { z } from 'zod';
import { SEVERITIES } from '../core/finding.ts';
import type { BosunConfig } from '../config/types.ts';
import { imageRulesConfigSchema, type ImageRuleConfig } from './custom-rules.ts';

export { imageRulesConfigSchema };

const regexString = z.string().min(1).refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, { error: 'not a valid regular expression' });

export const secretsConfigSchema = z
  .strictObject({
    disable: z.array(z.string().min(1)).describe('Built-in secret rule IDs or globs to turn off, e.g. `jwt-token`, `generic-*`.').optional(),
    rules: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'lower-case letters, digits and dashes' }).describe('Rule ID; findings are `secret/<id>`.'),
          title: z.string().min(1).describe('Short description of the credential.'),
          severity: z.enum(SEVERITIES).describe('Severity of a match.'),
          regex: regexString.describe('JavaScript regular expression; the first capture group, if any, is the secret.'),
          keywords: z.array(z.string().min(1)).describe('Case-insensitive strings a file must contain before the regex runs (speed).').optional(),
        }),
      )
      .describe('Custom secret rules.')
      .optional(),
    allowPaths: z.array(regexString).describe('Regular expressions on paths (relative, no leading /) never scanned for secrets.').optional(),
    maxFileBytes: z.number().int().positive().describe('Files larger than this are not scanned for secrets (default 10 MiB).').optional(),
  })
  .describe('Secret scanning of image layers, image configs and directories.');

export const licensesConfigSchema = z
  .strictObject({
    deny: z.array(z.string().min(1)).describe('SPDX licence IDs or globs whose packages are findings, e.g. `GPL-3.0-*`, `AGPL-*`.').optional(),
    allow: z.array(z.string().min(1)).describe('When set, any licence not matching one of these IDs or globs is a finding.').optional(),
    ignorePackages: z.array(z.string().min(1)).describe('Package names (globs) exempt from licence checks.').optional(),
  })
  .describe('Licence policy for image and filesystem scans.');

export type SecretsConfig = z.infer<typeof secretsConfigSchema>;
export type LicensesConfig = z.infer<typeof licensesConfigSchema>;

export interface ImageSettings {
  secrets: SecretsConfig;
  licenses: LicensesConfig;
  imageRules: ImageRuleConfig[];
}

/** The `secrets:`, `licenses:` and `imageRules:` sections of the config file (already validated by the loader). */
export function imageSettings(config: BosunConfig): ImageSettings {
  const extra = config as BosunConfig & Partial<ImageSettings>;
  if (extra.secrets !== undefined || extra.licenses !== undefined || extra.imageRules !== undefined) return { secrets: extra.secrets ?? {}, licenses: extra.licenses ?? {}, imageRules: extra.imageRules ?? [] };
  if (config.source === undefined) return { secrets: {}, licenses: {}, imageRules: [] };
  let doc: unknown;
  try {
    doc = jsyaml.load(readFileSync(config.source, 'utf8'));
  } catch {
    return { secrets: {}, licenses: {}, imageRules: [] };
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  return { secrets: secretsConfigSchema.parse(d['secrets'] ?? {}), licenses: licensesConfigSchema.parse(d['licenses'] ?? {}), imageRules: imageRulesConfigSchema.parse(d['imageRules'] ?? []) };
}
