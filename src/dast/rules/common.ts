/** Small readers shared by several rules. */
import type { HtmlDoc, HtmlElement } from '../html.ts';
import { htmlOf, isDeletion, setCookies, type HttpMessage, type SetCookie } from '../message.ts';
import { optionList, type Alert, type RuleSettings } from '../rule.ts';

/** The URL `ref` points at from the page, or undefined when it is not a valid URL. */
export function resolve(ref: string, msg: HttpMessage, doc?: HtmlDoc): URL | undefined {
  try {
    const base = doc?.baseHref === undefined ? msg.request.url : new URL(doc.baseHref, msg.request.url);
    return new URL(ref.trim(), base);
  } catch {
    return undefined;
  }
}

/**
 * True when `ref` surely resolves to the page's own host, told without parsing a URL: no
 * <base>, and a path (`a/b`, `/a/b`, `?q`) with no ':' (no scheme), not starting with two
 * slashes or backslashes (another host), with no tab or newline (the URL parser drops them, so
 * `/<tab>/h` is `//h`) and no control character or space at the start (it strips those too).
 * False means "resolve it to know".
 */
export function surelySameHost(ref: string, doc: HtmlDoc): boolean {
  if (doc.baseHref !== undefined) return false;
  const r = ref.trim();
  const c0 = r.charCodeAt(0);
  if (Number.isNaN(c0) || c0 <= 0x20 || r.includes(':') || /[\t\n\r]/.test(r)) return false;
  if (c0 !== 0x2f /* / */ && c0 !== 0x5c /* \ */) return true;
  const c1 = r.charCodeAt(1);
  return c1 !== 0x2f && c1 !== 0x5c;
}

/** True when `url` is on another host than the page (ZAP compares host names). */
export function otherHost(url: URL, msg: HttpMessage): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== msg.request.url.hostname;
}

/** `<tag a="b">` for evidence, attributes in document order. */
export function tagText(el: HtmlElement): string {
  const attrs = Object.entries(el.attrs).map(([k, v]) => (v === '' ? k : `${k}="${v}"`));
  return `<${[el.name, ...attrs].join(' ')}>`;
}

/** Words matched as whole words, case-insensitively. */
export function wordPattern(words: readonly string[]): RegExp {
  return new RegExp(`\\b(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'i');
}

/** Every match of a global regex, capped, as [index, text]. */
export function matchesOf(re: RegExp, text: string, cap = 50): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && out.length < cap; m = re.exec(text)) {
    out.push([m.index, m[0]]);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** Cookies a response sets, without the ones it deletes and those in ZAP's `rules.cookie.ignorelist`. */
export function liveCookies(msg: HttpMessage, settings: RuleSettings): SetCookie[] {
  const ignored = optionList(settings, 'rules.cookie.ignorelist');
  return setCookies(msg).filter((c) => c.name !== '' && !isDeletion(c) && !ignored.has(c.name));
}

export function cookieAlert(c: SetCookie): Alert {
  return { param: c.name, evidence: `Set-Cookie: ${c.name}` };
}

/** Forms on the page whose action resolves to `protocol` (`http:` or `https:`). */
export function formsTo(msg: HttpMessage, protocol: string): Alert[] {
  const doc = htmlOf(msg);
  if (doc === undefined) return [];
  const out: Alert[] = [];
  for (const form of doc.forms) {
    const action = form.attrs['action'];
    if (action === undefined) continue;
    // A relative action (no scheme, not //host) keeps the page's scheme unless <base> says otherwise.
    if (doc.baseHref === undefined && msg.request.url.protocol !== protocol && !/^\s*(?:[a-z][a-z0-9+.-]*:|[/\\]{2})/i.test(action)) continue;
    const url = resolve(action, msg, doc);
    if (url?.protocol === protocol) out.push({ param: url.href, evidence: tagText({ name: 'form', attrs: form.attrs }) });
  }
  return out;
}
