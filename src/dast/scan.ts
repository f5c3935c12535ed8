/**
 * `scanUrl`: the baseline web scan. Reads like the process it runs:
 * resolve options → load the rule configuration and bosun.yaml → spider the target, analysing
 * each response as it arrives (every passive rule, OUTOFSCOPE entries honoured, links for the
 * spider; in worker threads) → dedupe → waivers → build the report (FAIL-level rules, and
 * --fail-on if given, decide the gate; IGNORE rules never run).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import jsyaml from 'js-yaml';
import { BosunError } from '../core/errors.ts';
import { SEVERITIES, SEVERITY_RANK, type Finding, type InputError, type Report, type Severity } from '../core/finding.ts';
import { applyWaivers } from '../core/suppress.ts';
import { findConfigFile, loadConfigFile } from '../config/load.ts';
import { configSchema } from '../config/schema.ts';
import type { BosunConfig } from '../config/types.ts';
import { VERSION } from '../version.ts';
import { emptyRuleConfig, levelOf, loadRuleConfig, parseZapOptions, RULE_LEVELS, type RuleConfig, type RuleLevel } from './config.ts';
import { runRules, toWire, type RuleResults } from './analyze.ts';
import type { Header, HttpMessage } from './message.ts';
import { openSession } from './pool.ts';
import { loadRepositoryFile } from './js-vulns/repository.ts';
import { BOSUN_SETTINGS, type DastRule } from './rule.ts';
import { DAST_RULES } from './rules/index.ts';
import { spider, type SpiderOptions, type SpiderStats } from './spider/crawl.ts';
import { discoverLinks, type FoundLink } from './spider/links.ts';
import { createScope } from './spider/scope.ts';

export interface DastOptions {
  /** Whole scan bound. Default 60 s (ZAP baseline's spider minute, as a ceiling, not a wait). */
  maxDurationMs?: number;
  maxPages?: number;
  maxDepth?: number;
  concurrency?: number;
  /** Request starts per second; 0 = unlimited. */
  requestsPerSecond?: number;
  maxResponseBytes?: number;
  /** Bytes of each body parsed for links and checked by the rules. Default 2.5 MiB, ZAP's spider parse limit. */
  maxParseBytes?: number;
  requestTimeoutMs?: number;
  maxRedirects?: number;
  /** Extra hosts (`host`, `host:port`) or origins (`https://cdn.example.com`) in scope. */
  scope?: string[];
  /** URLs matching any of these are never requested. */
  exclude?: Array<string | RegExp>;
  /** `Name: value` lines sent with every request. */
  headers?: string[];
  /** Cookie header value sent with every request. */
  cookie?: string;
  submitForms?: boolean;
  robots?: boolean;
  sitemap?: boolean;
  /** zap-baseline rule file (path) or a parsed configuration. */
  rules?: string | RuleConfig;
  /** ZAP rule options as zap-baseline's -z takes them: `-config rules.csrf.ignorelist=search -config rules.cookie.ignorelist=_ga`. */
  zapOptions?: string;
  /** Usernames of the accounts the scan uses (rules 10057 and 10113); the user of a Basic Authorization header is added. */
  usernames?: string[];
  /** A Retire.js repository file (jsrepository.json) for rule 10003, instead of bosun's built-in data. */
  jsVulns?: string;
  /** Rules missing from the rule file report at INFO instead of WARN (zap-baseline -i). */
  unlistedInfo?: boolean;
  /** Also fail the gate on any finding at or above this severity. Default none: only FAIL rules gate. */
  failOn?: Severity | 'none';
  /** bosun.yaml: a path, false for none, undefined to look for one from the working directory up. */
  config?: string | false;
  /** Only these rules (tests, benchmarks); they run inline, not in the worker pool. */
  only?: readonly DastRule[];
  /**
   * Run the rules in worker threads. Default: only with more than two cores. With two, the
   * spider's thread, the pool and (often) the target share them, and the structured clone and
   * thread hops cost more than the ~0.2 ms of rules per page they move (`npm run bench:dast`).
   */
  workers?: boolean;
  now?: Date;
}

export const DAST_DEFAULTS = {
  maxDurationMs: 60_000,
  maxPages: 1000,
  maxDepth: 5,
  concurrency: 4,
  requestsPerSecond: 50,
  maxResponseBytes: 10 * 1024 * 1024,
  maxParseBytes: 2.5 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  maxRedirects: 10,
} as const;

