/**
 * A passive DAST rule: ZAP's plugin ID and risk, bosun's rule metadata, and a `scan` that reads
 * one request/response pair and returns alerts. Rules never send requests.
 */
import type { Severity } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';
import type { HttpMessage } from './message.ts';

export interface Alert {
  /** What was seen: a header line, a cookie, an HTML snippet. */
  evidence: string;
  /** The header, cookie or parameter concerned. */
  param?: string;
  /** ZAP's alert reference for sub-alerts (`10020-1`); the plugin ID otherwise. */
  ref?: string;
  /** Sub-alert name when it differs from the rule's title. */
  name?: string;
  /** Sub-alert risk when it differs from the rule's. */
  risk?: Severity;
  /** Detail for the message, after the title. */
  detail?: string;
}

/** ZAP's rule options (`-config rules.csrf.ignorelist=search,login`), by key. */
export type RuleSettings = ReadonlyMap<string, string>;

/** A response's media type in the classes rules test for; a type can be in several (`other`: in none of the named ones, or no Content-Type). */
export type ContentClass = 'html' | 'js' | 'css' | 'json' | 'image' | 'other';

/**
 * The responses a rule can alert on, so the scanner can leave it out without calling it: the
 * rules for each kind of response (analyze.ts, `rulesFor`) are picked once per kind, not tested
 * one by one on every response. Every field narrows, and each must follow from the rule's own
 * early returns (the rule still checks for itself; a declaration only spares the call).
 */
export interface RuleApplies {
  /** Media-type classes: the rule runs when the response is in any of them. */
  types?: readonly ContentClass[];
  /** Status classes, 1–5 for 1xx–5xx (a status outside 100–599 runs every rule). */
  status?: readonly number[];
  /** Only responses that set a cookie (a Set-Cookie header). */
  setsCookies?: true;
  /** Only requests that carry parameters (a query string or a request body). */
  params?: true;
  /** Only this request scheme. */
  scheme?: 'http' | 'https';
}

export interface DastRule extends RuleMeta {
  /** ZAP passive-scan plugin ID: the key of zap-baseline's rule configuration file. */
  zapId: number;
  applies?: RuleApplies;
  scan(msg: HttpMessage, settings: RuleSettings): Alert[];
}

export interface RuleDefinition {
  id: string;
  zapId: number;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  /** What the rule reads, e.g. `response header X-Frame-Options`. */
  fields: string[];
  applies?: RuleApplies;
  scan(msg: HttpMessage, settings: RuleSettings): Alert[];
}

export function defineRule(def: RuleDefinition): DastRule {
  return {
    ...def,
    frameworks: {},
    aliases: [`zap:${def.zapId}`],
    category: 'dast',
    references: [`https://www.zaproxy.org/docs/alerts/${def.zapId}/`],
  };
}

const optionLists = new WeakMap<RuleSettings, Map<string, { raw: string; list: ReadonlySet<string> }>>();

/** A comma-separated option as a set of trimmed, non-empty values (parsed once while the option stays the same). */
export function optionList(settings: RuleSettings, key: string): ReadonlySet<string> {
  const raw = settings.get(key) ?? '';
  let lists = optionLists.get(settings);
  if (lists === undefined) optionLists.set(settings, (lists = new Map()));
  const cached = lists.get(key);
  if (cached?.raw === raw) return cached.list;
  const list = new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  lists.set(key, { raw, list });
  return list;
}

/** Settings bosun passes to the rules itself (set by `scanUrl`; not ZAP options). */
export const BOSUN_SETTINGS = {
  /** Usernames the scan knows (--username, and the user of a Basic Authorization header), one per line. */
  usernames: 'bosun.usernames',
  /** Path of a Retire.js repository (--js-vulns); bosun's built-in data when absent. */
  jsVulns: 'bosun.js-vulns',
  /** The scan's target URL. */
  target: 'bosun.target',
  /** The scan's clock (ISO 8601); the real clock when absent. */
  now: 'bosun.now',
} as const;

export function usernamesOf(settings: RuleSettings): string[] {
  return (settings.get(BOSUN_SETTINGS.usernames) ?? '').split('\n').filter((u) => u !== '');
}

export function nowOf(settings: RuleSettings): Date {
  const now = settings.get(BOSUN_SETTINGS.now);
  return now === undefined ? new Date() : new Date(now);
}
