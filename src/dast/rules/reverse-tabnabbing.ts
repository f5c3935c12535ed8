/**
 * ZAP 10108 Reverse Tabnabbing (Medium): a link to another site opened with target (e.g.
 * `_blank`) without rel="noopener" or "noreferrer" gives the opened page `window.opener`, with
 * which it can navigate this page to a phishing copy. Reads: <a>, <area> target, rel, href.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { otherHost, resolve, tagText } from './common.ts';

export const reverseTabnabbing = defineRule({
  id: 'DAST-REVERSE-TABNABBING',
  zapId: 10108,
  title: 'Reverse Tabnabbing',
  severity: 'medium',
  description: 'A link to another site opens in a new browsing context without noopener; the opened page can rewrite this page\'s location (phishing).',
  remediation: 'Add rel="noopener noreferrer" to links with a target attribute.',
  fields: ['<a target rel href>', '<area target rel href>'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of [...tags(doc, 'a'), ...tags(doc, 'area')]) {
      if (el.attrs['href'] === undefined) continue;
      const target = (el.attrs['target'] ?? '').toLowerCase();
      if (target === '' || target === '_self' || target === '_top' || target === '_parent') continue;
      if (/\bno(opener|referrer)\b/i.test(el.attrs['rel'] ?? '')) continue;
      const url = resolve(el.attrs['href'], msg, doc);
      if (url !== undefined && otherHost(url, msg)) out.push({ param: url.href, evidence: tagText(el) });
    }
    return out;
  },
});