/** Responses waiting for the worker pool before the spider waits too (bounds their memory). */
const MAX_QUEUED = 16;

export interface DastAlertSummary {
  zapId: number;
  ruleId: string;
  name: string;
  risk: Severity;
  level: RuleLevel;
  /** Unsuppressed instances. */
  count: number;
  urls: string[];
}

export interface DastReport extends Report {
  dast: {
    target: string;
    stats: SpiderStats;
    /** One entry per rule that alerted, highest risk first. */
    alerts: DastAlertSummary[];
    /** zap-baseline's closing line: rules per level that alerted, and rules that passed. */
    levels: Record<RuleLevel | 'PASS', number>;
    ruleErrors: string[];
    unknownRuleIds: number[];
  };
}

export async function scanUrl(target: string, options: DastOptions = {}): Promise<DastReport> {
  const url = parseTarget(target);
  const spiderOptions = resolveSpiderOptions(url, options);
  const bosunConfig = await loadBosunConfig(options.config);
  const rules = await resolveRuleConfig(options.rules, bosunConfig);
  if (options.zapOptions !== undefined) for (const [k, v] of parseZapOptions(options.zapOptions).settings) rules.settings.set(k, v);
  setBosunSettings(rules, url, spiderOptions, options);
  const active = (options.only ?? DAST_RULES).filter((r) => levelOf(rules, r.zapId, options.unlistedInfo) !== 'IGNORE');
  const byFingerprint = new Map<string, Finding>();
  const ruleErrors: string[] = [];
  // Custom rule objects (options.only) cannot cross into a worker thread; they run inline.
  const useWorkers = options.workers ?? availableParallelism() > 2;
  const session = !useWorkers || options.only !== undefined ? undefined : openSession(active.map((r) => r.id), rules, spiderOptions.submitForms);
  const settings = { rules: active, config: rules, submitForms: spiderOptions.submitForms };
  const collect = (r: RuleResults): void => {
    for (const f of r.findings) if (!byFingerprint.has(f.fingerprint)) byFingerprint.set(f.fingerprint, f);
    for (const e of r.errors) if (ruleErrors.length < 20) ruleErrors.push(e);
  };
  // Links are found at once, so the spider sends the next requests; the rules run after that
  // (in the pool, or on this thread once pending I/O is handled), so the target works on the
  // next pages while this one is checked. At most MAX_QUEUED responses wait for their rules.
  const queued = new Set<Promise<void>>();
  const analyze = async (msg: HttpMessage): Promise<readonly FoundLink[]> => {
    const links = discoverLinks(msg, settings.submitForms);
    const results = session === undefined ? afterIo(() => runRules(msg, settings)) : session.analyze(toWire(msg));
    const job = results.then(collect, (err: Error) => void (ruleErrors.length < 20 && ruleErrors.push(`analysis of ${msg.request.url.href}: ${err.message}`)));
    queued.add(job);
    void job.finally(() => queued.delete(job));
    while (queued.size > MAX_QUEUED) await Promise.race(queued);
    return links;
  };
  let stats: SpiderStats;
  try {
    stats = await spider(url, spiderOptions, analyze);
    await Promise.all(queued);
  } finally {
    session?.end();
  }
  const findings = [...byFingerprint.values()];
  const expired = applyWaivers(findings, bosunConfig?.waivers ?? [], options.now ?? new Date(), bosunConfig?.source ?? 'bosun.yaml');
  return buildReport(url, findings, stats, expired, rules, options, ruleErrors);
}

