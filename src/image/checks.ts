/** The checks an image or directory scan runs over its inventory, config and files: secrets, hardening, licences. */
import type { BosunConfig } from '../config/types.ts';
import type { Finding } from '../core/finding.ts';
import { matchesGlob } from '../core/glob.ts';
import type { RuleMeta } from '../core/rule.ts';
import type { Analyzer } from './analyzers/types.ts';
import { imageSettings } from './config.ts';
import { hardeningFindings, IMAGE_CHECKS, packageCacheAnalyzer } from './hardening/index.ts';
import { passwdAnalyzer } from './hardening/image-user.ts';
import type { Inventory } from './inventory.ts';
import { LICENSE_DENIED, licenseFindings } from './licenses/index.ts';
import type { ImageMetadata } from './report.ts';
import { builtinSecretRuleMetas, compileSecretScanner, secretAnalyzer, secretFindings } from './secrets/index.ts';
import type { ImageSource } from './sources/types.ts';
import type { WalkResult } from './walker.ts';
import { checkImageRules, customRuleFindings } from './custom-rules.ts';

export interface ImageCheckContext {
  config: BosunConfig;
  scanners: Set<string>;
  source: ImageSource;
  image: ImageMetadata;
  inventory: Inventory;
  walk: WalkResult;
}

export interface ImageCheckSet {
  /** Extra analyzers the checks need during the walk (secret scanner, cache sizes). */
  analyzers: Analyzer[];
  run(ctx: ImageCheckContext): Finding[];
}

export function imageChecks(base: { config: BosunConfig; scanners: Set<string>; target?: 'image' | 'filesystem' }): ImageCheckSet {
  const settings = imageSettings(base.config);
  const disabled = base.config.checks.disable ?? [];
  const enabled = (id: string) => !disabled.some((g) => matchesGlob(g, id));
  const overrides = base.config.checks.severity ?? {};
  const scanner = base.scanners.has('secret') ? compileSecretScanner(settings.secrets) : undefined;
  const hardening = base.scanners.has('hardening') && base.target !== 'filesystem';
  const custom = hardening ? settings.imageRules : [];
  checkImageRules(custom);
  const analyzers: Analyzer[] = [];
  if (scanner !== undefined) analyzers.push(secretAnalyzer(scanner));
  if (hardening) analyzers.push(packageCacheAnalyzer, passwdAnalyzer);
  return {
    analyzers,
    run(ctx) {
      const findings: Finding[] = [];
      if (scanner !== undefined) findings.push(...secretFindings(ctx, scanner));
      if (hardening) findings.push(...hardeningFindings(ctx, enabled), ...customRuleFindings(ctx, custom));
      if (base.scanners.has('license')) findings.push(...licenseFindings(ctx, settings.licenses));
      const kept = findings.filter((f) => enabled(f.ruleId));
      for (const f of kept) {
        const o = overrides[f.ruleId];
        if (o !== undefined) f.severity = o;
      }
      return kept;
    },
  };
}

/** Metadata of every rule an image or fs scan can report (rules list, SARIF). */
export function imageRules(): RuleMeta[] {
  return [...IMAGE_CHECKS.map((c) => c.meta), LICENSE_DENIED, ...builtinSecretRuleMetas()];
}
