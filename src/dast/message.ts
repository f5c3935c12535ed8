/**
 * One request/response pair as the spider saw it, and the helpers passive rules read it with.
 * Header names are lower-cased; every occurrence of a header is kept (Set-Cookie, duplicated
 * X-Frame-Options …), because several rules are about duplicates.
 */
import { parseHtml, type HtmlDoc } from './html.ts';

export type Header = readonly [name: string, value: string];

export interface Param {
  name: string;
  value: string;
  /** Where the value travelled: the query string or a form body. */
  in: 'query' | 'form';
}

export interface DastRequest {
  method: string;
  url: URL;
  headers: Header[];
  body?: string;
}

export interface DastResponse {
  status: number;
  statusText: string;
  headers: Header[];
  /** The body decoded as text (only for text-like content; '' for binary). */
  body: string;
  /** Bytes received (up to the response-size bound). */
  bodyBytes: number;
  /** True when the response was cut at the size bound or the request timed out mid-body. */
  truncated: boolean;
}

export interface HttpMessage {
  request: DastRequest;
  response: DastResponse;
}

/*
 * What every rule asks of a message (header index, media type, parsed HTML, parameters) is
 * computed once and kept in one- or two-entry memos, not WeakMaps: the rules run one message at
 * a time, so the last entry is the one asked for, and a WeakMap entry per message cost more in
 * garbage-collection work than the lookups it saved. A miss only recomputes.
 */
let indexA: { headers: readonly Header[]; index: Map<string, string[]> } | undefined;
let indexB: typeof indexA;

/**
 * Values by lower-cased name, built once per header list: 65 rules each ask for a few headers,
 * so one pass beats a scan and a lower-casing per question. Two memo entries: the request's and
 * the response's lists.
 */
function headerIndex(headers: readonly Header[]): Map<string, string[]> {
  if (indexA?.headers === headers) return indexA.index;
  if (indexB?.headers === headers) return indexB.index;
  const index = new Map<string, string[]>();
  for (const [n, v] of headers) {
    const list = index.get(n);
    if (list === undefined) index.set(n, [v]);
    else list.push(v);
  }
  indexB = indexA;
  indexA = { headers, index };
  return index;
}

const NONE: readonly string[] = Object.freeze([]);

/** First value of a header, or undefined. */
export function header(headers: readonly Header[], name: string): string | undefined {
  return headerIndex(headers).get(name.toLowerCase())?.[0];
}

/** Every value of a header, in order (do not modify the list). */
export function headerAll(headers: readonly Header[], name: string): readonly string[] {
  return headerIndex(headers).get(name.toLowerCase()) ?? NONE;
}

export function hasHeader(headers: readonly Header[], name: string): boolean {
  return headerIndex(headers).has(name.toLowerCase());
}

let mediaMemo: { response: DastResponse; type: string } | undefined;

/** `text/html` from `text/html; charset=utf-8`; '' when absent. Computed once per message (every rule asks). */
export function mediaType(msg: HttpMessage): string {
  if (mediaMemo?.response === msg.response) return mediaMemo.type;
  const ct = header(msg.response.headers, 'content-type');
  const type = ct === undefined ? '' : ct.split(';')[0]!.trim().toLowerCase();
  mediaMemo = { response: msg.response, type };
  return type;
}

export function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return m === null ? undefined : m[1]!.toLowerCase();
}

export function isHtml(msg: HttpMessage): boolean {
  const t = mediaType(msg);
  return t === 'text/html' || t === 'application/xhtml+xml';
}

export function isJavaScript(msg: HttpMessage): boolean {
  const t = mediaType(msg);
  return t.includes('javascript') || t.includes('ecmascript');
}

export function isCss(msg: HttpMessage): boolean {
  return mediaType(msg) === 'text/css';
}

export function isImage(msg: HttpMessage): boolean {
  return mediaType(msg).startsWith('image/');
}

/** Text a rule may search: HTML, XML, JSON, JavaScript, CSS, plain text, or no declared type. */
export function isText(msg: HttpMessage): boolean {
  const t = mediaType(msg);
  return t === '' || t.startsWith('text/') || t.includes('json') || t.includes('xml') || t.includes('javascript') || t.includes('ecmascript');
}

export function isRedirect(msg: HttpMessage): boolean {
  return msg.response.status >= 300 && msg.response.status < 400;
}

export function isError(msg: HttpMessage): boolean {
  return msg.response.status >= 400;
}

export function isHttps(msg: HttpMessage): boolean {
  return msg.request.url.protocol === 'https:';
}

/** The last parsed pages: the spider finds links in a page and the rules read it a moment later, with a few other pages in between. */
const htmlMemo: Array<{ response: DastResponse; body: string; doc: HtmlDoc | undefined }> = [];
const HTML_MEMO_SIZE = 16;

/** The parsed page, for HTML responses (parsed once, shared by the spider and every rule). */
export function htmlOf(msg: HttpMessage): HtmlDoc | undefined {
  const { response } = msg;
  for (const m of htmlMemo) if (m.response === response && m.body === response.body) return m.doc;
  const doc = isHtml(msg) && response.body !== '' ? parseHtml(response.body) : undefined;
  if (htmlMemo.unshift({ response, body: response.body, doc }) > HTML_MEMO_SIZE) htmlMemo.pop();
  return doc;
}

let paramsMemo: { req: DastRequest; params: Param[] } | undefined;

/** Query-string parameters and, for urlencoded bodies, form parameters (computed once per request). */
export function paramsOf(req: DastRequest): Param[] {
  if (paramsMemo?.req === req) return paramsMemo.params;
  const out: Param[] = [];
  paramsMemo = { req, params: out };
  // No query, no URLSearchParams: most crawled URLs have none.
  if (req.url.search !== '') for (const [name, value] of req.url.searchParams) out.push({ name, value, in: 'query' });
  const ct = header(req.headers, 'content-type') ?? '';
  if (req.body !== undefined && ct.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(req.body)) out.push({ name, value, in: 'form' });
  }
  return out;
}

/** Parsed Set-Cookie header. Attribute names lower-cased; flag attributes have value ''. */
export interface SetCookie {
  name: string;
  value: string;
  attrs: Map<string, string>;
  raw: string;
}

export function setCookies(msg: HttpMessage): SetCookie[] {
  return headerAll(msg.response.headers, 'set-cookie').map(parseSetCookie);
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...rest] = raw.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
  const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
  const attrs = new Map<string, string>();
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i === -1 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key !== '') attrs.set(key, i === -1 ? '' : part.slice(i + 1).trim());
  }
  return { name, value, attrs, raw };
}

/** A cookie set with an expiry in the past (or Max-Age 0) is being deleted; cookie rules skip it. */
export function isDeletion(c: SetCookie): boolean {
  const maxAge = c.attrs.get('max-age');
  if (maxAge !== undefined && Number(maxAge) <= 0) return true;
  const expires = c.attrs.get('expires');
  return expires !== undefined && Date.parse(expires) < Date.now();
}

/** A short excerpt around `index` in `text`, for evidence. */
export function snippet(text: string, index: number, length: number): string {
  return text.slice(index, index + Math.min(length, 200));
}
