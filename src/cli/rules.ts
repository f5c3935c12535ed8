import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { FRAMEWORKS, type FrameworkId } from '../core/finding.ts';
import { findRule, rulesByFramework, type RuleInfo } from '../rules.ts';
import { catalogue, SCANNERS, type Scanner } from '../catalogue.ts';
import { writeOutput } from './io.ts';

const USAGE = `Usage:
  bosun rules list [--scanner manifest|image|rbac|netpol|dast|all] [--framework cis|nsa|nist-800-190|pss|mitre] [-f table|json]
  bosun rules explain ID     everything about one rule: a bosun ID or a peer ID (KSV-0017, C-0057, CKV_K8S_16 …)
`;

export async function runRules(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  const [sub, ...rest] = argv;
  if (sub === 'list') return listRules(rest);
  if (sub === 'explain') return explainRule(rest);
  throw new UsageError(`rules: expected "list" or "explain"${sub === undefined ? '' : `, got "${sub}"`}`);
}

async function listRules(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { framework: { type: 'string' }, format: { type: 'string', short: 'f' }, scanner: { type: 'string' } } });
  let rules = await catalogue(parseScanners(values.scanner));
  if (values.framework !== undefined) {
    const fw = values.framework === 'nist' ? 'nist-800-190' : values.framework;
    if (!(FRAMEWORKS as readonly string[]).includes(fw)) throw new UsageError(`--framework: unknown framework "${values.framework}" (one of ${FRAMEWORKS.join(', ')})`);
    rules = rulesByFramework(rules, fw as FrameworkId);
  }
  const format = values.format ?? (process.stdout.isTTY === true ? 'table' : 'json');
  if (format === 'json') {
    await writeOutput(`${JSON.stringify(rules, null, 2)}\n`, undefined);
    return EXIT.passed;
  }
  if (format !== 'table') throw new UsageError(`--format: unknown format "${format}" (table or json)`);
  const fw = values.framework === 'nist' ? 'nist-800-190' : (values.framework as FrameworkId | undefined);
  await writeOutput(rulesTable(rules, fw), undefined);
  return EXIT.passed;
}

function rulesTable(rules: readonly RuleInfo[], framework: FrameworkId | undefined): string {
  const rows = rules.map((r) => [r.id, r.severity, framework === undefined ? frameworkSummary(r) : (r.frameworks[framework] ?? []).join(', '), `${r.title}${r.enabledByDefault ? '' : ' (opt-in)'}`]);
  const header = ['ID', 'SEVERITY', framework === undefined ? 'FRAMEWORKS' : framework.toUpperCase(), 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${rules.length} rules\n`;
}

function frameworkSummary(r: RuleInfo): string {
  return Object.entries(r.frameworks)
    .filter(([, ids]) => ids !== undefined && ids.length > 0)
    .map(([fw, ids]) => `${fw}:${ids!.join('/')}`)
    .join(' ');
}

async function explainRule(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', short: 'f' } } });
  if (positionals.length !== 1) throw new UsageError('rules explain: give exactly one rule ID');
  const id = positionals[0]!;
  const rule = findRule(await catalogue(), id);
  if (rule === undefined) throw new UsageError(`rules explain: no rule "${id}" (see: bosun rules list)`);
  if (values.format === 'json') {
    await writeOutput(`${JSON.stringify(rule, null, 2)}\n`, undefined);
    return EXIT.passed;
  }
  await writeOutput(explainText(rule), undefined);
  return EXIT.passed;
}

function explainText(r: RuleInfo): string {
  const out = [`${r.id}: ${r.title}`, '', `Severity:   ${r.severity}`, `Category:   ${r.category}`, `Enabled:    ${r.enabledByDefault ? 'by default' : 'opt-in (bosun.yaml checks.enable)'}`, '', r.description, '', 'Fields read:', ...r.fields.map((f) => `  ${f}`), '', `Remediation: ${r.remediation}`];
  const fws = Object.entries(r.frameworks).filter(([, ids]) => ids !== undefined && ids.length > 0);
  if (fws.length > 0) out.push('', 'Frameworks:', ...fws.map(([fw, ids]) => `  ${fw}: ${ids!.join(', ')}`));
  if (r.aliases.length > 0) out.push('', `Also known as: ${r.aliases.join(', ')}`);
  if (r.settings !== undefined && Object.keys(r.settings).length > 0) out.push('', 'Settings (bosun.yaml checks.settings):', ...Object.entries(r.settings).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`));
  if (r.references !== undefined && r.references.length > 0) out.push('', 'References:', ...r.references.map((u) => `  ${u}`));
  return `${out.join('\n')}\n`;
}

/** `--scanner manifest,image` (default: manifest, the rules `bosun scan` runs; `all` for every scanner). */
function parseScanners(value: string | undefined): Scanner[] {
  if (value === undefined) return ['manifest'];
  if (value === 'all') return [...SCANNERS];
  const wanted = value.split(',').map((s) => s.trim());
  for (const s of wanted) if (!(SCANNERS as readonly string[]).includes(s)) throw new UsageError(`--scanner: unknown scanner "${s}" (one of ${SCANNERS.join(', ')}, all)`);
  return wanted as Scanner[];
}
