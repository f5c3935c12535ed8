/**
 * ZAP 10115 Script Served From Malicious Domain (polyfill) (High): a script from the polyfill.io
 * family of domains taken over in 2024. Reads: <script src>.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { resolve, tagText } from './common.ts';

export const POLYFILL_DOMAINS = ['polyfill.io', 'bootcdn.net', 'bootcss.com', 'staticfile.net', 'staticfile.org', 'unionadjs.com', 'xhsbpza.com', 'union.macoms.la', 'newcrbpc.com'];

export const polyfillDomain = defineRule({
  id: 'DAST-POLYFILL-MALICIOUS-DOMAIN',
  zapId: 10115,
  title: 'Script Served From Malicious Domain (polyfill)',
  severity: 'high',
  description: 'The page loads a script from a polyfill.io-family domain, which served malware after its 2024 takeover.',
  remediation: 'Remove the script; self-host the polyfills you need or use a trusted CDN with integrity.',
  fields: ['<script src>'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of tags(doc, 'script')) {
      const src = el.attrs['src'];
      if (src === undefined) continue;
      const host = resolve(src, msg, doc)?.hostname.toLowerCase();
      if (host !== undefined && POLYFILL_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) out.push({ param: src, evidence: tagText(el) });
    }
    return out;
  },
});
