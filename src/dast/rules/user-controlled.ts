/**
 * Passive "user controllable" rules: a request parameter (query or form) whose value comes back
 * in a place that would let an attacker steer the response. They only look at what the spider
 * sent anyway; no payload is ever injected.
 * 10028 Off-site Redirect (High, ZAP "Open Redirect" hot-spot): a 3xx Location (or meta
 *       refresh) pointing at the URL/host given in a parameter.
 * 10029 Cookie Poisoning (Informational): a parameter value inside a Set-Cookie name or value.
 * 10030 User Controllable Charset (Informational): a parameter value is the Content-Type or
 *       <meta> charset.
 * 10031 User Controllable HTML Element Attribute (Potential XSS) (Informational): a parameter
 *       value equals, or starts, an HTML attribute value.
 * 10043 User Controllable JavaScript Event (XSS) (Informational): a parameter value inside an
 *       on* event-handler attribute.
 * Reads: request parameters; response Location, Set-Cookie, Content-Type; HTML attributes.
 */
import { tags } from '../html.ts';
import { charsetOf, header, headerAll, htmlOf, isRedirect, paramsOf, type HttpMessage, type Param } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { tagText } from './common.ts';
import { refreshUrl } from '../spider/links.ts';

/** Values too short or too common to mean the user controls the output. */
function usable(params: Param[]): Param[] {
  return params.filter((p) => p.value.length >= 3 && !/^(true|false|on|off|null|\d{1,3})$/i.test(p.value));
}

export const offSiteRedirect = defineRule({
  id: 'DAST-OFF-SITE-REDIRECT',
  zapId: 10028,
  title: 'Off-site Redirect',
  severity: 'high',
  description: 'A request parameter decides where the response redirects to, including another site: an open redirect that lends the site\'s name to phishing links.',
  remediation: 'Redirect only to relative paths or an allow-list of destinations; never to a URL taken from the request.',
  fields: ['request parameters', 'response header Location', '<meta http-equiv="refresh">'],
  scan(msg) {
    const targets: string[] = [];
    if (isRedirect(msg)) targets.push(...headerAll(msg.response.headers, 'location'));
    const doc = htmlOf(msg);
    for (const el of doc === undefined ? [] : tags(doc, 'meta')) {
      if (el.attrs['http-equiv']?.toLowerCase() === 'refresh') {
        const u = refreshUrl(el.attrs['content'] ?? '');
        if (u !== undefined) targets.push(u);
      }
    }
    const out: Alert[] = [];
    for (const t of targets) {
      let url: URL;
      try {
        url = new URL(t, msg.request.url);
      } catch {
        continue;
      }
      if (url.host === msg.request.url.host) continue;
      const p = usable(paramsOf(msg.request)).find((q) => t.startsWith(q.value) || url.host === q.value.toLowerCase() || `//${url.host}` === q.value.toLowerCase());
      if (p !== undefined) out.push({ param: p.name, evidence: t });
    }
    return out;
  },
});

export const cookiePoisoning = defineRule({
  id: 'DAST-COOKIE-POISONING',
  zapId: 10029,
  title: 'Cookie Poisoning',
  severity: 'info',
  description: 'A request parameter is written into a cookie: an attacker who controls the parameter can set cookie content (and, with separators, other cookie attributes).',
  remediation: 'Do not build cookies from request input, or validate it strictly (no ; , = or whitespace).',
  fields: ['request parameters', 'response header Set-Cookie'],
  scan(msg) {
    const cookies = headerAll(msg.response.headers, 'set-cookie');
    const out: Alert[] = [];
    for (const p of usable(paramsOf(msg.request))) {
      const c = cookies.find((v) => v.split(';')[0]!.includes(p.value));
      if (c !== undefined) out.push({ param: p.name, evidence: p.value, detail: `cookie: ${c.split(';')[0]}` });
    }
    return out;
  },
});

export const userControllableCharset = defineRule({
  id: 'DAST-USER-CONTROLLABLE-CHARSET',
  zapId: 10030,
  title: 'User Controllable Charset',
  severity: 'info',
  description: 'A request parameter sets the charset of the response, which lets an attacker choose a charset in which the page\'s escaping no longer works (UTF-7 XSS).',
  remediation: 'Fix the charset server-side (UTF-8); never take it from the request.',
  fields: ['request parameters', 'response header Content-Type', '<meta charset>'],
  scan(msg) {
    const charsets: string[] = [];
    const headerCharset = charsetOf(header(msg.response.headers, 'content-type'));
    if (headerCharset !== undefined) charsets.push(headerCharset);
    const doc = htmlOf(msg);
    for (const el of doc === undefined ? [] : tags(doc, 'meta')) {
      if (el.attrs['charset'] !== undefined) charsets.push(el.attrs['charset'].toLowerCase());
      if (el.attrs['http-equiv']?.toLowerCase() === 'content-type') {
        const c = charsetOf(el.attrs['content']);
        if (c !== undefined) charsets.push(c);
      }
    }
    const p = usable(paramsOf(msg.request)).find((q) => charsets.includes(q.value.toLowerCase()));
    return p === undefined ? [] : [{ param: p.name, evidence: p.value }];
  },
});

function reflectedAttributes(msg: HttpMessage, events: boolean): Alert[] {
  const doc = htmlOf(msg);
  if (doc === undefined) return [];
  const params = usable(paramsOf(msg.request));
  if (params.length === 0) return [];
  const out: Alert[] = [];
  const seen = new Set<string>();
  for (const el of doc.elements) {
    for (const [attr, value] of Object.entries(el.attrs)) {
      const isEvent = attr.startsWith('on');
      if (isEvent !== events || value === '') continue;
      const v = value.toLowerCase();
      for (const p of params) {
        const pv = p.value.toLowerCase();
        const hit = events ? v.includes(pv) : v === pv || v.startsWith(pv);
        if (!hit || seen.has(`${p.name}\u0000${attr}`)) continue;
        // A form field echoing its own submitted value is what forms do; ZAP skips it too.
        if (!events && attr === 'value' && el.attrs['name'] === p.name) continue;
        seen.add(`${p.name}\u0000${attr}`);
        out.push({ param: p.name, evidence: tagText(el).slice(0, 200), detail: `value of "${p.name}" in the ${attr} attribute of <${el.name}>` });
      }
    }
  }
  return out;
}

export const userControllableAttribute = defineRule({
  id: 'DAST-USER-CONTROLLABLE-ATTRIBUTE',
  zapId: 10031,
  title: 'User Controllable HTML Element Attribute (Potential XSS)',
  severity: 'info',
  description: 'A request parameter is written into an HTML attribute value; where escaping is weak this is an XSS hot-spot worth testing.',
  remediation: 'Encode attribute values for the HTML attribute context, and validate input against what the attribute allows.',
  fields: ['request parameters', 'HTML attribute values'],
  scan: (msg) => reflectedAttributes(msg, false),
});

export const userControllableJsEvent = defineRule({
  id: 'DAST-USER-CONTROLLABLE-JS-EVENT',
  zapId: 10043,
  title: 'User Controllable JavaScript Event (XSS)',
  severity: 'info',
  description: 'A request parameter is written into an on* event handler attribute, i.e. into JavaScript: an XSS hot-spot.',
  remediation: 'Never put request input in event handlers; attach handlers from scripts and pass data through data-* attributes.',
  fields: ['request parameters', 'HTML on* attributes'],
  scan: (msg) => reflectedAttributes(msg, true),
});
