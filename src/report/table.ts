/**
 * Human-readable terminal output, grouped by resource. Colour is the caller's decision (the CLI
 * knows whether stdout is a TTY and honours NO_COLOR); without it no escape sequence is written.
 * User-controlled text is reduced to one line without control characters, so a hostile resource
 * name cannot move the cursor, recolour or forge lines of the report.
 */
import type { Finding, Report, Severity } from '../core/finding.ts';
import { displayPath } from './location.ts';
import { countsText, gateText } from './summary.ts';
import { describeTarget } from './target.ts';
import { singleLine } from './text.ts';

export interface TableOptions {
  color?: boolean;
  /** Terminal columns; messages and remediations wrap to it. Unset: no wrapping. */
  width?: number;
  baseDir?: string;
}

const SGR = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  grey: '\u001b[90m',
} as const;

const SEVERITY_STYLE: Record<Severity, string> = {
  critical: SGR.bold + SGR.magenta,
  high: SGR.red,
  medium: SGR.yellow,
  low: SGR.blue,
  info: SGR.grey,
};

type Paint = (style: string, text: string) => string;

export function renderTable(report: Report, options: TableOptions = {}): string {
  const paint: Paint = options.color === true ? (style, text) => `${style}${text}${SGR.reset}` : (_style, text) => text;
  const out: string[] = [];
  const active = report.findings.filter((f) => f.suppressed === undefined);
  const suppressed = report.findings.filter((f) => f.suppressed !== undefined);
  // Lines appended one by one: spreading hundreds of thousands of them into push overflows the stack.
  if (active.length > 0) for (const line of findingLines(active, paint, options)) out.push(line);
  else out.push('No findings.');
  if (suppressed.length > 0) {
    out.push('', paint(SGR.bold, `Suppressed (${suppressed.length}):`));
    for (const f of suppressed) {
      const by = f.suppressed!.by === 'annotation' ? 'annotation' : f.suppressed!.by === 'vex' ? 'VEX' : 'waiver';
      out.push(`  ${clean(f.ruleId)}  ${clean(describeTarget(f.target).label)}  ${paint(SGR.dim, `${by}: ${clean(f.suppressed!.reason)}`)}`);
    }
  }
  if (report.errors.length > 0) {
    out.push('', paint(SGR.bold, `Input errors (${report.errors.length}):`));
    for (const e of report.errors) out.push(`  ${paint(SGR.red, clean(e.code))}  ${clean(e.message)}`);
  }
  const expired = report.summary.expiredWaivers;
  if (expired.length > 0) {
    out.push('', paint(SGR.bold, `Expired waivers (${expired.length}), no longer suppressing:`));
    for (const w of expired) out.push(`  ${clean(w.rule)}  expired ${clean(w.expires)} (${clean(w.source)}): ${clean(w.reason)}`);
  }
  const s = report.summary;
  const gate = s.gateFailed ? paint(SGR.bold + SGR.red, gateText(s)) : paint(SGR.green, gateText(s));
  out.push('', `${countsText(s)} — ${gate}`);
  return `${out.join('\n')}\n`;
}

function findingLines(findings: readonly Finding[], paint: Paint, options: TableOptions): string[] {
  // A loop, not Math.max(...list), for the same reason.
  let ruleWidth = 0;
  let locWidth = 0;
  for (const f of findings) {
    ruleWidth = Math.max(ruleWidth, clean(f.ruleId).length);
    locWidth = Math.max(locWidth, position(f).length);
  }
  const indent = ' '.repeat(2 + 8 + 2 + ruleWidth + 2 + locWidth + 2);
  const out: string[] = [];
  for (const [header, group] of groupByResource(findings, options.baseDir)) {
    if (out.length > 0) out.push('');
    out.push(paint(SGR.bold, header));
    for (const f of group) {
      const sev = paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8));
      const lead = `  ${sev}  ${clean(f.ruleId).padEnd(ruleWidth)}  ${position(f).padEnd(locWidth)}  `;
      const [first = '', ...rest] = wrap(clean(f.message), options.width, indent.length);
      out.push(lead + first, ...rest.map((l) => indent + l));
      if (f.remediation !== undefined && f.remediation !== '') {
        for (const l of wrap(clean(f.remediation), options.width, indent.length)) out.push(indent + paint(SGR.dim, l));
      }
    }
  }
  return out;
}

/** Resource header → its findings, in the order the report lists them (file, then line). */
function groupByResource(findings: readonly Finding[], baseDir: string | undefined): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const file = f.location === undefined ? '' : `  (${clean(displayPath(f.location.file, baseDir))})`;
    const header = `${clean(describeTarget(f.target).label)}${file}`;
    let group = groups.get(header);
    if (group === undefined) groups.set(header, (group = []));
    group.push(f);
  }
  return groups;
}

function position(f: Finding): string {
  return f.location === undefined ? '-' : `${f.location.line}:${f.location.column}`;
}

function clean(text: string): string {
  return singleLine(text);
}

/** Greedy word wrap of `text` to `width - indent` columns; never splits a word. */
function wrap(text: string, width: number | undefined, indent: number): string[] {
  const room = width === undefined ? Infinity : Math.max(20, width - indent);
  if (text.length <= room) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}
