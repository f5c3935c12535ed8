/** Helpers for DAST tests: synthetic messages for rule unit tests, compact finding views. */
import type { Finding } from '../../src/core/finding.ts';
import type { Header, HttpMessage } from '../../src/dast/message.ts';
import type { DastRule } from '../../src/dast/rule.ts';

export interface MessageSpec {
  url?: string;
  method?: string;
  requestHeaders?: Record<string, string>;
  body?: string;
  status?: number;
  headers?: Record<string, string | string[]>;
  html?: string;
  text?: string;
}

/** A response as the spider would hand it to the rules. `html` sets Content-Type text/html unless given. */
export function message(spec: MessageSpec): HttpMessage {
  const headers: Header[] = [];
  const given = spec.headers ?? {};
  if (spec.html !== undefined && !Object.keys(given).some((k) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'text/html; charset=utf-8']);
  for (const [k, v] of Object.entries(given)) for (const one of Array.isArray(v) ? v : [v]) headers.push([k.toLowerCase(), one]);
  const body = spec.html ?? spec.text ?? '';
  const reqHeaders: Header[] = Object.entries(spec.requestHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
  return {
    request: { method: spec.method ?? 'GET', url: new URL(spec.url ?? 'https://app.example.com/page'), headers: reqHeaders, ...(spec.body !== undefined && { body: spec.body }) },
    response: { status: spec.status ?? 200, statusText: 'OK', headers, body, bodyBytes: Buffer.byteLength(body), truncated: false },
  };
}

/** `ref name|risk evidence` per alert, for exact assertions. */
export function alerts(rule: DastRule, spec: MessageSpec, settings: ReadonlyMap<string, string> = new Map()): string[] {
  return rule.scan(message(spec), settings).map((a) => `${a.ref ?? rule.zapId} ${a.risk ?? rule.severity} ${a.evidence}`);
}

/** `zap:ID path` for each finding, sorted and unique. */
export function byPath(findings: readonly Finding[], origin: string): string[] {
  const out = new Set<string>();
  for (const f of findings) if (f.target.type === 'url') out.add(`${f.aliases![0]} ${f.target.url.slice(origin.length)}`);
  return [...out].sort();
}
