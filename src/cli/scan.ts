import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, type Severity } from '../core/finding.ts';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index.ts';
import { renderJsonChunks } from '../report/json.ts';
import { allRules, ruleMap } from '../rules.ts';
import { scanManifests } from '../scan.ts';
import { useColor, writeOutput, writeOutputChunks } from './io.ts';

const HELP = `Usage: bosun scan [PATH...|-] [flags]

Scans Kubernetes manifests: files, directories (recursively: .yaml, .yml, .json) and - for stdin
(helm template . | bosun scan -). Multi-document YAML, kind: List and kubectl -o json|yaml output.

Flags:
  -f, --format FORMAT     table|json|sarif|junit|markdown (default: table on a terminal, json otherwise)
  -o, --output FILE       write the report to FILE
      --fail-on SEVERITY  critical|high|medium|low|none: lowest severity that fails the gate (default high)
      --pss LEVEL[:VER]   evaluate every pod at a Pod Security Standards level: baseline|restricted[:v1.N|:latest]
      --policy PATH       ValidatingAdmissionPolicy (+ bindings, params) or bosun Rule files/directories;
                          repeatable, added to bosun.yaml policies:. Objects are admitted as CREATE requests.
      --skip GLOB         leave matching paths out of directory walks (relative to the working directory;
                          ** any depth, a name without / anywhere); repeatable, added to bosun.yaml exclude:
  -c, --config FILE       bosun.yaml to use (default: found by walking up from the first path)
      --no-config         use no bosun.yaml
      --default-namespace NS  namespace assumed for objects without one (default "default")
      --color / --no-color
`;

export async function runScan(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      pss: { type: 'string' },
      policy: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean' },
      'default-namespace': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  if (positionals.length === 0) throw new UsageError('scan: no input given (a file, a directory, or - for stdin)');
  const format = parseFormat(values.format, values.output);
  const failOn = parseFailOn(values['fail-on']);
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('scan: --config and --no-config cannot be used together');

  const report = await scanManifests(positionals, {
    ...(failOn !== undefined && { failOn }),
    ...(values.pss !== undefined && { pss: values.pss }),
    ...(values.policy !== undefined && { policies: values.policy }),
    ...(values.skip !== undefined && { exclude: values.skip }),
    ...(values['default-namespace'] !== undefined && { defaultNamespace: values['default-namespace'] }),
    config: values['no-config'] === true ? false : (values.config ?? undefined),
  });
  const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
  // JSON is written finding by finding: a big report is never one string in memory.
  if (format === 'json') await writeOutputChunks(renderJsonChunks(report), values.output);
  else await writeOutput(renderReport(report, format, { rules: ruleMap(allRules()), color, baseDir: process.cwd() }), values.output);
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (report.errors.length > 0) return EXIT.badInput;
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}

function parseFormat(value: string | undefined, output: string | undefined): ReportFormat {
  if (value === undefined) return output === undefined && process.stdout.isTTY === true ? 'table' : 'json';
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format: unknown format "${value}" (one of ${REPORT_FORMATS.join(', ')})`);
  return value as ReportFormat;
}

function parseFailOn(value: string | undefined): Severity | 'none' | undefined {
  if (value === undefined) return undefined;
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: unknown severity "${value}" (one of critical, high, medium, low, none)`);
}
