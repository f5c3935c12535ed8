import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, type Severity } from '../core/finding.ts';
import { emptyRuleConfig, generateRuleConfig, loadRuleConfig, parseZapOptions } from '../dast/config.ts';
import { DAST_RULES } from '../dast/rules/index.ts';
import { scanUrl, type DastOptions, type DastReport } from '../dast/scan.ts';
import { renderReport, REPORT_FORMATS_WITH_HTML, type AnyReportFormat } from '../report/index.ts';
import { useColor, writeOutput } from './io.ts';

const HELP = `Usage: bosun dast URL [flags]

Baseline web scan, compatible with ZAP's zap-baseline: spiders the target (same origin only,
polite and bounded) and runs every passive rule on each response. Sends only what a browser
would send while crawling: no attack payloads, POST forms only with --submit-forms.

Scope and bounds:
      --max-duration DUR     whole-scan bound (default 60s; 500ms, 2m …)
      --max-pages N          requests in all (default 1000)
      --max-depth N          link hops from the target (default 5)
      --max-response-size S  bytes read per response (default 10MB)
      --request-timeout DUR  per request, headers and body (default 10s)
      --max-redirects N      redirect hops per chain (default 10)
      --concurrency N        parallel requests (default 4)
      --rate N               request starts per second, 0 = unlimited (default 50)
      --scope HOST           also crawl this host, host:port or origin (repeatable)
      --exclude REGEX        never request URLs matching REGEX (repeatable)
      --header 'K: V'        send with every request (repeatable)
      --cookie 'a=1; b=2'    Cookie header for every request
      --submit-forms         also submit POST forms (GET forms are always followed)
      --username NAME        an account the scan uses, for rules 10057 and 10113 (repeatable;
                             the user of a Basic Authorization --header is added)
      --no-robots / --no-sitemap   do not read /robots.txt or /sitemap.xml

Rules (zap-baseline's file: <id> TAB <IGNORE|INFO|WARN|FAIL> TAB (<name>)):
  -c, --config FILE          rule configuration; FAIL rules fail the gate (exit 1)
  -g, --generate-config FILE write the rule file with every rule at its level, then exit (- = stdout)
  -i, --unlisted-info        rules missing from the config report at INFO, not WARN
  -z, --zap-options OPTS     ZAP rule options, as zap-baseline -z takes them:
                             "-config rules.csrf.ignorelist=search,login -config rules.cookie.ignorelist=_ga"
                             (also rules.csrf.ignore.attname / rules.csrf.ignore.attvalue)
      --js-vulns FILE        Retire.js jsrepository.json for rule 10003 (default: bosun's built-in
                             data on well-known libraries; rule 10116 reports data older than 180 days)
      --fail-on SEVERITY     also fail on any finding at or above high|medium|low|info (default: only FAIL rules)
      --bosun-config FILE    bosun.yaml for waivers and dast.rules (default: found from the working directory)
      --no-bosun-config

Output:
  -f, --format FORMAT        table|json|sarif|junit|markdown|html (default: table on a terminal, json otherwise)
  -o, --output FILE
      --color / --no-color
`;

