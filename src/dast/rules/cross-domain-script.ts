/**
 * ZAP 10017 Cross-Domain JavaScript Source File Inclusion (Low): a <script src> from another
 * host without an integrity attribute runs with the page's authority if that host is compromised.
 * Reads: <script src>, <script integrity>.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { otherHost, resolve, surelySameHost, tagText } from './common.ts';

export const crossDomainScript = defineRule({
  id: 'DAST-CROSS-DOMAIN-SCRIPT',
  zapId: 10017,
  title: 'Cross-Domain JavaScript Source File Inclusion',
  severity: 'low',
  description: 'The page includes one or more script files from a third-party domain without Subresource Integrity; whoever controls that domain controls the page.',
  remediation: 'Host scripts yourself, or pin them with an integrity attribute (and crossorigin="anonymous").',
  fields: ['<script src>', '<script integrity>'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of tags(doc, 'script')) {
      const src = el.attrs['src'];
      if (src === undefined || el.attrs['integrity'] !== undefined || surelySameHost(src, doc)) continue;
      const url = resolve(src, msg, doc);
      if (url !== undefined && otherHost(url, msg)) out.push({ param: url.href, evidence: tagText(el) });
    }
    return out;
  },
});
