/** Report writers shared by every bosun scanner: one module per format, one entry point. */
import type { Report } from '../core/finding.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { toRuleMap, type RuleSource } from './rules.ts';
import { renderSarif } from './sarif.ts';
import { renderTable } from './table.ts';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Formats including the HTML report for people (offered by commands that support it, e.g. dast). */
export const REPORT_FORMATS_WITH_HTML = [...REPORT_FORMATS, 'html'] as const;
export type AnyReportFormat = (typeof REPORT_FORMATS_WITH_HTML)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export interface RenderOptions {
  /** Metadata of the rules that can appear (SARIF describes each rule it reports). */
  rules: RuleSource;
  /** ANSI colour in `table` output; the caller decides (TTY, NO_COLOR). Default off. */
  color?: boolean;
  /** Terminal width for `table` wrapping; unset = no wrapping. */
  width?: number;
  /** Paths in reports are made relative to this directory (normally the repository root). */
  baseDir?: string;
  /** Heading of the `html` report (e.g. the scanned URL). */
  title?: string;
}

/** Render `report` in `format`. Same report and options → same bytes. */
export function renderReport(report: Report, format: AnyReportFormat, options: RenderOptions): string {
  const baseDir = options.baseDir === undefined ? {} : { baseDir: options.baseDir };
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, { rules: toRuleMap(options.rules), ...baseDir });
    case 'junit':
      return renderJunit(report, baseDir);
    case 'markdown':
      return renderMarkdown(report, baseDir);
    case 'html':
      return renderHtml(report, { rules: toRuleMap(options.rules), ...baseDir, ...(options.title !== undefined && { title: options.title }) });
    case 'table':
      return renderTable(report, { ...baseDir, ...(options.color !== undefined && { color: options.color }), ...(options.width !== undefined && { width: options.width }) });
  }
}

export { describeTarget, type TargetDescription } from './target.ts';
export type { RuleSource } from './rules.ts';
