/** `bosun audit …`: Kubernetes audit-log detection with Falco-compatible rules. */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createEngine, type MatchedAlert, type RuleMatching } from '../audit/engine.ts';
import { readAuditConfig, type AuditConfig, type SinkConfig } from '../audit/config.ts';
import { alertToFinding, auditRuleMeta, buildAuditReport } from '../audit/findings.ts';
import { loadRules, type Ruleset } from '../audit/loader.ts';
import { falcoJson } from '../audit/output.ts';
import { renderAuditPolicy } from '../audit/policy.ts';
import { parsePriority, PRIORITIES, type Priority } from '../audit/priority.ts';
import { expandAuditInputs, readRulesSources, scanAuditFile, type AuditScanStats } from '../audit/scan.ts';
import { DEFAULT_AUDIT_PORT, startAuditServer } from '../audit/serve.ts';
import { createSink } from '../audit/sinks.ts';
import { auditMetrics } from '../audit/metrics.ts';
import { BosunError, EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, SEVERITY_RANK, type Finding, type InputError, type Severity } from '../core/finding.ts';
import { applyWaivers } from '../core/suppress.ts';
import { findConfigFile, loadConfigFile } from '../config/load.ts';
import type { BosunConfig } from '../config/types.ts';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index.ts';
import { useColor, writeOutput } from './io.ts';

const HELP = `Usage: bosun audit <command> [flags]

Kubernetes audit-log detection with Falco's rule language (k8s_audit source). Falco rules files
load unmodified; bosun ships its own default rules.

Commands:
  scan PATH...|-         evaluate audit logs: files (.gz too), directories (oldest first), - for stdin
  serve                  audit webhook endpoint (/k8s-audit), Falco alert intake (/falco), /metrics
  policy                 print the audit Policy and kube-apiserver flags the rules need
  rules list             list the loaded rules
  rules check FILE...    load rules files and report the first error (file:line:col, item, position)

Common flags:
  -r, --rules FILE        rules file, repeatable, loaded in order (default: bosun's audit rules)
      --rule-matching M   first (Falco's default: one alert per event) or all
      --min-priority P    skip rules less severe than P (emergency … debug)
  -c, --config FILE       bosun.yaml (default: found by walking up); --no-config for none
`;

const SCAN_HELP = `Usage: bosun audit scan PATH...|- [flags]

Audit events as the API server's log backend writes them (JSON lines), EventList documents or
arrays; .gz files are decompressed; a directory is read file by file, oldest first.

Flags:
  -f, --format FORMAT     falco-json|falco-text (Falco's alert lines) or table|json|sarif|junit|markdown
                          (bosun findings); default table on a terminal, falco-json otherwise
  -o, --output FILE       write there instead of stdout
  -r, --rules FILE        rules file (repeatable; default bosun's rules)
      --rule-matching M   first|all (default first)
      --min-priority P    skip rules less severe than P
      --fail-on SEVERITY  critical|high|medium|low|none (default high); Falco priorities map to
                          Emergency–Critical critical, Error high, Warning medium, Notice low, else info
      --utc               print times in UTC (Falco prints local time)
      --json-include-message  add Falco's "message" property to falco-json alerts
      --time-format iso8601   prefix alerts with the ISO 8601 UTC time (Falco's time_format_iso_8601)
      --stats             print Falco's summary on stderr (Events detected, counts by severity and rule)
      --max-event-size N  bytes (default 262144, as the k8saudit plugin)
`;

const SERVE_HELP = `Usage: bosun audit serve [flags]

Flags:
      --host ADDR         bind address (default 127.0.0.1)
      --port N            port (default ${DEFAULT_AUDIT_PORT}; 0 picks a free one)
      --tls-cert FILE --tls-key FILE   serve HTTPS
      --token-file FILE   require "Authorization: Bearer <token>" on /k8s-audit and /falco
  -r, --rules FILE        rules file (repeatable)
      --rule-matching M, --min-priority P, --utc
      --queue-size N      request bodies waiting before 429 (default 64)
Sinks, dedup and rate limits come from bosun.yaml (audit.sinks, audit.dedup, audit.rateLimit);
without sinks, alerts go to stdout as Falco JSON lines. SIGINT/SIGTERM drain and flush.
`;

