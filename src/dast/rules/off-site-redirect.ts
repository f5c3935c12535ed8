/**
 * ZAP 10028 Off-site Redirect (High; ZAP's open-redirect hot-spot): a 3xx Location or a meta
 * refresh points at the URL or host given in a request parameter.
 * Reads: request parameters, response header Location, <meta http-equiv="refresh">.
 */
import { tags } from '../html.ts';
import { headerAll, htmlOf, isRedirect, paramsOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { refreshUrl } from '../spider/links.ts';
import { usable } from './reflection.ts';

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
