/**
 * Compliance report writers: table (terminal), json, markdown (pull requests), html (one
 * self-contained file for an auditor: summary chart, failed controls first, each linking to the
 * offending resources). All user-controlled text is escaped for its format.
 */
import type { Finding } from '../core/finding.ts';
import { describeTarget } from '../report/index.ts';
import type { ComplianceReport, ControlResult, ControlStatus } from './assess.ts';

export const COMPLIANCE_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

const STATUS_LABEL: Record<ControlStatus, string> = { pass: 'PASS', fail: 'FAIL', manual: 'MANUAL', 'not-applicable': 'N/A' };
const ORDER: Record<ControlStatus, number> = { fail: 0, pass: 1, manual: 2, 'not-applicable': 3 };

// C0/C1 controls, escape sequences and bidi overrides never reach a terminal or a page.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const clean = (s: string): string => s.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').replace(UNSAFE, '').replace(/[\r\n\t]+/g, ' ');

function where(f: Finding): string {
  return f.location === undefined ? '' : `${f.location.file}:${f.location.line}:${f.location.column}`;
}

function scoreText(r: ComplianceReport): string {
  const s = r.summary;
  return `${s.score === null ? 'no decidable control' : `score ${s.score}%`}: ${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.notApplicable} not applicable (${s.controls} controls)`;
}

export function renderCompliance(report: ComplianceReport, format: ComplianceFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'table':
      return renderTable(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
  }
}

function sorted(controls: readonly ControlResult[]): ControlResult[] {
  return [...controls].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
}

