/**
 * `runCompliance`: scan the inputs with every rule a framework names (opt-in rules included, and
 * the framework's Pod Security Standards level where it has one), then assess each control.
 */
import { dirname, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { BosunConfig } from '../config/types.ts';
import { EMPTY_CONFIG } from '../config/types.ts';
import { findConfigFile, loadConfigFile } from '../config/load.ts';
import { loadManifests, type ManifestInput } from '../manifests/load.ts';
import { scanLoaded } from '../scan.ts';
import { matchesAnyGlob } from '../core/glob.ts';
import { assessFramework, type ComplianceReport } from './assess.ts';
import { getFramework, type Framework } from './framework.ts';

export interface ComplianceOptions {
  /** bosun.yaml (loaded, a path, or false for none); found by walking up from the first input by default. Waivers apply. */
  config?: BosunConfig | string | false;
  defaultNamespace?: string;
  now?: Date;
  stdin?: NodeJS.ReadableStream;
}

async function resolveConfig(inputs: readonly ManifestInput[], given: ComplianceOptions['config']): Promise<BosunConfig> {
  if (given === false) return EMPTY_CONFIG;
  if (typeof given === 'object') return given;
  if (typeof given === 'string') return loadConfigFile(given);
  const first = inputs.find((i): i is string => typeof i === 'string' && i !== '-');
  if (first === undefined) return EMPTY_CONFIG;
  let dir = resolve(first);
  try {
    if (!(await stat(dir)).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  const found = await findConfigFile(dir);
  return found === undefined ? EMPTY_CONFIG : loadConfigFile(found);
}

/**
 * The config a framework is assessed under: its rules are all enabled and none is disabled
 * (a disabled check would silently pass its controls; accept a finding with a waiver instead).
 */
export function complianceConfig(framework: Framework, config: BosunConfig): BosunConfig {
  const rules = [...new Set(framework.controls.flatMap((c) => c.rules))];
  const disable = (config.checks.disable ?? []).filter((d) => !rules.some((r) => matchesAnyGlob([d], r)));
  return { ...config, checks: { ...config.checks, enable: [...(config.checks.enable ?? []), ...rules], disable } };
}

export async function runCompliance(inputs: readonly ManifestInput[], frameworkName: string, options: ComplianceOptions = {}): Promise<ComplianceReport> {
  const framework = getFramework(frameworkName);
  const config = complianceConfig(framework, await resolveConfig(inputs, options.config));
  const loaded = await loadManifests(inputs, options.stdin === undefined ? {} : { stdin: options.stdin });
  const report = scanLoaded(loaded, config, {
    ...(framework.pss !== undefined && { pss: framework.pss }),
    ...(options.defaultNamespace !== undefined && { defaultNamespace: options.defaultNamespace }),
    ...(options.now !== undefined && { now: options.now }),
  });
  const kinds = new Set(loaded.resources.map((r) => r.kind));
  return assessFramework(framework, report, kinds, options.now);
}

export { assessFramework, type ComplianceReport, type ControlResult, type ControlStatus } from './assess.ts';
export { frameworks, getFramework, FRAMEWORK_IDS, type Framework, type Control } from './framework.ts';
export { renderCompliance, renderComplianceHtml, COMPLIANCE_FORMATS, type ComplianceFormat } from './render.ts';
