/**
 * ZAP 10040 Secure Pages Include Mixed Content (Low): an HTTPS page loads a resource (script,
 * image, frame, stylesheet, media, form target) over plain http://, which a network attacker can
 * read or replace. Reads: src, href (of link), data, action, formaction, background, poster.
 */
import { htmlOf, isHttps } from '../message.ts';
import { defineRule } from '../rule.ts';
import { tagText } from './common.ts';

const ATTRS = ['src', 'data', 'action', 'formaction', 'background', 'poster', 'codebase', 'classid'];
const CHECKED = new Set(ATTRS);

export const mixedContent = defineRule({
  id: 'DAST-MIXED-CONTENT',
  zapId: 10040,
  title: 'Secure Pages Include Mixed Content',
  severity: 'low',
  description: 'The page was loaded over HTTPS but includes content over HTTP, which can be read or modified in transit.',
  remediation: 'Load every resource over HTTPS (and consider CSP upgrade-insecure-requests).',
  fields: ATTRS.map((a) => `HTML attribute ${a}`).concat('<link href>'),
  applies: { types: ['html'], scheme: 'https' },
  scan(msg) {
    if (!isHttps(msg)) return [];
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const found: string[] = [];
    for (const el of doc.elements) {
      for (const a in el.attrs) {
        if ((el.name === 'link' ? a === 'href' : CHECKED.has(a)) && /^\s*http:\/\//i.test(el.attrs[a]!)) {
          found.push(tagText(el));
          break;
        }
      }
    }
    return found.length === 0 ? [] : [{ evidence: found[0]!, detail: `${found.length} element(s) load over http://` }];
  },
});
