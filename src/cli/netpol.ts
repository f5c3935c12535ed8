/** `bosun netpol reach | matrix | scan | test | probes`: NetworkPolicy analysis of files or a live cluster. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BosunError, EXIT, UsageError } from '../core/errors.ts';
import type { ManifestIndex } from '../manifests/index-set.ts';
import { renderReport } from '../report/index.ts';
import {
  MATRIX_FORMATS, NetpolEvaluator, buildNetpolModel, computeMatrix, netpolReach, networkPolicyFindings, parsePortProto, parseSpec, portKey, probeJobs, renderMatrix,
  renderSpecJunit, renderSpecTable, runSpec, specExternals, splitEndpointPort, type MatrixFormat, type NetpolModel, type PortProto, type ReachResult,
} from '../netpol/index.ts';
import { analysisReport } from '../cluster/report.ts';
import { CONNECTION_FLAGS, analysisConfig, analysisRules, loadAnalysisInputs, parseFailOn, parseReportFormat, reportInputErrors } from './cluster.ts';
import { writeOutput } from './io.ts';

const HELP = `Usage:
  bosun netpol reach --from NS/POD --to NS/POD[:PORT[/PROTO]] INPUTS...|--cluster
  bosun netpol matrix INPUTS...|--cluster [--ports 80/TCP,53/UDP] [-n NS]... [--format table|json|csv|html|markdown]
  bosun netpol scan INPUTS...|--cluster [--format table|json|sarif|junit|markdown] [--fail-on SEVERITY]
  bosun netpol test SPEC INPUTS...|--cluster [--format table|junit|json]
  bosun netpol probes SPEC INPUTS...|--cluster [-o jobs.yaml]

Kubernetes NetworkPolicy semantics, with AdminNetworkPolicy and BaselineAdminNetworkPolicy tiers.
Pods come from Pod objects and from workload templates (one representative pod per workload).
An endpoint may also be an IP address (traffic to or from outside the cluster).
reach without a port asks every container port the destination declares; matrix without --ports
uses every declared container port, and -n limits its rows and columns to those namespaces.
Exit codes: reach exits 0 when allowed, 1 when denied; test exits 1 when a case fails; 2 bad input.

Flags: --cluster [--kubeconfig FILE] [--context NAME] read a live cluster instead of files;
       -f/--format, -o/--output; scan reads bosun.yaml (-c FILE) for waivers, checks.disable and checks.severity.
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  from: { type: 'string' },
  to: { type: 'string' },
  ports: { type: 'string' },
  namespace: { type: 'string', short: 'n', multiple: true },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { config?: string | undefined; from?: string | undefined; to?: string | undefined; ports?: string | undefined; namespace?: string[] | undefined; format?: string | undefined; output?: string | undefined; 'fail-on'?: string | undefined };

export async function runNetpol(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (!['reach', 'matrix', 'scan', 'test', 'probes'].includes(sub)) throw new UsageError(`netpol: unknown subcommand "${sub}" (reach, matrix, scan, test, probes)`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: FLAGS });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  const takesSpec = sub === 'test' || sub === 'probes';
  if (takesSpec && positionals.length === 0) throw new UsageError(`netpol ${sub}: expected SPEC before the inputs`);
  const spec = takesSpec ? positionals[0]! : undefined;
  const { loaded, index } = await loadAnalysisInputs(`netpol ${sub}`, values, positionals.slice(takesSpec ? 1 : 0));
  let code: number;
  switch (sub) {
    case 'reach':
      code = await reachCommand(index, values);
      break;
    case 'matrix':
      code = await matrixCommand(index, values);
      break;
    case 'scan':
      code = await scanCommand(index, values, loaded.files.length, loaded.resources.length);
      break;
    default:
      code = await specCommand(sub as 'test' | 'probes', spec!, index, values);
  }
  return reportInputErrors(loaded) ? EXIT.badInput : code;
}

function warnIssues(model: { issues: NetpolModel['issues'] }): void {
  for (const issue of model.issues) process.stderr.write(`bosun: warning: ${issue.message}\n`);
}

function jsonOrTable(format: string | undefined, allowed: readonly string[] = ['table', 'json']): string {
  const f = format ?? (process.stdout.isTTY === true ? 'table' : 'json');
  if (!allowed.includes(f)) throw new UsageError(`--format: "${f}" is not one of ${allowed.join(', ')}`);
  return f;
}

async function reachCommand(index: ManifestIndex, values: Values): Promise<number> {
  if (values.from === undefined || values.to === undefined) throw new UsageError('netpol reach: --from NS/POD and --to NS/POD[:PORT/PROTO] are required');
  const { endpoint: to, port } = splitEndpointPort(values.to);
  const result = netpolReach(index, values.from.trim(), to, port === undefined ? [] : [port]);
  warnIssues(result);
  if (jsonOrTable(values.format) === 'json') await writeOutput(`${JSON.stringify(result, null, 2)}\n`, values.output);
  else await writeOutput(reachText(result), values.output);
  return result.allowed ? EXIT.passed : EXIT.gateFailed;
}

function reachText(r: ReachResult): string {
  const lines: string[] = [];
  for (const p of r.ports) {
    lines.push(`${p.allowed ? 'allowed' : 'denied'}: ${r.from} -> ${r.to} ${p.port}`);
    if (p.egress !== undefined) lines.push(`  egress  ${p.egress.allowed ? 'allow' : 'deny '}  ${p.egress.reason}`);
    if (p.ingress !== undefined) lines.push(`  ingress ${p.ingress.allowed ? 'allow' : 'deny '}  ${p.ingress.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function parsePorts(text: string | undefined, model: NetpolModel): PortProto[] {
  if (text === undefined) {
    const seen = new Map<string, PortProto>();
    for (const pod of model.pods) for (const p of pod.declaredPorts) seen.set(portKey(p), p);
    const all = [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
    return all.length > 0 ? all : [{ port: 80, protocol: 'TCP' }];
  }
  return text.split(',').map((t) => {
    const p = parsePortProto(t);
    if (p === undefined) throw new UsageError(`--ports: "${t}" is not PORT[/TCP|UDP|SCTP]`);
    return p;
  });
}

async function matrixCommand(index: ManifestIndex, values: Values): Promise<number> {
  const format = (values.format ?? (process.stdout.isTTY === true ? 'table' : 'json')) as MatrixFormat;
  if (!(MATRIX_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: "${format}" is not one of ${MATRIX_FORMATS.join(', ')}`);
  const model = buildNetpolModel(index);
  warnIssues(model);
  const only = values.namespace;
  const pods = only === undefined ? model.pods : model.pods.filter((p) => only.includes(p.namespace));
  const matrix = computeMatrix(new NetpolEvaluator(model), parsePorts(values.ports, model), pods);
  await writeOutput(renderMatrix(matrix, format), values.output);
  return EXIT.passed;
}

async function scanCommand(index: ManifestIndex, values: Values, files: number, resources: number): Promise<number> {
  const format = parseReportFormat(values.format, values.output);
  const failOn = parseFailOn(values['fail-on']);
  const report = analysisReport(undefined, networkPolicyFindings(buildNetpolModel(index)), [], await analysisConfig(values.config), { ...(failOn !== undefined && { failOn }), files, resources });
  await writeOutput(renderReport(report, format, { rules: analysisRules(), baseDir: process.cwd() }), values.output);
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}

async function specCommand(sub: 'test' | 'probes', specFile: string, index: ManifestIndex, values: Values): Promise<number> {
  let text: string;
  try {
    text = await readFile(specFile, 'utf8');
  } catch (err) {
    throw new BosunError('E_INPUT_NOT_FOUND', `${specFile}: cannot read the connectivity spec`, { cause: err });
  }
  const cases = parseSpec(text, specFile);
  const model = buildNetpolModel(index, { externals: specExternals(cases) });
  warnIssues(model);
  const ev = new NetpolEvaluator(model);
  if (sub === 'probes') {
    const out = probeJobs(ev, cases);
    for (const s of out.skipped) process.stderr.write(`bosun: ${s}\n`);
    await writeOutput(out.yaml, values.output);
    return EXIT.passed;
  }
  const result = runSpec(ev, cases);
  const format = jsonOrTable(values.format, ['table', 'junit', 'json']);
  const text2 = format === 'junit' ? renderSpecJunit(result) : format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderSpecTable(result);
  await writeOutput(text2, values.output);
  return result.failed > 0 ? EXIT.gateFailed : EXIT.passed;
}
