/**
 * A self-contained HTML report for people: the verdict and counts by severity, then one section
 * per rule (highest severity first) with its description, remediation, peer IDs and every
 * instance (target and message, which carries the evidence). No scripts, no external resources;
 * every user-controlled string is escaped, so a hostile URL or evidence cannot inject markup.
 */
import { SEVERITIES, SEVERITY_RANK, type Finding, type Report } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';
import { displayPath } from './location.ts';
import { countsText, gateText } from './summary.ts';
import { describeTarget } from './target.ts';
import { singleLine } from './text.ts';

export interface HtmlOptions {
  rules: ReadonlyMap<string, RuleMeta>;
  baseDir?: string;
  /** Report heading, e.g. the scanned URL. */
  title?: string;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;vertical-align:top;padding:.3em .6em;border-bottom:1px solid #eee}
td.t{word-break:break-all;width:40%}.sev{display:inline-block;min-width:5.5em;padding:0 .4em;border-radius:3px;color:#fff;font-weight:600;text-align:center}
.critical{background:#6a1b9a}.high{background:#c62828}.medium{background:#ef6c00}.low{background:#1565c0}.info{background:#607d8b}
.failed{color:#c62828}.passed{color:#2e7d32}.muted{color:#666}code{font-size:.95em}`;

export function renderHtml(report: Report, options: HtmlOptions): string {
  const s = report.summary;
  const active = report.findings.filter((f) => f.suppressed === undefined);
  const suppressed = report.findings.filter((f) => f.suppressed !== undefined);
  const title = options.title ?? 'bosun report';
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="${s.gateFailed ? 'failed' : 'passed'}"><strong>${esc(gateText(s))}</strong></p>`,
    `<p>${esc(countsText(s))}. ${esc(report.tool.name)} ${esc(report.tool.version)}.</p>`,
    '<h2>Summary by severity</h2>',
    '<table><tr><th>Severity</th><th>Rules</th><th>Findings</th></tr>',
  ];
  const groups = groupByRule(active);
  for (const sev of SEVERITIES) {
    const g = groups.filter(([, fs]) => fs[0]!.severity === sev);
    out.push(`<tr><td><span class="sev ${sev}">${sev}</span></td><td>${g.length}</td><td>${s.bySeverity[sev]}</td></tr>`);
  }
  out.push('</table>');
  if (groups.length > 0) {
    out.push('<h2>Findings</h2><ul>');
    for (const [ruleId, fs] of groups) out.push(`<li><a href="#${anchor(ruleId)}">${esc(ruleId)}</a>: ${esc(options.rules.get(ruleId)?.title ?? fs[0]!.title)} (${fs.length})</li>`);
    out.push('</ul>');
  }
  // Lines appended one by one: a rule with many findings has too many lines to spread into push.
  for (const [ruleId, fs] of groups) for (const line of ruleSection(ruleId, fs, options)) out.push(line);
  if (suppressed.length > 0) {
    out.push(`<h2>Suppressed (${suppressed.length})</h2><table><tr><th>Rule</th><th>Target</th><th>Reason</th></tr>`);
    for (const f of suppressed) out.push(`<tr><td>${esc(f.ruleId)}</td><td class="t">${esc(describeTarget(f.target).label)}</td><td>${esc(f.suppressed!.reason)}${f.suppressed!.expires === undefined ? '' : ` (until ${esc(f.suppressed!.expires)})`}</td></tr>`);
    out.push('</table>');
  }
  if (report.errors.length > 0) {
    out.push(`<h2>Errors (${report.errors.length})</h2><ul>`);
    for (const e of report.errors) out.push(`<li><code>${esc(e.code)}</code> ${esc(e.message)}</li>`);
    out.push('</ul>');
  }
  if (s.expiredWaivers.length > 0) {
    out.push(`<h2>Expired waivers (${s.expiredWaivers.length})</h2><ul>`);
    for (const w of s.expiredWaivers) out.push(`<li>${esc(w.rule)} expired ${esc(w.expires)} (${esc(w.source)}): ${esc(w.reason)}</li>`);
    out.push('</ul>');
  }
  out.push('</body></html>');
  return `${out.join('\n')}\n`;
}

function ruleSection(ruleId: string, findings: readonly Finding[], options: HtmlOptions): string[] {
  const rule = options.rules.get(ruleId);
  const first = findings[0]!;
  const out = [`<h2 id="${anchor(ruleId)}"><span class="sev ${first.severity}">${first.severity}</span> ${esc(rule?.title ?? first.title)} <span class="muted">${esc(ruleId)}</span></h2>`];
  const aliases = rule?.aliases ?? first.aliases ?? [];
  if (rule !== undefined) out.push(`<p>${esc(rule.description)}</p>`);
  const remediation = rule?.remediation ?? first.remediation;
  if (remediation !== undefined && remediation !== '') out.push(`<p><strong>Remediation:</strong> ${esc(remediation)}</p>`);
  if (aliases.length > 0) out.push(`<p class="muted">Also known as: ${aliases.map(esc).join(', ')}</p>`);
  for (const ref of rule?.references ?? []) if (/^https:\/\//.test(ref)) out.push(`<p class="muted">Reference: <a href="${esc(ref)}">${esc(ref)}</a></p>`);
  out.push(`<table><tr><th>Target</th><th>Details</th></tr>`);
  for (const f of findings) {
    const where = f.location === undefined ? '' : ` <span class="muted">${esc(displayPath(f.location.file, options.baseDir))}:${f.location.line}</span>`;
    out.push(`<tr><td class="t">${esc(describeTarget(f.target).label)}${where}</td><td>${esc(f.message)}</td></tr>`);
  }
  out.push('</table>');
  return out;
}

/** Rule ID → its findings, rules by highest severity, then ID. */
function groupByRule(findings: readonly Finding[]): Array<[string, Finding[]]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings) {
    let g = m.get(f.ruleId);
    if (g === undefined) m.set(f.ruleId, (g = []));
    g.push(f);
  }
  const top = (fs: Finding[]): number => fs.reduce((worst, f) => Math.max(worst, SEVERITY_RANK[f.severity]), 0);
  return [...m.entries()].sort(([a, fa], [b, fb]) => top(fb) - top(fa) || (a < b ? -1 : a > b ? 1 : 0));
}

function anchor(ruleId: string): string {
  return `rule-${ruleId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function esc(text: string): string {
  return singleLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
