/**
 * GitHub-flavoured Markdown for pull-request comments: verdict, a findings table, then
 * suppressed findings with their reasons, input errors and expired waivers. Every
 * user-controlled string is escaped so it cannot end a table cell, open a link or inject HTML.
 */
import type { Finding, Report } from '../core/finding.ts';
import { displayPath } from './location.ts';
import { countsText, gateText } from './summary.ts';
import { describeTarget } from './target.ts';
import { singleLine } from './text.ts';

export interface MarkdownOptions {
  baseDir?: string;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const s = report.summary;
  const icon = s.gateFailed ? ':x:' : ':white_check_mark:';
  const out: string[] = [`### ${icon} bosun: ${gateText(s)}`, '', `${countsText(s)}.`];
  const active = report.findings.filter((f) => f.suppressed === undefined);
  const suppressed = report.findings.filter((f) => f.suppressed !== undefined);
  if (active.length > 0) {
    out.push('', '| Severity | Rule | Resource | Location | Message |', '| --- | --- | --- | --- | --- |');
    for (const f of active) out.push(row([f.severity, f.ruleId, describeTarget(f.target).label, where(f, options.baseDir), f.message]));
  }
  if (suppressed.length > 0) {
    out.push('', `#### Suppressed (${suppressed.length})`, '', '| Rule | Resource | Location | Suppressed by | Reason |', '| --- | --- | --- | --- | --- |');
    for (const f of suppressed) {
      const sup = f.suppressed!;
      const by = sup.by === 'annotation' ? 'annotation' : sup.by === 'vex' ? 'VEX' : `waiver${sup.expires === undefined ? '' : ` until ${sup.expires}`}`;
      out.push(row([f.ruleId, describeTarget(f.target).label, where(f, options.baseDir), by, sup.reason]));
    }
  }
  if (report.errors.length > 0) {
    out.push('', `#### Input errors (${report.errors.length})`, '');
    for (const e of report.errors) out.push(`- ${md(e.code)}: ${md(e.message)}`);
  }
  if (s.expiredWaivers.length > 0) {
    out.push('', `#### Expired waivers (${s.expiredWaivers.length})`, '');
    for (const w of s.expiredWaivers) out.push(`- ${md(w.rule)} expired ${md(w.expires)} (${md(w.source)}): ${md(w.reason)}`);
  }
  return `${out.join('\n')}\n`;
}

function where(f: Finding, baseDir: string | undefined): string {
  return f.location === undefined ? '' : `${displayPath(f.location.file, baseDir)}:${f.location.line}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(md).join(' | ')} |`;
}

/**
 * One line of inert Markdown: controls and line breaks removed, and the ASCII punctuation that
 * starts markup (emphasis, code, links, images, HTML, entities, table cells) backslash-escaped,
 * which CommonMark allows for any ASCII punctuation (§2.4).
 */
export function md(text: string): string {
  return singleLine(text).replace(/[\\`*_[\]<>|~&!#]/g, (c) => `\\${c}`);
}