/** What the rules need from bosun itself (see BOSUN_SETTINGS); a bad --js-vulns file fails here, before the crawl. */
function setBosunSettings(rules: RuleConfig, url: URL, spider: SpiderOptions, options: DastOptions): void {
  const s = rules.settings;
  s.set(BOSUN_SETTINGS.target, url.href);
  s.set(BOSUN_SETTINGS.now, (options.now ?? new Date()).toISOString());
  const users = new Set(options.usernames ?? []);
  // Rules 10057/10113 search responses for these names: an empty or multi-line one would match anywhere.
  for (const u of users) if (u.trim() === '' || /[\r\n]/.test(u)) throw new BosunError('E_USAGE', `--username: ${JSON.stringify(u)} is not a user name (empty, or spans lines)`);
  const auth = spider.headers.find(([n]) => n === 'authorization')?.[1];
  const basic = auth === undefined ? null : /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (basic !== null) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    if (decoded.includes(':')) users.add(decoded.slice(0, decoded.indexOf(':')));
  }
  for (const u of users) if (u === '' || u.includes('\n')) throw new BosunError('E_USAGE', `--username: "${u}" is not a username`);
  if (users.size > 0) s.set(BOSUN_SETTINGS.usernames, [...users].join('\n'));
  if (options.jsVulns !== undefined) {
    loadRepositoryFile(options.jsVulns);
    s.set(BOSUN_SETTINGS.jsVulns, options.jsVulns);
  }
}

/** `f` in a later turn of the event loop, after the I/O callbacks and requests already due. */
function afterIo<T>(f: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(f());
      } catch (err) {
        reject(err as Error);
      }
    }),
  );
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new BosunError('E_USAGE', `${target}: not a URL (expected http:// or https://)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BosunError('E_USAGE', `${target}: only http:// and https:// targets can be scanned`);
  url.hash = '';
  return url;
}

function resolveSpiderOptions(url: URL, o: DastOptions): SpiderOptions {
  const exclude = (o.exclude ?? []).map((e) => {
    if (e instanceof RegExp) return e;
    try {
      return new RegExp(e);
    } catch (err) {
      throw new BosunError('E_USAGE', `--exclude: invalid regular expression "${e}": ${(err as Error).message}`);
    }
  });
  const headers: Header[] = (o.headers ?? []).map(parseHeader);
  if (o.cookie !== undefined) headers.push(['cookie', o.cookie]);
  const positive = (name: string, v: number | undefined, def: number, min = 1): number => {
    if (v === undefined) return def;
    if (!Number.isFinite(v) || v < min) throw new BosunError('E_USAGE', `${name}: must be a number of at least ${min}, got ${v}`);
    return v;
  };
  return {
    scope: createScope(url, o.scope ?? [], exclude),
    concurrency: positive('concurrency', o.concurrency, DAST_DEFAULTS.concurrency),
    requestsPerSecond: positive('rate', o.requestsPerSecond, DAST_DEFAULTS.requestsPerSecond, 0),
    maxDurationMs: positive('max-duration', o.maxDurationMs, DAST_DEFAULTS.maxDurationMs),
    maxPages: positive('max-pages', o.maxPages, DAST_DEFAULTS.maxPages),
    maxDepth: positive('max-depth', o.maxDepth, DAST_DEFAULTS.maxDepth, 0),
    maxRedirects: positive('max-redirects', o.maxRedirects, DAST_DEFAULTS.maxRedirects, 0),
    maxResponseBytes: positive('max-response-size', o.maxResponseBytes, DAST_DEFAULTS.maxResponseBytes),
    maxParseBytes: positive('max-parse-size', o.maxParseBytes, DAST_DEFAULTS.maxParseBytes),
    requestTimeoutMs: positive('request-timeout', o.requestTimeoutMs, DAST_DEFAULTS.requestTimeoutMs),
    submitForms: o.submitForms === true,
    robots: o.robots !== false,
    sitemap: o.sitemap !== false,
    headers,
  };
}