function renderTable(r: ComplianceReport): string {
  const out: string[] = [`${clean(r.framework.title)} ${clean(r.framework.version)}`, ''];
  const idWidth = Math.max(...r.controls.map((c) => c.id.length), 2);
  for (const c of r.controls) {
    out.push(`${STATUS_LABEL[c.status].padEnd(7)} ${c.id.padEnd(idWidth)}  ${clean(c.title)}`);
    for (const f of c.findings) out.push(`${' '.repeat(10 + idWidth)}${describeTarget(f.target).label}  ${clean(where(f))}  ${f.ruleId}: ${clean(f.message)}`);
    if (c.status === 'manual' && c.manual !== undefined) out.push(`${' '.repeat(10 + idWidth)}${clean(c.manual)}`);
  }
  out.push('', `${clean(r.framework.title)}: ${scoreText(r)}${r.errors.length > 0 ? `; ${r.errors.length} input error(s): the report is incomplete` : ''}`);
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string): string => clean(s).replace(/[\\|`*_[\]<>#]/g, (c) => `\\${c}`);

function renderMarkdown(r: ComplianceReport): string {
  const out: string[] = [`### ${mdCell(r.framework.title)} (${mdCell(r.framework.version)})`, '', `**${scoreText(r)}**`, ''];
  out.push('| Status | Control | Title | Findings |', '| --- | --- | --- | --- |');
  for (const c of sorted(r.controls)) out.push(`| ${STATUS_LABEL[c.status]} | ${mdCell(c.id)} | ${mdCell(c.title)} | ${c.findings.length === 0 ? '' : c.findings.length} |`);
  const failed = sorted(r.controls).filter((c) => c.status === 'fail');
  for (const c of failed) {
    out.push('', `#### ${mdCell(c.id)} ${mdCell(c.title)}`, '', '| Resource | Location | Rule | Message |', '| --- | --- | --- | --- |');
    for (const f of c.findings) out.push(`| ${mdCell(describeTarget(f.target).label)} | ${mdCell(where(f))} | ${mdCell(f.ruleId)} | ${mdCell(f.message)} |`);
  }
  if (r.errors.length > 0) out.push('', `**${r.errors.length} input error(s): the report is incomplete.**`, ...r.errors.map((e) => `- ${mdCell(e.message)}`));
  return `${out.join('\n')}\n`;
}

const esc = (s: string): string => clean(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A horizontal stacked bar of the four statuses, as inline SVG (no scripts, no external assets). */
function chart(r: ComplianceReport): string {
  const s = r.summary;
  const parts: Array<[number, string, string]> = [
    [s.pass, '#2e7d32', 'pass'],
    [s.fail, '#c62828', 'fail'],
    [s.manual, '#f9a825', 'manual'],
    [s.notApplicable, '#9e9e9e', 'not applicable'],
  ];
  let x = 0;
  const width = 600;
  const rects = parts
    .filter(([n]) => n > 0)
    .map(([n, color, label]) => {
      const w = (n / s.controls) * width;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${color}"><title>${n} ${label}</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  const legend = parts.map(([n, color, label]) => `<span class="key"><i style="background:${color}"></i>${n} ${label}</span>`).join(' ');
  return `<svg role="img" aria-label="${esc(scoreText(r))}" width="${width}" height="28" viewBox="0 0 ${width} 28">${rects}</svg><p class="legend">${legend}</p>`;
}

/** One framework's section: summary chart, controls (failed first) linking to the offending resources. */
function htmlSection(r: ComplianceReport): string {
  const fw = esc(r.framework.id);
  const resources = new Map<string, { label: string; findings: Array<{ control: string; f: Finding }> }>();
  for (const c of r.controls) for (const f of c.findings) {
    const d = describeTarget(f.target);
    let entry = resources.get(d.id);
    if (entry === undefined) resources.set(d.id, (entry = { label: d.label, findings: [] }));
    entry.findings.push({ control: c.id, f });
  }
  const anchors = new Map([...resources.keys()].map((id, i) => [id, `${fw}-r${i + 1}`]));
  const controlRows = sorted(r.controls)
    .map((c) => {
      const links = [...new Set(c.findings.map((f) => describeTarget(f.target).id))]
        .map((id) => `<a href="#${anchors.get(id)}">${esc(resources.get(id)!.label)}</a>`)
        .join(', ');
      const detail = c.status === 'manual' ? esc(c.manual ?? 'Review by hand.') : c.status === 'fail' ? links : c.note !== undefined ? esc(c.note) : '';
      return `<tr class="${c.status}"><td><span class="badge ${c.status}">${STATUS_LABEL[c.status]}</span></td><td id="${fw}-c-${esc(c.id)}">${esc(c.id)}</td><td>${esc(c.title)}${c.section === undefined ? '' : `<br><small>${esc(c.section)}</small>`}</td><td>${detail}</td></tr>`;
    })
    .join('\n');
  const resourceBlocks = [...resources.entries()]
    .map(([id, e]) => {
      const items = e.findings
        .map(({ control, f }) => `<li><a href="#${fw}-c-${esc(control)}">${esc(control)}</a> <code>${esc(f.ruleId)}</code> <span class="sev ${f.severity}">${f.severity}</span> ${esc(f.message)}${f.location === undefined ? '' : ` <small>${esc(where(f))}</small>`}</li>`)
        .join('');
      return `<section id="${anchors.get(id)}"><h4>${esc(e.label)}</h4><ul>${items}</ul></section>`;
    })
    .join('\n');
  return `<section class="framework" id="${fw}">
<h2>${esc(r.framework.title)}</h2>
<p>${esc(r.framework.version)}${r.framework.url === undefined ? '' : ` · <a href="${esc(r.framework.url)}">source</a>`}</p>
<p>${esc(r.framework.description)}</p>
<h3>Summary: ${esc(scoreText(r))}</h3>
${chart(r)}
<h3>Controls</h3>
<table><thead><tr><th>Status</th><th>Control</th><th>Title</th><th>Offending resources / notes</th></tr></thead><tbody>
${controlRows}
</tbody></table>
<h3>Offending resources</h3>
${resourceBlocks === '' ? '<p>None.</p>' : resourceBlocks}
</section>`;
}

/** One self-contained HTML document for one or more frameworks (no scripts, no external assets). */
export function renderComplianceHtml(reports: readonly ComplianceReport[]): string {
  const first = reports[0]!;
  const title = reports.length === 1 ? `${first.framework.title}: compliance report` : 'bosun compliance report';
  const overview =
    reports.length === 1
      ? ''
      : `<table><thead><tr><th>Framework</th><th>Score</th><th>Pass</th><th>Fail</th><th>Manual</th><th>N/A</th></tr></thead><tbody>${reports
          .map((r) => `<tr><td><a href="#${esc(r.framework.id)}">${esc(r.framework.title)}</a></td><td>${r.summary.score === null ? '–' : `${r.summary.score}%`}</td><td>${r.summary.pass}</td><td>${r.summary.fail}</td><td>${r.summary.manual}</td><td>${r.summary.notApplicable}</td></tr>`)
          .join('')}</tbody></table>`;
  const errors = first.errors.length === 0 ? '' : `<p class="warn">${first.errors.length} input error(s): this report is incomplete.</p><ul>${first.errors.map((e) => `<li>${esc(e.message)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
.badge{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-weight:600;font-size:12px;padding:2px 4px}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}.badge.manual{background:#f9a825;color:#222}.badge.not-applicable{background:#9e9e9e}
.key i{display:inline-block;width:10px;height:10px;margin-right:4px}.legend{margin:.3em 0 1.5em}
.sev{font-size:11px;text-transform:uppercase;font-weight:600}.sev.critical,.sev.high{color:#c62828}.sev.medium{color:#e65100}
.warn{color:#c62828;font-weight:600}small{color:#666}section{margin-bottom:1em}section.framework{border-top:2px solid #444;margin-top:2em}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Generated ${esc(first.generatedAt)} by bosun · ${first.inputs.resources} resources from ${first.inputs.files} files</p>
${overview}
${errors}
${reports.map(htmlSection).join('\n')}
</body></html>
`;
}

function renderHtml(r: ComplianceReport): string {
  return renderComplianceHtml([r]);
}
