/** The one-line verdict every human-readable format shows. */
import { SEVERITIES, type ReportSummary } from '../core/finding.ts';
import { plural } from './text.ts';

/** `2 findings (1 critical, 1 high, 0 medium, 0 low, 0 info), 1 suppressed, 1 error` */
export function countsText(s: ReportSummary): string {
  const bySeverity = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  return `${plural(s.findings, 'finding')} (${bySeverity}), ${s.suppressed} suppressed, ${plural(s.errors, 'error')}`;
}

/** `gate passed at --fail-on high` / `gate FAILED at --fail-on high` */
export function gateText(s: ReportSummary): string {
  return `gate ${s.gateFailed ? 'FAILED' : 'passed'} at --fail-on ${s.failOn}`;
}
