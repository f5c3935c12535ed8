/**
 * Third-party script and stylesheet rules over <script src> and <link rel=stylesheet>:
 * 10017 Cross-Domain JavaScript Source File Inclusion (Low): a script from another host without
 *       an integrity attribute runs with the page's authority if that host is compromised.
 * 90003 Sub Resource Integrity Attribute Missing (Medium): any resource from another host
 *       (script or stylesheet) without integrity.
 * 10115 Script Served From Malicious Domain (polyfill) (High): a script from the polyfill.io
 *       family of domains taken over in 2024.
 * Reads: <script src>, <link rel="stylesheet" href>, their integrity attributes.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { otherHost, resolve, tagText } from './common.ts';

export const POLYFILL_DOMAINS = ['polyfill.io', 'bootcdn.net', 'bootcss.com', 'staticfile.net', 'staticfile.org', 'unionadjs.com', 'xhsbpza.com', 'union.macoms.la', 'newcrbpc.com'];

export const crossDomainScript = defineRule({
  id: 'DAST-CROSS-DOMAIN-SCRIPT',
  zapId: 10017,
  title: 'Cross-Domain JavaScript Source File Inclusion',
  severity: 'low',
  description: 'The page includes one or more script files from a third-party domain without Subresource Integrity; whoever controls that domain controls the page.',
  remediation: 'Host scripts yourself, or pin them with an integrity attribute (and crossorigin="anonymous").',
  fields: ['<script src>', '<script integrity>'],
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of tags(doc, 'script')) {
      const src = el.attrs['src'];
      if (src === undefined || el.attrs['integrity'] !== undefined) continue;
      const url = resolve(src, msg, doc);
      if (url !== undefined && otherHost(url, msg)) out.push({ param: url.href, evidence: tagText(el) });
    }
    return out;
  },
});

export const sriMissing = defineRule({
  id: 'DAST-SRI-MISSING',
  zapId: 90003,
  title: 'Sub Resource Integrity Attribute Missing',
  severity: 'medium',
  description: 'The integrity attribute is missing on a script or link tag served by an external server; a compromised CDN could then inject malicious content.',
  remediation: 'Add integrity (the resource hash) and crossorigin attributes to every external script and stylesheet.',
  fields: ['<script src integrity>', '<link rel="stylesheet" href integrity>'],
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of [...tags(doc, 'script'), ...tags(doc, 'link')]) {
      const ref = el.name === 'script' ? el.attrs['src'] : el.name === 'link' && /\bstylesheet\b/i.test(el.attrs['rel'] ?? '') ? el.attrs['href'] : undefined;
      if (ref === undefined || el.attrs['integrity'] !== undefined) continue;
      const url = resolve(ref, msg, doc);
      if (url !== undefined && otherHost(url, msg)) out.push({ param: url.href, evidence: tagText(el) });
    }
    return out;
  },
});

export const polyfillDomain = defineRule({
  id: 'DAST-POLYFILL-MALICIOUS-DOMAIN',
  zapId: 10115,
  title: 'Script Served From Malicious Domain (polyfill)',
  severity: 'high',
  description: 'The page loads a script from a polyfill.io-family domain, which served malware after its 2024 takeover.',
  remediation: 'Remove the script; self-host the polyfills you need or use a trusted CDN with integrity.',
  fields: ['<script src>'],
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
