/**
 * What happens to one response: every active passive rule runs on it (OUTOFSCOPE entries
 * honoured) and alerts become findings (`runRules`); the links a browser could follow are listed
 * for the spider (`discoverLinks`). Pure and synchronous, so the rules run the same inline or in
 * a worker thread (pool.ts).
 */
import type { Finding, UrlTarget } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import { isOutOfScope, type RuleConfig } from './config.ts';
import type { DastRequest, DastResponse, HttpMessage } from './message.ts';
import type { Alert, DastRule } from './rule.ts';
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
  for (const rule of settings.rules) {
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
