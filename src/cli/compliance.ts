/** `bosun compliance --framework NAME [PATH...|-]`: a framework's controls with pass/fail/manual/N-A, the findings behind each failure, and a score. */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { COMPLIANCE_FORMATS, FRAMEWORK_IDS, getFramework, renderCompliance, renderComplianceHtml, runCompliance, type ComplianceFormat, type ComplianceReport } from '../compliance/index.ts';
import { writeOutput } from './io.ts';

const HELP = `Usage: bosun compliance --framework NAME [PATH...|-] [flags]

Assesses Kubernetes manifests against a compliance framework: every control with pass, fail,
manual (needs a person) or not applicable (nothing it covers is in the inputs), the findings
behind each failed control, and a score (passed / decidable controls). Waivers in bosun.yaml apply.

Frameworks: ${FRAMEWORK_IDS.join(', ')}

Flags:
      --framework NAME    the framework (required); several: --framework cis-k8s,nsa (or repeat the flag)
  -f, --format FORMAT     table|json|markdown|html (default: table on a terminal, json otherwise)
  -o, --output FILE       write the report to FILE (html: one self-contained file)
      --min-score N       exit 1 only when the score is below N (default: any failed control)
  -c, --config FILE       bosun.yaml to use;  --no-config  use none
Exit codes: 0 passed, 1 a control failed (or the score is below --min-score), 2 bad input, 3 internal error.
`;

export async function runComplianceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      framework: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'min-score': { type: 'string' },
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  if (values.framework === undefined) throw new UsageError(`compliance: --framework is required (one of ${FRAMEWORK_IDS.join(', ')})`);
  if (positionals.length === 0) throw new UsageError('compliance: no input given (a file, a directory, or - for stdin)');
  const format = (values.format ?? (values.output === undefined && process.stdout.isTTY === true ? 'table' : 'json')) as ComplianceFormat;
  if (!COMPLIANCE_FORMATS.includes(format)) throw new UsageError(`--format: unknown format "${values.format}" (one of ${COMPLIANCE_FORMATS.join(', ')})`);
  let minScore: number | undefined;
  if (values['min-score'] !== undefined) {
    minScore = Number(values['min-score']);
    if (!/^\d+(\.\d+)?$/.test(values['min-score']) || minScore > 100) throw new UsageError(`--min-score: expected a number from 0 to 100, got "${values['min-score']}"`);
  }
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('compliance: --config and --no-config cannot be used together');
  const names = [...new Set(values.framework.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== ''))];
  for (const n of names) getFramework(n); // unknown names fail before any scanning
  const reports: ComplianceReport[] = [];
  for (const n of names) reports.push(await runCompliance(positionals, n, { config: values['no-config'] === true ? false : (values.config ?? undefined) }));
  await writeOutput(render(reports, format), values.output);
  for (const e of reports[0]?.errors ?? []) process.stderr.write(`bosun: ${e.message}\n`);
  if ((reports[0]?.errors.length ?? 0) > 0) return EXIT.badInput;
  const failed = reports.some((r) => (minScore === undefined ? r.summary.fail > 0 : r.summary.score !== null && r.summary.score < minScore));
  return failed ? EXIT.gateFailed : EXIT.passed;
}

function render(reports: readonly ComplianceReport[], format: ComplianceFormat): string {
  if (reports.length === 1) return renderCompliance(reports[0]!, format);
  if (format === 'html') return renderComplianceHtml(reports);
  if (format === 'json') return `${JSON.stringify({ schemaVersion: 1, reports }, null, 2)}\n`;
  return reports.map((r) => renderCompliance(r, format)).join('\n');
}
