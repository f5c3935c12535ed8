/**
 * Where a browser would go next from a response: links and resources in HTML (a, area, link,
 * script, img/srcset, iframe, frame, media, object, embed, form actions, meta refresh), the
 * Location and Refresh headers, robots.txt paths and sitemap <loc> entries.
 */
import type { HtmlDoc, HtmlForm } from '../html.ts';
import { header, htmlOf, isHtml, type HttpMessage } from '../message.ts';

/** Attribute → tags that carry a URL in it. */
const URL_ATTRIBUTES: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['href', new Set(['a', 'area', 'link'])],
  ['src', new Set(['script', 'img', 'iframe', 'frame', 'embed', 'video', 'audio', 'source', 'track', 'input'])],
  ['data', new Set(['object'])],
  ['poster', new Set(['video'])],
];

export interface FormRequest {
  method: 'GET' | 'POST';
  url: string;
  /** urlencoded body for POST. */
  body?: string;
}

export function htmlLinks(doc: HtmlDoc): string[] {
  const out: string[] = [];
  for (const el of doc.elements) {
    for (const [attr, tags] of URL_ATTRIBUTES) {
      const v = el.attrs[attr];
      if (v !== undefined && tags.has(el.name)) out.push(v);
    }
    const srcset = el.attrs['srcset'];
    if (srcset !== undefined && (el.name === 'img' || el.name === 'source')) out.push(...srcsetUrls(srcset));
    if (el.name === 'meta' && el.attrs['http-equiv']?.toLowerCase() === 'refresh') {
      const target = refreshUrl(el.attrs['content'] ?? '');
      if (target !== undefined) out.push(target);
    }
  }
  return out;
}

/** `a.png 1x, b.png 2x` → [a.png, b.png], parsed as HTML §4.8.4.3.10 does (URLs may contain commas). */
export function srcsetUrls(srcset: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = srcset.length;
  while (i < n) {
    while (i < n && /[\s,]/.test(srcset[i]!)) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && !/\s/.test(srcset[j]!)) j++;
    let url = srcset.slice(i, j);
    i = j;
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      // Skip descriptors up to the comma that ends the candidate (commas inside parentheses do not).
      let depth = 0;
      while (i < n && !(srcset[i] === ',' && depth === 0)) {
        if (srcset[i] === '(') depth++;
        else if (srcset[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
    }
    if (url !== '') out.push(url);
  }
  return out;
}

/** `5; url=/next` → `/next` (meta refresh and the Refresh header share the syntax). */
export function refreshUrl(content: string): string | undefined {
  const m = /^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.+?)\1\s*$/i.exec(content);
  if (m === null || /^\d+(\.\d*)?$/.test(content.trim())) return undefined;
  return m[2];
}

/** The request a browser makes when the form is submitted with its default values. */
export function formRequest(form: HtmlForm, pageUrl: string, base: string): FormRequest | undefined {
  const method = (form.attrs['method'] ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
  let action: URL;
  try {
    action = new URL(form.attrs['action'] ?? pageUrl, base);
  } catch {
    return undefined;
  }
  const params = new URLSearchParams();
  for (const f of form.fields) {
    const name = f.attrs['name'];
    if (name === undefined || name === '') continue;
    const type = (f.attrs['type'] ?? '').toLowerCase();
    if (f.name === 'button' || type === 'submit' || type === 'image' || type === 'reset' || type === 'button' || type === 'file') continue;
    if ((type === 'checkbox' || type === 'radio') && f.attrs['checked'] === undefined) continue;
    params.append(name, f.attrs['value'] ?? defaultValue(type));
  }
  action.hash = '';
  if (method === 'GET') {
    action.search = params.toString();
    return { method, url: action.href };
  }
  return { method, url: action.href, body: params.toString() };
}

/** Plausible values for empty fields, so the server answers as for a person (ZAP fills forms likewise). */
function defaultValue(type: string): string {
  switch (type) {
    case 'email':
      return 'bosun@example.com';
    case 'number':
    case 'range':
      return '1';
    case 'url':
      return 'https://example.com/';
    case 'date':
      return '2026-01-01';
    default:
      return 'bosun';
  }
}

export function headerLinks(msg: HttpMessage): string[] {
  const out: string[] = [];
  const location = header(msg.response.headers, 'location');
  if (location !== undefined) out.push(location);
  const refresh = header(msg.response.headers, 'refresh');
  if (refresh !== undefined) {
    const u = refreshUrl(refresh);
    if (u !== undefined) out.push(u);
  }
  return out;
}

/** Allow/Disallow paths (up to the first wildcard) and Sitemap URLs from robots.txt. */
export function robotsLinks(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(allow|disallow|sitemap)\s*:\s*(\S+)/i.exec(line.replace(/#.*/, ''));
    if (m === null) continue;
    const value = m[1]!.toLowerCase() === 'sitemap' ? m[2]! : m[2]!.split(/[*$]/)[0]!;
    if (value !== '' && value !== '/') out.push(value);
  }
  return out;
}

/** <loc> entries of a sitemap or sitemap index. */
export function sitemapLinks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)) out.push(m[1]!.replace(/&amp;/g, '&'));
  return out;
}

/** A link found in a response, to be resolved against `base`. */
export interface FoundLink {
  ref: string;
  base: string;
  /** A redirect target: same depth, one more hop. */
  redirect: boolean;
  method: 'GET' | 'POST';
  body?: string;
}

/** Every link a browser could follow from this response; POST forms only with `submitForms`. */
export function discoverLinks(msg: HttpMessage, submitForms: boolean): FoundLink[] {
  const out: FoundLink[] = [];
  const status = msg.response.status;
  const url = msg.request.url;
  const add = (ref: string, base: string, redirect = false, method: 'GET' | 'POST' = 'GET', body?: string): void => {
    const link: FoundLink = { ref, base, redirect, method };
    if (body !== undefined) link.body = body;
    out.push(link);
  };
  if (status >= 300 && status < 400) {
    for (const ref of headerLinks(msg)) add(ref, url.href, true);
    return out;
  }
  for (const ref of headerLinks(msg)) add(ref, url.href);
  if (url.pathname === '/robots.txt' && status === 200) for (const ref of robotsLinks(msg.response.body)) add(ref, url.href);
  if (!isHtml(msg) && /<(urlset|sitemapindex)[\s>]/.test(msg.response.body.slice(0, 4096))) for (const ref of sitemapLinks(msg.response.body)) add(ref, url.href);
  const doc = htmlOf(msg);
  if (doc === undefined) return out;
  let base = url.href;
  if (doc.baseHref !== undefined) {
    try {
      base = new URL(doc.baseHref, url).href;
    } catch {
      // an invalid <base href> is ignored, as browsers do
    }
  }
  for (const ref of htmlLinks(doc)) add(ref, base);
  for (const form of doc.forms) {
    if (!submitForms && (form.attrs['method'] ?? '').toLowerCase() === 'post') continue; // not built to be dropped
    const r = formRequest(form, url.href, base);
    if (r === undefined || (r.method === 'POST' && !submitForms)) continue;
    add(r.url, base, false, r.method, r.body);
  }
  return out;
}
