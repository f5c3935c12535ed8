/**
 * SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run, rules with
 * `security-severity` and tags, results with physical + logical locations, `partialFingerprints`
 * for alert tracking across runs, suppressions, and input errors as tool execution notifications.
 */
import { pathToFileURL } from 'node:url';
import { FRAMEWORKS, type Finding, type InputError, type Report, type Severity } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';
import { artifactUri, SRCROOT } from './location.ts';
import { rulesOf } from './rules.ts';
import { describeTarget } from './target.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://bosun.dev';
/** Key of `partialFingerprints`; bump the version if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = 'bosun/v1';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub maps security-severity to its labels: >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export interface SarifOptions {
  rules: ReadonlyMap<string, RuleMeta>;
  baseDir?: string;
}

export function renderSarif(report: Report, options: SarifOptions): string {
  const rules = rulesOf(report.findings, options.rules);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(sarifRule),
          },
        },
        invocations: [invocation(report.errors, options.baseDir)],
        originalUriBaseIds: originalUriBaseIds(options.baseDir),
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => sarifResult(f, ruleIndex.get(f.ruleId)!, options.baseDir)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(rule: RuleMeta): Record<string, unknown> {
  return {
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    ...(rule.references !== undefined && rule.references.length > 0 && { helpUri: rule.references[0] }),
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', rule.category, ...frameworkTags(rule)],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'very-high',
      ...(rule.aliases.length > 0 && { aliases: rule.aliases }),
    },
  };
}

/** `Privileged container` → `PrivilegedContainer`. */
export function pascalCase(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function frameworkTags(rule: RuleMeta): string[] {
  const tags: string[] = [];
  for (const fw of FRAMEWORKS) for (const control of rule.frameworks[fw] ?? []) tags.push(`${fw}:${control}`);
  return tags;
}

function frameworkLines(rule: RuleMeta): string[] {
  return FRAMEWORKS.filter((fw) => (rule.frameworks[fw] ?? []).length > 0).map((fw) => `${fw}: ${rule.frameworks[fw]!.join(', ')}`);
}

function helpText(rule: RuleMeta): string {
  const parts = [rule.description];
  if (rule.remediation !== '') parts.push(`Remediation: ${rule.remediation}`);
  if (rule.fields.length > 0) parts.push(`Fields: ${rule.fields.join(', ')}`);
  const fw = frameworkLines(rule);
  if (fw.length > 0) parts.push(`Frameworks: ${fw.join('; ')}`);
  if (rule.aliases.length > 0) parts.push(`Also known as: ${rule.aliases.join(', ')}`);
  return parts.join('\n\n');
}

function helpMarkdown(rule: RuleMeta): string {
  const parts = [rule.description];
  if (rule.remediation !== '') parts.push(`**Remediation**: ${rule.remediation}`);
  if (rule.fields.length > 0) parts.push(`**Fields**\n\n${rule.fields.map((f) => `- \`${f}\``).join('\n')}`);
  const fw = frameworkLines(rule);
  if (fw.length > 0) parts.push(`**Frameworks**\n\n${fw.map((l) => `- ${l}`).join('\n')}`);
  if (rule.aliases.length > 0) parts.push(`**Also known as**: ${rule.aliases.join(', ')}`);
  if (rule.references !== undefined && rule.references.length > 0) parts.push(`**References**\n\n${rule.references.map((r) => `- <${r}>`).join('\n')}`);
  return parts.join('\n\n');
}

function sarifResult(f: Finding, ruleIndex: number, baseDir: string | undefined): Record<string, unknown> {
  const target = describeTarget(f.target);
  const result: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
  };
  const logical = {
    name: target.id,
    fullyQualifiedName: f.fieldPath === undefined || f.fieldPath === '' ? target.id : `${target.id}/${f.fieldPath}`,
    kind: target.kind,
  };
  result['locations'] = [
    {
      ...(f.location !== undefined && { physicalLocation: physicalLocation(f.location.file, f.location.line, f.location.column, baseDir) }),
      logicalLocations: [logical],
    },
  ];
  result['partialFingerprints'] = { [FINGERPRINT_KEY]: f.fingerprint };
  if (f.suppressed !== undefined) {
    result['suppressions'] = [
      {
        kind: f.suppressed.by === 'annotation' ? 'inSource' : 'external',
        status: 'accepted',
        justification: f.suppressed.reason,
        ...(f.suppressed.expires !== undefined && { properties: { expires: f.suppressed.expires } }),
      },
    ];
  }
  result['properties'] = { severity: f.severity, ...(f.fieldPath !== undefined && { fieldPath: f.fieldPath }) };
  return result;
}

function physicalLocation(file: string, line: number | undefined, column: number | undefined, baseDir: string | undefined): Record<string, unknown> {
  return {
    artifactLocation: artifactUri(file, baseDir),
    ...(line !== undefined && { region: { startLine: line, ...(column !== undefined && { startColumn: column }) } }),
  };
}

function invocation(errors: readonly InputError[], baseDir: string | undefined): Record<string, unknown> {
  return {
    executionSuccessful: errors.length === 0,
    toolExecutionNotifications: errors.map((e) => ({
      level: 'error',
      message: { text: e.message },
      descriptor: { id: e.code },
      locations: [{ physicalLocation: physicalLocation(e.file, e.line, e.column, baseDir) }],
    })),
  };
}

function originalUriBaseIds(baseDir: string | undefined): Record<string, unknown> {
  if (baseDir === undefined) return { [SRCROOT]: { description: { text: 'The directory bosun was run from.' } } };
  const href = pathToFileURL(baseDir).href;
  return { [SRCROOT]: { uri: href.endsWith('/') ? href : `${href}/` } };
}
