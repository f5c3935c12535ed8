/**
 * What happens to one response: every active passive rule runs on it (OUTOFSCOPE entries
 * honoured) and alerts become findings (`runRules`); the links a browser could follow are listed
 * for the spider (`discoverLinks`). Pure and synchronous, so the rules run the same inline or in
 * a worker thread (pool.ts).
 */
import type { Finding, UrlTarget } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { isOutOfScope, type RuleConfig } from './config.ts';
import { hasHeader, mediaType, type DastRequest, type DastResponse, type HttpMessage } from './message.ts';
import type { Alert, ContentClass, DastRule } from './rule.ts';
import { discoverLinks, type FoundLink } from './spider/links.ts';

export interface RuleResults {
  findings: Finding[];
  /** Rules that threw on this response (a bug, or a response no rule anticipated). */
  errors: string[];
}

export interface Analysis extends RuleResults {
  links: FoundLink[];
}

export interface AnalysisSettings {
  rules: readonly DastRule[];
  config: RuleConfig;
  submitForms: boolean;
}

export function analyzeMessage(msg: HttpMessage, settings: AnalysisSettings): Analysis {
  return { ...runRules(msg, settings), links: discoverLinks(msg, settings.submitForms) };
}

export function runRules(msg: HttpMessage, settings: AnalysisSettings): RuleResults {
  const href = msg.request.url.href;
  const findings: Finding[] = [];
  const errors: string[] = [];
  const { config } = settings;
  for (const rule of rulesFor(settings.rules, msg)) {
    if (config.outOfScope.length > 0 && isOutOfScope(config, rule.zapId, href)) continue;
    let alerts: Alert[];
    try {
      alerts = rule.scan(msg, config.settings);
    } catch (err) {
      errors.push(`${rule.id} on ${href}: ${(err as Error).message}`);
      continue;
    }
    for (const a of alerts) findings.push(toFinding(rule, a, msg, config.messages.get(rule.zapId)));
  }
  return { findings, errors };
}

const CLASS_BIT: Record<ContentClass, number> = { html: 1, js: 2, css: 4, json: 8, image: 16, other: 32 };

/** The response's content classes as bits of CLASS_BIT (the tests rules make: isHtml, isJavaScript …). */
function classBits(msg: HttpMessage): number {
  const t = mediaType(msg);
  let bits = 0;
  if (t === 'text/html' || t === 'application/xhtml+xml') bits |= CLASS_BIT.html;
  if (t.includes('javascript') || t.includes('ecmascript')) bits |= CLASS_BIT.js;
  if (t === 'text/css') bits |= CLASS_BIT.css;
  if (t.includes('json')) bits |= CLASS_BIT.json;
  if (t.startsWith('image/')) bits |= CLASS_BIT.image;
  return bits === 0 ? CLASS_BIT.other : bits;
}

/**
 * What decides which rules apply to a response, as one number: content classes (6 bits),
 * status class (0 for a status outside 100–599), sets cookies, carries parameters, https.
 */
function responseKind(msg: HttpMessage): number {
  const { status } = msg.response;
  const statusClass = status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
  const cookies = hasHeader(msg.response.headers, 'set-cookie') ? 1 : 0;
  const params = msg.request.url.search !== '' || msg.request.body !== undefined ? 1 : 0;
  const https = msg.request.url.protocol === 'https:' ? 1 : 0;
  return classBits(msg) | (statusClass << 6) | (cookies << 9) | (params << 10) | (https << 11);
}

function applies(rule: DastRule, kind: number): boolean {
  const a = rule.applies;
  if (a === undefined) return true;
  if (a.types !== undefined && (a.types.reduce((m, t) => m | CLASS_BIT[t], 0) & kind & 63) === 0) return false;
  const statusClass = (kind >> 6) & 7;
  if (a.status !== undefined && statusClass !== 0 && !a.status.includes(statusClass)) return false;
  if (a.setsCookies === true && (kind & (1 << 9)) === 0) return false;
  if (a.params === true && (kind & (1 << 10)) === 0) return false;
  if (a.scheme !== undefined && (a.scheme === 'https') !== ((kind & (1 << 11)) !== 0)) return false;
  return true;
}

/** Rule lists by response kind, per list of active rules: a handful of kinds cover a whole site. */
const dispatch = new WeakMap<readonly DastRule[], Map<number, readonly DastRule[]>>();

/** The active rules that can alert on this response (their `applies`), in their order. */
export function rulesFor(rules: readonly DastRule[], msg: HttpMessage): readonly DastRule[] {
  let byKind = dispatch.get(rules);
  if (byKind === undefined) dispatch.set(rules, (byKind = new Map()));
  const kind = responseKind(msg);
  let list = byKind.get(kind);
  if (list === undefined) byKind.set(kind, (list = rules.filter((r) => applies(r, kind))));
  return list;
}

export function toFinding(rule: DastRule, a: Alert, msg: HttpMessage, custom: string | undefined): Finding {
  const target: UrlTarget = { type: 'url', url: msg.request.url.href, method: msg.request.method };
  if (a.param !== undefined) target.param = a.param;
  const title = a.name ?? rule.title;
  const evidence = a.evidence === '' ? '' : ` Evidence: ${a.evidence.length > 200 ? `${a.evidence.slice(0, 200)}…` : a.evidence}`;
  const ref = a.ref ?? String(rule.zapId);
  const aliases = a.ref === undefined || ref === String(rule.zapId) ? rule.aliases : [...rule.aliases, `zap:${ref}`];
  return {
    ruleId: rule.id,
    severity: a.risk ?? rule.severity,
    title,
    message: `${title}${a.detail === undefined ? '' : `: ${a.detail}`}.${evidence}${custom === undefined ? '' : ` ${custom}`}`,
    target,
    remediation: rule.remediation,
    aliases,
    fingerprint: fingerprint(rule.id, target, undefined, ref),
  };
}

/** A message as structured clone carries it (URL objects do not survive postMessage). */
export interface WireMessage {
  request: Omit<DastRequest, 'url'> & { url: string };
  response: DastResponse;
}

export function toWire(msg: HttpMessage): WireMessage {
  return { request: { ...msg.request, url: msg.request.url.href }, response: msg.response };
}

export function fromWire(w: WireMessage): HttpMessage {
  return { request: { ...w.request, url: new URL(w.request.url) }, response: w.response };
}
