/**
 * JUnit XML for CI test UIs (GitLab merge-request widget, Jenkins, Azure Pipelines). One
 * `<testsuite>` per rule, so the UI groups by "what is wrong"; each finding is a failed
 * `<testcase>` named after the resource and field, suppressed findings are `<skipped>`, and
 * input errors are `<error>` testcases in their own suite.
 */
import type { Finding, InputError, Report } from '../core/finding.ts';
import { displayPath } from './location.ts';
import { describeTarget } from './target.ts';
import { singleLine, xmlSafe } from './text.ts';

export interface JunitOptions {
  baseDir?: string;
}

interface Case {
  name: string;
  classname: string;
  file?: string;
  outcome: { tag: 'failure' | 'skipped' | 'error'; message: string; type?: string; body?: string } | undefined;
}

interface Suite {
  name: string;
  cases: Case[];
}

export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const suites = [...findingSuites(report.findings, options.baseDir)];
  if (report.errors.length > 0) suites.push({ name: 'input errors', cases: report.errors.map((e) => errorCase(e, options.baseDir)) });
  // CI tools treat a report without any testcase as a broken report, so a clean scan is one passing case.
  if (suites.length === 0) suites.push({ name: 'bosun', cases: [{ name: 'scan', classname: 'bosun', outcome: undefined }] });
  const totals = countAll(suites);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="bosun"${countAttrs(totals)}>`];
  for (const s of suites) {
    lines.push(`  <testsuite name="${attr(s.name)}"${countAttrs(count(s))}>`);
    for (const c of s.cases) lines.push(...caseXml(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function findingSuites(findings: readonly Finding[], baseDir: string | undefined): Suite[] {
  const byRule = new Map<string, Suite>();
  for (const f of findings) {
    let suite = byRule.get(f.ruleId);
    if (suite === undefined) byRule.set(f.ruleId, (suite = { name: `${f.ruleId}: ${f.title}`, cases: [] }));
    suite.cases.push(findingCase(f, baseDir));
  }
  return [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

function findingCase(f: Finding, baseDir: string | undefined): Case {
  // Names and the lines of the failure text stay single lines, so a newline in a resource name cannot forge a line.
  const target = singleLine(describeTarget(f.target).label);
  const field = f.fieldPath === undefined ? '' : singleLine(f.fieldPath);
  const name = field === '' ? target : `${target} ${field}`;
  const file = f.location === undefined ? undefined : singleLine(displayPath(f.location.file, baseDir));
  const message = singleLine(f.message);
  const base = { name, classname: f.ruleId, ...(file !== undefined && { file }) };
  if (f.suppressed !== undefined) {
    const by = f.suppressed.by === 'annotation' ? 'annotation' : f.suppressed.by === 'vex' ? 'VEX' : 'waiver';
    return { ...base, outcome: { tag: 'skipped', message: `suppressed by ${by}: ${singleLine(f.suppressed.reason)}` } };
  }
  const where = f.location === undefined ? undefined : `${file}:${f.location.line}:${f.location.column}`;
  const body = [
    `${f.severity.toUpperCase()} ${f.ruleId} ${f.title}`,
    `Resource: ${target}`,
    ...(where === undefined ? [] : [`Location: ${where}`]),
    ...(field === '' ? [] : [`Field: ${field}`]),
    `Message: ${message}`,
    ...(f.remediation === undefined ? [] : [`Remediation: ${singleLine(f.remediation)}`]),
  ].join('\n');
  return { ...base, outcome: { tag: 'failure', message, type: f.severity, body } };
}

function errorCase(e: InputError, baseDir: string | undefined): Case {
  const file = singleLine(displayPath(e.file, baseDir));
  const message = singleLine(e.message);
  const where = e.line === undefined ? file : `${file}:${e.line}${e.column === undefined ? '' : `:${e.column}`}`;
  return { name: where, classname: 'bosun.input', file, outcome: { tag: 'error', message, type: e.code, body: `${e.code} ${message}` } };
}

function caseXml(c: Case): string[] {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}"${c.file === undefined ? '' : ` file="${attr(c.file)}"`}`;
  const o = c.outcome;
  if (o === undefined) return [`${open}/>`];
  const attrs = ` message="${attr(o.message)}"${o.type === undefined ? '' : ` type="${attr(o.type)}"`}`;
  const inner = o.body === undefined ? `      <${o.tag}${attrs}/>` : `      <${o.tag}${attrs}>${text(o.body)}</${o.tag}>`;
  return [`${open}>`, inner, '    </testcase>'];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(s: Suite): Counts {
  const c: Counts = { tests: s.cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const k of s.cases) {
    if (k.outcome?.tag === 'failure') c.failures++;
    else if (k.outcome?.tag === 'error') c.errors++;
    else if (k.outcome?.tag === 'skipped') c.skipped++;
  }
  return c;
}

function countAll(suites: readonly Suite[]): Counts {
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const s of suites) {
    const c = count(s);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
  }
  return total;
}

function countAttrs(c: Counts): string {
  return ` tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

function text(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes and whitespace controls, which parsers would otherwise normalise to spaces. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
