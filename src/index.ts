/** bosun's library API. Every CLI command is a thin wrapper over what is exported here. */
export { scanManifests, scanLoaded, selectChecks, type ScanOptions } from './scan.ts';
export { loadManifests, type ManifestInput, type LoadOptions, type LoadResult } from './manifests/load.ts';
export type { Finding, Report, ReportSummary, Severity, Target, ResourceTarget, Location, InputError, Suppression, FrameworkMap, FrameworkId } from './core/finding.ts';
export { SEVERITIES } from './core/finding.ts';
export type { RuleMeta } from './core/rule.ts';
export { BosunError, EXIT } from './core/errors.ts';
export type { Check, CheckContext } from './checks/types.ts';
export { BUILTIN_CHECKS } from './checks/registry.ts';
export type { BosunConfig, Waiver } from './config/types.ts';
export { evaluatePod, parsePssPolicy } from './pss/index.ts';
export type { PssLevel, PssPolicy, PssPod, PssViolation } from './pss/types.ts';
export { VERSION } from './version.ts';
export { renderReport, REPORT_FORMATS, type ReportFormat } from './report/index.ts';
export { allRules, findRule, type RuleInfo } from './rules.ts';
export { loadConfigFile, findConfigFile } from './config/load.ts';