const commonOptions = {
  rules: { type: 'string', short: 'r', multiple: true },
  'rule-matching': { type: 'string' },
  'min-priority': { type: 'string' },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  utc: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runAudit(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'scan':
      return auditScan(rest);
    case 'serve':
      return auditServe(rest);
    case 'policy':
      return auditPolicy(rest);
    case 'rules':
      return auditRules(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return sub === undefined ? EXIT.badInput : EXIT.passed;
    default:
      throw new UsageError(`audit: unknown command "${sub}" (scan, serve, policy, rules)`);
  }
}

interface Common {
  config: BosunConfig | undefined;
  audit: AuditConfig;
  rules: string[];
  ruleMatching: RuleMatching;
  minPriority: Priority;
  utc: boolean;
}

async function common(values: { rules?: string[] | undefined; 'rule-matching'?: string | undefined; 'min-priority'?: string | undefined; config?: string | undefined; 'no-config'?: boolean | undefined; utc?: boolean | undefined }, startDir: string): Promise<Common> {
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('--config and --no-config cannot be used together');
  let configPath: string | undefined;
  if (values['no-config'] !== true) configPath = values.config ?? (await findConfigFile(startDir));
  const config = configPath === undefined ? undefined : await loadConfigFile(configPath);
  const audit = configPath === undefined ? {} : await readAuditConfig(configPath);
  const matching = values['rule-matching'] ?? audit.ruleMatching ?? 'first';
  if (matching !== 'first' && matching !== 'all') throw new UsageError(`--rule-matching: expected first or all, got "${matching}"`);
  const prioText = values['min-priority'] ?? audit.minPriority ?? 'debug';
  const minPriority = parsePriority(prioText);
  if (minPriority === undefined) throw new UsageError(`--min-priority: unknown priority "${prioText}" (one of ${PRIORITIES.join(', ').toLowerCase()})`);
  return { config, audit, rules: values.rules ?? audit.rules ?? [], ruleMatching: matching, minPriority, utc: values.utc === true || audit.utc === true };
}

async function loadRuleset(c: Common): Promise<Ruleset> {
  const rs = loadRules(await readRulesSources(c.rules), { minPriority: c.minPriority });
  for (const w of rs.warnings) process.stderr.write(`bosun: warning: ${w}\n`);
  return rs;
}

async function auditScan(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...commonOptions,
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      stats: { type: 'boolean' },
      'json-include-message': { type: 'boolean' },
      'time-format': { type: 'string' },
      'max-event-size': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(SCAN_HELP);
    return EXIT.passed;
  }
  if (positionals.length === 0) throw new UsageError('audit scan: no input given (a file, or - for stdin)');
  const format = values.format ?? (values.output === undefined && process.stdout.isTTY === true ? 'table' : 'falco-json');
  const falcoFormat = format === 'falco-json' || format === 'falco-text';
  if (!falcoFormat && !(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown format "${format}" (falco-json, falco-text, ${REPORT_FORMATS.join(', ')})`);
  // bosun.yaml is looked up from the working directory: audit logs live outside repositories.
  const c = await common(values, process.cwd());
  const failOn = parseFailOn(values['fail-on'] ?? c.config?.failOn ?? 'high');
  const maxEventSize = values['max-event-size'] === undefined ? undefined : Number(values['max-event-size']);
  if (maxEventSize !== undefined && !(Number.isInteger(maxEventSize) && maxEventSize > 0)) throw new UsageError('--max-event-size: expected a positive number of bytes');
  const ruleset = await loadRuleset(c);
  const timeFormat = values['time-format'];
  if (timeFormat !== undefined && timeFormat !== 'iso8601' && timeFormat !== 'clock') throw new UsageError(`--time-format: expected iso8601 or clock, got "${timeFormat}"`);
  const engine = createEngine(ruleset, { ruleMatching: c.ruleMatching, minPriority: c.minPriority, utc: c.utc, timeIso8601: timeFormat === 'iso8601' });

  const out = falcoFormat && values.output !== undefined ? createWriteStream(values.output) : undefined;
  const sink: NodeJS.WritableStream = out ?? process.stdout;
  const waivers = c.config?.waivers ?? [];
  const now = new Date();
  // Falco formats stream: alerts are written as they come and only counted for the gate, so
  // memory does not grow with the log. Report formats keep the findings to render them.
  const findings: Finding[] = [];
  let alertCount = 0;
  let gateFailed = false;
  const threshold = failOn === 'none' ? Infinity : SEVERITY_RANK[failOn];
  const stats: AuditScanStats[] = [];
  for (const input of await expandAuditInputs(positionals)) {
    const onAlert = (a: MatchedAlert): void => {
      alertCount++;
      const f = alertToFinding(a, input === '-' ? undefined : input);
      if (!falcoFormat) {
        findings.push(f);
        return;
      }
      if (waivers.length > 0) applyWaivers([f], waivers, now);
      if (f.suppressed === undefined && SEVERITY_RANK[f.severity] >= threshold) gateFailed = true;
      sink.write(format === 'falco-json' ? `${falcoJson(a, { includeMessage: values['json-include-message'] === true })}\n` : `${a.output}\n`);
    };
    const afterChunk = (): Promise<void> | undefined => ((sink as NodeJS.WriteStream).writableNeedDrain ? new Promise<void>((resolve) => sink.once('drain', () => resolve())) : undefined);
    stats.push(await scanAuditFile(input, engine, { onAlert, afterChunk, ...(maxEventSize !== undefined && { maxEventSize }) }));
  }
  if (out !== undefined) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(new BosunError('E_OUTPUT', `${values.output}: cannot write (${err.message})`)) : resolve())));

  const expired = c.config === undefined ? [] : applyWaivers(findings, c.config.waivers, new Date(), c.config.source ?? 'bosun.yaml');
  const errors: InputError[] = stats.flatMap((s) => s.errors);
  const errorCount = stats.reduce((n, s) => n + Object.values(s.errorCounts).reduce((a, b) => a + b, 0), 0);
  const report = buildAuditReport({ findings, errors, errorCount, events: stats.reduce((n, s) => n + s.events, 0), inputs: positionals.length, failOn, expiredWaivers: expired });
  if (!falcoFormat) {
    const rules = new Map(ruleset.rules.map((r) => [auditRuleMeta(r).id, auditRuleMeta(r)]));
    const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
    await writeOutput(renderReport(report, format as ReportFormat, { rules, color, baseDir: process.cwd() }), values.output);
  }
  for (const e of errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (errorCount > errors.length) process.stderr.write(`bosun: … and ${errorCount - errors.length} more input problems\n`);
  const events = stats.reduce((n, s) => n + s.events, 0);
  if (falcoFormat) process.stderr.write(`bosun: ${events} events, ${alertCount} alerts${errorCount > 0 ? `, ${errorCount} input problems` : ''}\n`);
  if (values.stats === true) process.stderr.write(falcoSummary(stats, ruleset));
  if (errorCount > 0) return EXIT.badInput;
  return (falcoFormat ? gateFailed : report.summary.gateFailed) ? EXIT.gateFailed : EXIT.passed;
}

/** Falco's end-of-run summary (what its own regression harness parsed). */
function falcoSummary(stats: readonly AuditScanStats[], ruleset: Ruleset): string {
  const byRule = new Map<string, number>();
  for (const s of stats) for (const [r, n] of Object.entries(s.alertsByRule)) byRule.set(r, (byRule.get(r) ?? 0) + n);
  const priorityOf = new Map(ruleset.rules.map((r) => [r.name, r.priority]));
  const bySeverity = new Map<string, number>();
  for (const [r, n] of byRule) {
    const p = priorityOf.get(r) ?? 'Debug';
    bySeverity.set(p, (bySeverity.get(p) ?? 0) + n);
  }
  const total = [...byRule.values()].reduce((a, b) => a + b, 0);
  const lines = [`Events detected: ${total}`, 'Rule counts by severity:'];
  for (const p of PRIORITIES) if (bySeverity.has(p)) lines.push(`   ${p.toUpperCase()}: ${bySeverity.get(p)}`);
  lines.push('Triggered rules by rule name:');
  for (const [r, n] of byRule) lines.push(`   ${r}: ${n}`);
  return `${lines.join('\n')}\n`;
}

function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: unknown severity "${value}" (one of critical, high, medium, low, none)`);
}

async function auditServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...commonOptions,
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'token-file': { type: 'string' },
      'queue-size': { type: 'string' },
    },
  });
  if (values.help === true) {
    process.stdout.write(SERVE_HELP);
    return EXIT.passed;
  }
  const c = await common(values, process.cwd());
  const serve = c.audit.serve ?? {};
  const port = values.port === undefined ? (serve.port ?? DEFAULT_AUDIT_PORT) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, got "${values.port}"`);
  const certPath = values['tls-cert'] ?? serve.tlsCert;
  const keyPath = values['tls-key'] ?? serve.tlsKey;
  if ((certPath === undefined) !== (keyPath === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const tls = certPath === undefined ? undefined : { cert: await readSecretFile(certPath, 'TLS certificate'), key: await readSecretFile(keyPath!, 'TLS key') };
  const tokenPath = values['token-file'] ?? serve.tokenFile;
  const token = tokenPath === undefined ? undefined : (await readSecretFile(tokenPath, 'token')).toString('utf8').trim();
  if (token === '') throw new UsageError(`${tokenPath}: token file is empty`);
  const queueSize = values['queue-size'] === undefined ? serve.queueSize : Number(values['queue-size']);
  if (queueSize !== undefined && !(Number.isInteger(queueSize) && queueSize > 0)) throw new UsageError('--queue-size: expected a positive integer');
  const ruleset = await loadRuleset(c);
  const log = (l: string): void => {
    process.stderr.write(`bosun audit serve: ${l}\n`);
  };
  const metrics = auditMetrics();
  const sinkConfigs: SinkConfig[] = c.audit.sinks ?? [{ type: 'stdout', format: 'falco-json' }];
  const sinks = sinkConfigs.map((s) => createSink(s, { metrics, log }));
  const server = await startAuditServer({
    ruleset,
    sinks,
    host: values.host ?? serve.host ?? '127.0.0.1',
    port,
    ...(serve.path !== undefined && { auditPath: serve.path }),
    ...(tls !== undefined && { tls }),
    ...(token !== undefined && { token }),
    ...(serve.maxBodyBytes !== undefined && { maxBodyBytes: serve.maxBodyBytes }),
    ...(serve.maxEventSize !== undefined && { maxEventSize: serve.maxEventSize }),
    ...(queueSize !== undefined && { queueSize }),
    ruleMatching: c.ruleMatching,
    minPriority: c.minPriority,
    utc: c.utc,
    ...(c.audit.dedup !== undefined && { dedupWindowSeconds: c.audit.dedup.windowSeconds }),
    ...(c.audit.rateLimit !== undefined && { perRulePerMinute: c.audit.rateLimit.perRulePerMinute, ...(c.audit.rateLimit.burst !== undefined && { burst: c.audit.rateLimit.burst }) }),
    log,
    metrics,
  });
  log(`listening on ${server.url} (POST /k8s-audit, POST /falco, GET /metrics) with ${ruleset.rules.length} rules${token === undefined ? '' : ', bearer token required'}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log(`${signal}: draining queue and flushing sinks`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void server.close().then(resolve);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  log('stopped');
  return EXIT.passed;
}

