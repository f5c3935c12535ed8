/** `bosun rbac who-can | can | paths | scan`: questions to the RBAC model of files or a live cluster. */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { renderReport } from '../report/index.ts';
import { buildRbacModel, canI, escalationPaths, parseSubject, rbacFindings, rbacIssueFindings, renderPaths, whoCan, PATH_FORMATS, describeSubject, type AccessQuery, type Grant, type PathFormat, type RbacModel } from '../rbac/index.ts';
import { analysisReport } from '../cluster/report.ts';
import { CONNECTION_FLAGS, analysisConfig, analysisRules, loadAnalysisInputs, parseFailOn, parseReportFormat, reportInputErrors } from './cluster.ts';
import { writeOutput } from './io.ts';

const HELP = `Usage:
  bosun rbac who-can VERB RESOURCE[/SUBRESOURCE] [-n NS] [--name NAME] INPUTS...|--cluster
  bosun rbac can SUBJECT VERB RESOURCE[/SUBRESOURCE] [-n NS] [--name NAME] [--group G] INPUTS...|--cluster
  bosun rbac paths [--to cluster-admin|SUBJECT] [--from SUBJECT] [--format table|json|dot] INPUTS...|--cluster
  bosun rbac scan INPUTS...|--cluster [--format table|json|sarif|junit|markdown] [--fail-on SEVERITY]

RESOURCE: pods, pods/exec, deployments.apps, deployments.apps/scale, widgets.example.com, '*',
or a non-resource URL such as /metrics. SUBJECT: User:NAME, Group:NAME, ServiceAccount:NS/NAME
(also system:serviceaccount:NS:NAME). Without -n, who-can lists grants in every namespace (each
with its scope) and can asks for the permission in every namespace.
Roles missing from the inputs resolve to Kubernetes' default ClusterRoles (cluster-admin, admin,
edit, view, system:…), and default bindings such as cluster-admin → Group system:masters apply.
Exit codes: can exits 0 when allowed, 1 when not; paths exits 1 when a path exists; 2 for bad input.

Flags: --cluster [--kubeconfig FILE] [--context NAME] read a live cluster instead of files;
       -f/--format, -o/--output; scan reads bosun.yaml (-c FILE) for waivers, checks.disable and checks.severity.
`;

