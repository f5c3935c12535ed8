/** `bosun sbom scan FILE`: re-match a stored CycloneDX or SPDX JSON SBOM against the local store. */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, type Severity } from '../core/finding.ts';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index.ts';
import { scanSbom } from '../vuln/sbom-scan.ts';
import { defaultStorePath } from '../vuln/store/paths.ts';
import { parseAge } from '../vuln/store/store.ts';
import { useColor, writeOutput } from './io.ts';

const HELP = `Usage: bosun sbom scan FILE [flags]

Matches the packages of a CycloneDX or SPDX JSON SBOM against the local vulnerability store
(bosun db update), applies VEX statements and bosun.yaml waivers, and gates on severity.

Flags:
      --vex FILE            OpenVEX or CycloneDX VEX document (repeatable; also vex: in bosun.yaml)
      --ignore-unfixed      leave out vulnerabilities without a published fix
      --fail-on SEVERITY    critical|high|medium|low|none (default high)
  -f, --format FORMAT       table|json|sarif|junit|markdown (default: table on a terminal, json otherwise)
  -o, --output FILE         write the report to FILE
      --db FILE             the store (default ${defaultStorePath()})
      --max-db-age AGE      warn when the store is older (default 7d; 24h, 90m …)
      --require-fresh-db    fail instead of warning when the store is older than --max-db-age
  -c, --config FILE / --no-config
`;

export async function runSbom(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (sub !== 'scan') throw new UsageError(`sbom: unknown subcommand "${sub}" (try: bosun sbom scan FILE)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      vex: { type: 'string', multiple: true },
      'ignore-unfixed': { type: 'boolean' },
      'fail-on': { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      db: { type: 'string' },
      'max-db-age': { type: 'string' },
      'require-fresh-db': { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  if (positionals.length !== 1) throw new UsageError('sbom scan: give exactly one SBOM file (CycloneDX or SPDX JSON)');
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'none' && !isSeverity(failOn)) throw new UsageError(`--fail-on: unknown severity "${failOn}" (one of critical, high, medium, low, none)`);
  const format = (values.format ?? (values.output === undefined && process.stdout.isTTY === true ? 'table' : 'json')) as ReportFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown format "${format}" (one of ${REPORT_FORMATS.join(', ')})`);
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('sbom scan: --config and --no-config cannot be used together');

  const { report, warnings } = await scanSbom(positionals[0]!, {
    ...(values.db !== undefined && { dbPath: values.db }),
    ...(values.vex !== undefined && { vex: values.vex }),
    ...(values['ignore-unfixed'] === true && { ignoreUnfixed: true }),
    ...(failOn !== undefined && { failOn: failOn as Severity | 'none' }),
    ...(values['max-db-age'] !== undefined && { maxDbAgeMs: parseAge(values['max-db-age']) }),
    ...(values['require-fresh-db'] === true && { requireFreshDb: true }),
    config: values['no-config'] === true ? false : (values.config ?? undefined),
  });
  for (const w of warnings) process.stderr.write(`bosun: warning: ${w}\n`);
  const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
  await writeOutput(renderReport(report, format, { rules: [], color, baseDir: process.cwd() }), values.output);
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}
