/** `bosun cluster scan`, and the input flags `bosun rbac` / `bosun netpol` share (files, or --cluster). */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, type Severity } from '../core/finding.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { findConfigFile, loadConfigFile } from '../config/load.ts';
import { ManifestIndex } from '../manifests/index-set.ts';
import { loadManifests, type LoadResult } from '../manifests/load.ts';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index.ts';
import { allRules } from '../rules.ts';
import type { RuleMeta } from '../core/rule.ts';
import { NETPOL_RULE_LIST } from '../netpol/index.ts';
import { RBAC_RULE_LIST } from '../rbac/index.ts';
import { analyzeLoaded, loadCluster, type CollectOptions } from '../cluster/index.ts';
import { useColor, writeOutput } from './io.ts';

const HELP = `Usage: bosun cluster scan [flags]

Reads a live cluster read-only (kubeconfig or in-cluster service account) and runs the manifest
checks, the RBAC analysis and the NetworkPolicy analysis over it: one report.

Flags:
      --kubeconfig FILE   kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster)
      --context NAME      kubeconfig context
  -n, --namespace NS      only these namespaces (repeatable; cluster-scoped kinds are always read)
      --from-dump FILE    read \`kubectl get … -o json|yaml\` output instead of a cluster (repeatable)
  -f, --format FORMAT     table|json|sarif|junit|markdown
  -o, --output FILE
      --fail-on SEVERITY  critical|high|medium|low|none (default high)
      --pss LEVEL[:VER]   also evaluate Pod Security Standards at this level
      --page-size N       items per list request (default 500)
`;

/** Flags every --cluster-capable command accepts. */
export const CONNECTION_FLAGS = {
  cluster: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'page-size': { type: 'string' },
} as const;

export interface ConnectionValues {
  cluster?: boolean | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  'page-size'?: string | undefined;
}

/** A one-line progress display on a terminal; nothing in CI or when stderr is redirected. */
function progress(): CollectOptions['onProgress'] {
  if (process.stderr.isTTY !== true) return undefined;
  return (kind, _items, done, total) => process.stderr.write(`\r\x1b[2Kreading ${kind} (${done + 1}/${total})`);
}

async function readCluster(options: CollectOptions): Promise<LoadResult> {
  try {
    return (await loadCluster(options)).loaded;
  } finally {
    if (options.onProgress !== undefined) process.stderr.write('\r\x1b[2K');
  }
}

export function collectOptions(values: ConnectionValues, namespaces?: readonly string[]): CollectOptions {
  const onProgress = progress();
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) throw new UsageError(`--page-size: "${values['page-size']}" is not a positive integer`);
  return {
    ...(values.kubeconfig !== undefined && { kubeconfig: values.kubeconfig }),
    ...(values.context !== undefined && { context: values.context }),
    ...(namespaces !== undefined && namespaces.length > 0 && { namespaces }),
    ...(pageSize !== undefined && { pageSize }),
    ...(onProgress !== undefined && { onProgress }),
  };
}

/** Files or a live cluster, as one LoadResult and its index. */
export async function loadAnalysisInputs(command: string, values: ConnectionValues, inputs: string[]): Promise<{ loaded: LoadResult; index: ManifestIndex }> {
  let loaded: LoadResult;
  if (values.cluster === true) {
    if (inputs.length > 0) throw new UsageError(`${command}: give input files or --cluster, not both`);
    loaded = await readCluster(collectOptions(values));
  } else {
    if (values.kubeconfig !== undefined || values.context !== undefined) throw new UsageError(`${command}: --kubeconfig and --context need --cluster`);
    if (inputs.length === 0) throw new UsageError(`${command}: no input given (files, directories, - for stdin, or --cluster)`);
    loaded = await loadManifests(inputs);
  }
  return { loaded, index: new ManifestIndex(loaded.resources) };
}

/** Input errors go to stderr; they make the command exit 2 after its answer. */
export function reportInputErrors(loaded: LoadResult): boolean {
  for (const e of loaded.errors) process.stderr.write(`bosun: ${e.message}\n`);
  return loaded.errors.length > 0;
}

export function parseReportFormat(value: string | undefined, output: string | undefined): ReportFormat {
  if (value === undefined) return output === undefined && process.stdout.isTTY === true ? 'table' : 'json';
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format: unknown format "${value}" (one of ${REPORT_FORMATS.join(', ')})`);
  return value as ReportFormat;
}

export function parseFailOn(value: string | undefined): Severity | 'none' | undefined {
  if (value === undefined) return undefined;
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: unknown severity "${value}" (one of critical, high, medium, low, none)`);
}

/** bosun.yaml: --config FILE, else found by walking up from the working directory. */
export async function analysisConfig(file: string | undefined): Promise<BosunConfig> {
  const found = file ?? (await findConfigFile(process.cwd()));
  return found === undefined ? EMPTY_CONFIG : loadConfigFile(found);
}

/** Every rule a cluster/rbac/netpol report can carry, for SARIF. */
export function analysisRules(): Map<string, RuleMeta> {
  return new Map<string, RuleMeta>([...allRules(), ...RBAC_RULE_LIST, ...NETPOL_RULE_LIST].map((r) => [r.id, r]));
}

export async function runCluster(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    process.stdout.write(HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (sub !== 'scan') throw new UsageError(`cluster: expected "scan", got "${sub}"`);
  const { values } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_FLAGS,
      namespace: { type: 'string', short: 'n', multiple: true },
      'from-dump': { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      pss: { type: 'string' },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  const format = parseReportFormat(values.format, values.output);
  const failOn = parseFailOn(values['fail-on']);
  const dumps = values['from-dump'];
  if (dumps !== undefined && (values.kubeconfig !== undefined || values.context !== undefined)) throw new UsageError('cluster scan: --from-dump reads files; it takes no --kubeconfig or --context');
  const config = await analysisConfig(values.config);
  const loaded = dumps !== undefined ? await loadManifests(dumps) : await readCluster(collectOptions(values, values.namespace));
  const report = analyzeLoaded(loaded, { config, ...(failOn !== undefined && { failOn }), ...(values.pss !== undefined && { pss: values.pss }) });
  const color = values.output === undefined && format === 'table' && useColor(process.stdout);
  await writeOutput(renderReport(report, format, { rules: analysisRules(), color, baseDir: process.cwd() }), values.output);
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (report.errors.length > 0) return EXIT.badInput;
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}