export async function runDast(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'max-duration': { type: 'string' },
      'max-pages': { type: 'string' },
      'max-depth': { type: 'string' },
      'max-response-size': { type: 'string' },
      'request-timeout': { type: 'string' },
      'max-redirects': { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      scope: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      header: { type: 'string', multiple: true },
      cookie: { type: 'string' },
      'submit-forms': { type: 'boolean' },
      username: { type: 'string', multiple: true },
      'js-vulns': { type: 'string' },
      'no-robots': { type: 'boolean' },
      'no-sitemap': { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      'generate-config': { type: 'string', short: 'g' },
      'unlisted-info': { type: 'boolean', short: 'i' },
      'zap-options': { type: 'string', short: 'z' },
      'fail-on': { type: 'string' },
      'bosun-config': { type: 'string' },
      'no-bosun-config': { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  const rules = values.config === undefined ? undefined : await loadRuleConfig(values.config);
  for (const id of rules?.unknownIds ?? []) process.stderr.write(`bosun: ${values.config}: rule ${id} is not a bosun DAST rule; its level is kept but nothing reports it\n`);
  if (values['generate-config'] !== undefined) {
    const text = generateRuleConfig(rules ?? emptyRuleConfig(), DAST_RULES);
    await writeOutput(text, values['generate-config'] === '-' ? undefined : values['generate-config']);
    if (positionals.length === 0) return EXIT.passed;
  }
  if (positionals.length !== 1) throw new UsageError('dast: give exactly one target URL (bosun dast https://app.example.com/)');
  if (values['bosun-config'] !== undefined && values['no-bosun-config'] === true) throw new UsageError('dast: --bosun-config and --no-bosun-config cannot be used together');
  const format = parseFormat(values.format, values.output);
  const options: DastOptions = {
    config: values['no-bosun-config'] === true ? false : (values['bosun-config'] ?? undefined),
    submitForms: values['submit-forms'] === true,
    robots: values['no-robots'] !== true,
    sitemap: values['no-sitemap'] !== true,
    unlistedInfo: values['unlisted-info'] === true,
    scope: values.scope ?? [],
    exclude: values.exclude ?? [],
    headers: values.header ?? [],
    usernames: values.username ?? [],
  };
  if (values['js-vulns'] !== undefined) options.jsVulns = values['js-vulns'];
  if (rules !== undefined) options.rules = rules;
  if (values.cookie !== undefined) options.cookie = values.cookie;
  if (values['zap-options'] !== undefined) {
    const { ignored } = parseZapOptions(values['zap-options']);
    if (ignored.length > 0) process.stderr.write(`bosun: -z: ignoring ZAP options bosun does not use: ${ignored.join(' ')}\n`);
    options.zapOptions = values['zap-options'];
  }
  if (values['fail-on'] !== undefined) options.failOn = parseFailOn(values['fail-on']);
  if (values['max-duration'] !== undefined) options.maxDurationMs = parseDuration('--max-duration', values['max-duration']);
  if (values['request-timeout'] !== undefined) options.requestTimeoutMs = parseDuration('--request-timeout', values['request-timeout']);
  if (values['max-response-size'] !== undefined) options.maxResponseBytes = parseSize('--max-response-size', values['max-response-size']);
  if (values['max-pages'] !== undefined) options.maxPages = parseCount('--max-pages', values['max-pages']);
  if (values['max-depth'] !== undefined) options.maxDepth = parseCount('--max-depth', values['max-depth']);
  if (values['max-redirects'] !== undefined) options.maxRedirects = parseCount('--max-redirects', values['max-redirects']);
  if (values.concurrency !== undefined) options.concurrency = parseCount('--concurrency', values.concurrency);
  if (values.rate !== undefined) options.requestsPerSecond = parseCount('--rate', values.rate);

  const report = await scanUrl(positionals[0]!, options);
  const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
  let text = renderReport(report, format, { rules: DAST_RULES, color, title: `bosun dast: ${report.dast.target}` });
  if (format === 'table') text += baselineSummary(report);
  await writeOutput(text, values.output);
  if (process.stderr.isTTY === true) process.stderr.write(crawlLine(report));
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (report.errors.length > 0) return EXIT.badInput;
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}

/** zap-baseline's closing lines: `WARN-NEW: <name> [<id>] x <count>`, example URLs, then the totals. */
export function baselineSummary(report: DastReport): string {
  const lines = [''];
  for (const a of report.dast.alerts) {
    lines.push(`${a.level === 'INFO' ? 'INFO' : `${a.level}-NEW`}: ${a.name} [${a.zapId}] x ${a.count}`);
    for (const u of a.urls.slice(0, 5)) lines.push(`\t${u}`);
  }
  const l = report.dast.levels;
  lines.push(`FAIL-NEW: ${l.FAIL}\tFAIL-INPROG: 0\tWARN-NEW: ${l.WARN}\tWARN-INPROG: 0\tINFO: ${l.INFO}\tIGNORE: ${l.IGNORE}\tPASS: ${l.PASS}`);
  return `${lines.join('\n')}\n`;
}

function crawlLine(report: DastReport): string {
  const s = report.dast.stats;
  const why = s.stoppedBy === undefined ? '' : ` (stopped at the ${s.stoppedBy} bound)`;
  return `bosun: ${s.requests} requests in ${(s.durationMs / 1000).toFixed(1)}s${why}; ${s.outOfScope} out-of-scope URLs not requested; ${s.errors.length} request errors\n`;
}

function parseFormat(value: string | undefined, output: string | undefined): AnyReportFormat {
  if (value === undefined) return output === undefined && process.stdout.isTTY === true ? 'table' : 'json';
  if (!(REPORT_FORMATS_WITH_HTML as readonly string[]).includes(value)) throw new UsageError(`--format: unknown format "${value}" (one of ${REPORT_FORMATS_WITH_HTML.join(', ')})`);
  return value as AnyReportFormat;
}

function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: unknown severity "${value}" (one of critical, high, medium, low, info, none)`);
}

/** `90s`, `2m`, `500ms`, `1h`; a bare number is seconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new UsageError(`${flag}: expected a duration such as 60s, 2m or 500ms, got "${text}"`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(n * unit);
  if (ms < 1) throw new UsageError(`${flag}: must be positive, got "${text}"`);
  return ms;
}

/** `10MB`, `512KB`, `1GB`, bytes otherwise (binary multiples). */
export function parseSize(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`${flag}: expected a size such as 10MB or 512KB, got "${text}"`);
  const unit = (m[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g';
  const bytes = Math.floor(Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]);
  if (bytes < 1) throw new UsageError(`${flag}: must be positive, got "${text}"`);
  return bytes;
}

function parseCount(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  return Number(text);
}
