/**
 * ZAP 90003 Sub Resource Integrity Attribute Missing (Medium): a script or stylesheet from another
 * host without integrity; a compromised CDN could inject content.
 * Reads: <script src integrity>, <link rel="stylesheet" href integrity>.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { otherHost, resolve, surelySameHost, tagText } from './common.ts';

export const sriMissing = defineRule({
  id: 'DAST-SRI-MISSING',
  zapId: 90003,
  title: 'Sub Resource Integrity Attribute Missing',
  severity: 'medium',
  description: 'The integrity attribute is missing on a script or link tag served by an external server; a compromised CDN could then inject malicious content.',
  remediation: 'Add integrity (the resource hash) and crossorigin attributes to every external script and stylesheet.',
  fields: ['<script src integrity>', '<link rel="stylesheet" href integrity>'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of [...tags(doc, 'script'), ...tags(doc, 'link')]) {
      const ref = el.name === 'script' ? el.attrs['src'] : el.name === 'link' && /\bstylesheet\b/i.test(el.attrs['rel'] ?? '') ? el.attrs['href'] : undefined;
      if (ref === undefined || el.attrs['integrity'] !== undefined || surelySameHost(ref, doc)) continue;
      const url = resolve(ref, msg, doc);
      if (url !== undefined && otherHost(url, msg)) out.push({ param: url.href, evidence: tagText(el) });
    }
    return out;
  },
});