async function readSecretFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

async function auditPolicy(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...commonOptions, 'webhook-url': { type: 'string' }, output: { type: 'string', short: 'o' } } });
  if (values.help === true) {
    process.stdout.write('Usage: bosun audit policy [-r RULES]... [--webhook-url URL] [-o FILE]\n\nPrints the audit Policy (audit.k8s.io/v1) giving the rules exactly the events and levels they read,\nwith the kube-apiserver flags; --webhook-url adds the webhook kubeconfig.\n');
    return EXIT.passed;
  }
  const c = await common(values, process.cwd());
  const ruleset = await loadRuleset(c);
  await writeOutput(renderAuditPolicy(ruleset.rules, values['webhook-url'] === undefined ? {} : { webhookUrl: values['webhook-url'] }), values.output);
  return EXIT.passed;
}

async function auditRules(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...commonOptions, format: { type: 'string', short: 'f' } } });
  if (sub === 'check') {
    if (positionals.length === 0) throw new UsageError('audit rules check: give the rules files to check, in load order');
    const rs = loadRules(await readRulesSources(positionals));
    for (const w of rs.warnings) process.stderr.write(`bosun: warning: ${w}\n`);
    process.stdout.write(`${positionals.join(', ')}: ${rs.rules.length} k8s_audit rules, ${rs.macros.size} macros, ${rs.lists.size} lists${rs.skipped.length > 0 ? ` (${rs.skipped.length} rules of other sources skipped)` : ''}\n`);
    return EXIT.passed;
  }
  if (sub !== 'list') throw new UsageError(`audit rules: expected "list" or "check"${sub === undefined ? '' : `, got "${sub}"`}`);
  const c = await common(values, process.cwd());
  const ruleset = await loadRuleset(c);
  const format = values.format ?? (process.stdout.isTTY === true ? 'table' : 'json');
  if (format === 'json') {
    const rows = ruleset.rules.map((r) => ({ id: auditRuleMeta(r).id, rule: r.name, priority: r.priority, severity: auditRuleMeta(r).severity, enabled: r.enabled, tags: r.tags, description: r.desc.trim(), file: r.file, line: r.line }));
    await writeOutput(`${JSON.stringify(rows, null, 2)}\n`, undefined);
    return EXIT.passed;
  }
  if (format !== 'table') throw new UsageError(`--format: unknown format "${format}" (table or json)`);
  const rows = ruleset.rules.map((r) => [r.priority, r.enabled ? '' : 'disabled', r.name]);
  const w0 = Math.max(8, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(0, ...rows.map((r) => r[1]!.length));
  const lines = [`${'PRIORITY'.padEnd(w0)}  ${w1 > 0 ? `${'STATE'.padEnd(w1)}  ` : ''}RULE`, ...rows.map((r) => `${r[0]!.padEnd(w0)}  ${w1 > 0 ? `${r[1]!.padEnd(w1)}  ` : ''}${r[2]}`)];
  await writeOutput(`${lines.join('\n')}\n\n${ruleset.rules.length} rules\n`, undefined);
  return EXIT.passed;
}