const QUERY_FLAGS = {
  ...CONNECTION_FLAGS,
  namespace: { type: 'string', short: 'n' },
  name: { type: 'string' },
  group: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  to: { type: 'string' },
  from: { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runRbac(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (!['who-can', 'can', 'paths', 'scan'].includes(sub)) throw new UsageError(`rbac: unknown subcommand "${sub}" (who-can, can, paths, scan)`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: QUERY_FLAGS });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  const need = sub === 'who-can' ? 2 : sub === 'can' ? 3 : 0;
  if (positionals.length < need) throw new UsageError(`rbac ${sub}: expected ${sub === 'who-can' ? 'VERB RESOURCE' : 'SUBJECT VERB RESOURCE'} before the inputs`);
  const args = positionals.slice(0, need);
  const { loaded, index } = await loadAnalysisInputs(`rbac ${sub}`, values, positionals.slice(need));
  const model = buildRbacModel(index);
  for (const issue of model.issues) process.stderr.write(`bosun: warning: ${issue.message}\n`);
  let code: number;
  switch (sub) {
    case 'who-can':
      code = await whoCanCommand(model, query(args[0]!, args[1]!, values), values.format, values.output);
      break;
    case 'can':
      code = await canCommand(model, args[0]!, query(args[1]!, args[2]!, values), values.group ?? [], values.format, values.output);
      break;
    case 'paths':
      code = await pathsCommand(model, values);
      break;
    default: {
      const failOn = parseFailOn(values['fail-on']);
      const format = parseReportFormat(values.format, values.output);
      const report = analysisReport(undefined, [...rbacFindings(model), ...rbacIssueFindings(model)], [], await analysisConfig(values.config), { ...(failOn !== undefined && { failOn }), files: loaded.files.length, resources: loaded.resources.length });
      await writeOutput(renderReport(report, format, { rules: analysisRules(), baseDir: process.cwd() }), values.output);
      code = report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
    }
  }
  return reportInputErrors(loaded) ? EXIT.badInput : code;
}

function query(verb: string, resource: string, values: { namespace?: string | undefined; name?: string | undefined }): AccessQuery {
  return { verb, resource, ...(values.namespace !== undefined && { namespace: values.namespace }), ...(values.name !== undefined && { name: values.name }) };
}

function textFormat(format: string | undefined): 'table' | 'json' {
  const f = format ?? (process.stdout.isTTY === true ? 'table' : 'json');
  if (f !== 'table' && f !== 'json') throw new UsageError(`--format: "${f}" is not table or json`);
  return f;
}

function scope(g: Grant): string {
  return g.namespace === undefined ? 'cluster-wide' : `namespace ${g.namespace}`;
}

function grantJson(g: Grant): Record<string, unknown> {
  return { via: g.via, binding: g.binding, role: g.role, rule: g.rule, scope: g.namespace ?? '*', chain: g.chain };
}

async function whoCanCommand(model: RbacModel, q: AccessQuery, format: string | undefined, output: string | undefined): Promise<number> {
  const result = whoCan(model, q);
  if (textFormat(format) === 'json') {
    await writeOutput(`${JSON.stringify({ query: q, subjects: result.subjects.map((s) => ({ subject: s.subject, ...(s.usedBy !== undefined && { usedBy: s.usedBy }), grants: s.grants.map(grantJson) })) }, null, 2)}\n`, output);
    return EXIT.passed;
  }
  const lines = [`who can ${q.verb} ${q.resource}${q.name !== undefined ? ` "${q.name}"` : ''}${q.namespace !== undefined ? ` in namespace ${q.namespace}` : ''}:`];
  for (const s of result.subjects) {
    lines.push(`  ${describeSubject(s.subject)}${s.usedBy !== undefined ? ` (used by ${s.usedBy.join(', ')})` : ''}`);
    for (const g of s.grants) lines.push(`      ${scope(g)}: ${g.chain}`);
  }
  if (result.subjects.length === 0) lines.push('  nobody');
  await writeOutput(`${lines.join('\n')}\n`, output);
  return EXIT.passed;
}

async function canCommand(model: RbacModel, subjectText: string, q: AccessQuery, groups: string[], format: string | undefined, output: string | undefined): Promise<number> {
  const result = canI(model, parseSubject(subjectText), q, groups);
  if (textFormat(format) === 'json') {
    await writeOutput(`${JSON.stringify({ subject: result.subject, query: q, allowed: result.allowed, grants: result.grants.map(grantJson) }, null, 2)}\n`, output);
  } else {
    const lines = [`${result.allowed ? 'yes' : 'no'}: ${describeSubject(result.subject)} ${result.allowed ? 'can' : 'cannot'} ${q.verb} ${q.resource}${q.name !== undefined ? ` "${q.name}"` : ''}${q.namespace !== undefined ? ` in namespace ${q.namespace}` : ' in every namespace'}`];
    for (const g of result.grants) lines.push(`  ${g.via.kind === result.subject.kind && g.via.name === result.subject.name ? '' : `as ${describeSubject(g.via)}: `}${g.chain}`);
    await writeOutput(`${lines.join('\n')}\n`, output);
  }
  return result.allowed ? EXIT.passed : EXIT.gateFailed;
}

async function pathsCommand(model: RbacModel, values: { to?: string | undefined; from?: string | undefined; format?: string | undefined; output?: string | undefined }): Promise<number> {
  const format = values.format ?? 'table';
  if (!(PATH_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: "${format}" is not one of ${PATH_FORMATS.join(', ')}`);
  const result = escalationPaths(model, { ...(values.to !== undefined && { to: values.to }), ...(values.from !== undefined && { from: values.from }) });
  await writeOutput(renderPaths(result, format as PathFormat), values.output);
  return result.paths.length > 0 ? EXIT.gateFailed : EXIT.passed;
}
