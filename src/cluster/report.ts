/** One Report out of several analyzers' findings (manifest checks, RBAC, NetworkPolicy), with waivers and the gate applied once. */
import type { Finding, InputError, Report, Severity } from '../core/finding.ts';
import { compareFindings } from '../core/finding.ts';
import { applyWaivers } from '../core/suppress.ts';
import { matchesAnyGlob } from '../core/glob.ts';
import type { BosunConfig } from '../config/types.ts';
import { VERSION } from '../version.ts';
import { tallyFindings } from '../core/gate.ts';

export interface AnalysisReportOptions {
  failOn?: Severity | 'none';
  now?: Date;
  /** Files (or API lists) read, resources and skipped documents, for the summary. */
  files?: number;
  resources?: number;
  skippedDocuments?: number;
}

/**
 * Builds the report. `base` (from `scanLoaded`) keeps its own waiver results; `extra` findings get
 * the annotation-free waiver pass here.
 */
export function analysisReport(base: Report | undefined, extraFindings: Finding[], errors: InputError[], config: BosunConfig, options: AnalysisReportOptions = {}): Report {
  // bosun.yaml `checks.disable` and `checks.severity` apply to these rules as to the manifest checks.
  const disabled = config.checks.disable ?? [];
  const severities = config.checks.severity ?? {};
  const extra = extraFindings.filter((f) => !matchesAnyGlob(disabled, f.ruleId));
  for (const f of extra) {
    const s = severities[f.ruleId];
    if (s !== undefined) f.severity = s;
  }
  const expired = applyWaivers(extra, config.waivers, options.now ?? new Date(), config.source ?? 'bosun.yaml');
  const findings = [...(base?.findings ?? []), ...extra].sort(compareFindings);
  const failOn = options.failOn ?? config.failOn ?? 'high';
  const { bySeverity, suppressed, gateFailed } = tallyFindings(findings, failOn);
  const allErrors = [...(base?.errors ?? []), ...errors];
  const expiredWaivers = base?.summary.expiredWaivers ?? expired;
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    findings,
    errors: allErrors,
    summary: {
      resources: options.resources ?? base?.summary.resources ?? 0,
      skippedDocuments: options.skippedDocuments ?? base?.summary.skippedDocuments ?? 0,
      files: options.files ?? base?.summary.files ?? 0,
      findings: findings.length - suppressed,
      suppressed,
      bySeverity,
      errors: allErrors.length,
      expiredWaivers,
      failOn,
      gateFailed,
    },
  };
}