function parseHeader(line: string): Header {
  const i = line.indexOf(':');
  const name = i === -1 ? '' : line.slice(0, i).trim();
  if (name === '' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new BosunError('E_USAGE', `--header: expected "Name: value", got "${line}"`);
  return [name.toLowerCase(), line.slice(i + 1).trim()];
}

async function loadBosunConfig(config: string | false | undefined): Promise<BosunConfig | undefined> {
  if (config === false) return undefined;
  const path = config ?? (await findConfigFile(process.cwd()));
  return path === undefined ? undefined : loadConfigFile(path);
}

/** The rule file, then bosun.yaml `dast.rules` for rules the file does not list. */
async function resolveRuleConfig(rules: string | RuleConfig | undefined, bosun: BosunConfig | undefined): Promise<RuleConfig> {
  const config = rules === undefined ? emptyRuleConfig() : typeof rules === 'string' ? await loadRuleConfig(rules) : rules;
  if (bosun?.source === undefined) return config;
  const raw = jsyaml.load(await readFile(bosun.source, 'utf8'), { schema: jsyaml.CORE_SCHEMA }) as { dast?: unknown } | null;
  const dast = configSchema.shape.dast.parse(raw?.dast);
  for (const [key, level] of Object.entries(dast?.rules ?? {})) {
    const id = /^\d+$/.test(key) ? Number(key) : DAST_RULES.find((r) => r.id === key)?.zapId;
    if (id === undefined) throw new BosunError('E_CONFIG', `${bosun.source}: dast.rules.${key}: no such DAST rule`);
    if (!config.levels.has(id)) config.levels.set(id, level);
  }
  return config;
}

function buildReport(url: URL, findings: Finding[], stats: SpiderStats, expiredWaivers: Report['summary']['expiredWaivers'], rules: RuleConfig, options: DastOptions, ruleErrors: string[]): DastReport {
  sortDast(findings);
  const failOn = options.failOn ?? 'none';
  const threshold = failOn === 'none' ? Infinity : SEVERITY_RANK[failOn];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const alerts = new Map<number, DastAlertSummary>();
  const zapIdOf = new Map(DAST_RULES.map((r) => [r.id, r.zapId]));
  let suppressed = 0;
  let gateFailed = false;
  for (const f of findings) {
    const zapId = zapIdOf.get(f.ruleId)!;
    const level = levelOf(rules, zapId, options.unlistedInfo);
    let a = alerts.get(zapId);
    if (a === undefined) alerts.set(zapId, (a = { zapId, ruleId: f.ruleId, name: DAST_RULES.find((r) => r.zapId === zapId)!.title, risk: f.severity, level, count: 0, urls: [] }));
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[a.risk]) a.risk = f.severity;
    if (f.suppressed !== undefined) {
      suppressed++;
      continue;
    }
    a.count++;
    if (a.urls.length < 20 && !a.urls.includes(f.target.type === 'url' ? f.target.url : '')) a.urls.push(f.target.type === 'url' ? f.target.url : '');
    bySeverity[f.severity]++;
    if (level === 'FAIL' || SEVERITY_RANK[f.severity] >= threshold) gateFailed = true;
  }
  const summaries = [...alerts.values()].filter((a) => a.count > 0).sort((x, y) => SEVERITY_RANK[y.risk] - SEVERITY_RANK[x.risk] || x.zapId - y.zapId);
  const levels = Object.fromEntries([...RULE_LEVELS, 'PASS'].map((l) => [l, 0])) as Record<RuleLevel | 'PASS', number>;
  for (const r of options.only ?? DAST_RULES) {
    const level = levelOf(rules, r.zapId, options.unlistedInfo);
    if (level === 'IGNORE') levels.IGNORE++;
    else if (summaries.some((s) => s.zapId === r.zapId)) levels[level]++;
    else levels.PASS++;
  }
  const errors: InputError[] = stats.requests > 0 && stats.errors.some((e) => e.url === url.href) ? [seedError(stats, url)] : [];
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    findings,
    errors,
    summary: {
      resources: stats.requests,
      skippedDocuments: 0,
      files: 0,
      findings: findings.length - suppressed,
      suppressed,
      bySeverity,
      errors: errors.length,
      expiredWaivers,
      failOn,
      gateFailed,
    },
    dast: { target: url.href, stats, alerts: summaries, levels, ruleErrors, unknownRuleIds: rules.unknownIds },
  };
}

function seedError(stats: SpiderStats, url: URL): InputError {
  const e = stats.errors.find((x) => x.url === url.href)!;
  return { code: 'E_UNREACHABLE', file: url.href, message: `${url.href}: cannot be scanned: ${e.message} (${e.code})` };
}

/** Highest risk first, then rule, then URL and parameter: a stable order for every output (sort keys built once). */
function sortDast(findings: Finding[]): void {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const keyed = findings.map((f) => ({ f, rank: SEVERITY_RANK[f.severity], where: f.target.type === 'url' ? `${f.target.url} ${f.target.param ?? ''}` : '' }));
  keyed.sort((a, b) => b.rank - a.rank || cmp(a.f.ruleId, b.f.ruleId) || cmp(a.where, b.where) || cmp(a.f.fingerprint, b.f.fingerprint));
  keyed.forEach((k, i) => (findings[i] = k.f));
}
