/**
 * ZAP 10109 Modern Web Application (Informational): the page has scripts but no ordinary links
 * (none, or only `#` and `javascript:` ones), so it is probably rendered client-side and a
 * browser-driven spider would find more. A hint for the scan, not a vulnerability.
 * Reads: <a href>, <script>.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule } from '../rule.ts';
import { tagText } from './common.ts';

export const modernWebApp = defineRule({
  id: 'DAST-MODERN-WEB-APP',
  zapId: 10109,
  title: 'Modern Web Application',
  severity: 'info',
  description: 'The application appears to be a modern (single-page) web application: links are built by scripts, so a plain spider sees little of it.',
  remediation: 'None needed; scan it with a browser-driven spider as well to reach client-side routes.',
  fields: ['<a href>', '<script>'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const scripts = tags(doc, 'script');
    if (scripts.length === 0) return [];
    const links = tags(doc, 'a').filter((e) => e.attrs['href'] !== undefined);
    const real = links.filter((e) => !/^\s*(#|javascript:)/i.test(e.attrs['href']!));
    if (real.length > 0) return [];
    const evidence = links[0] ?? scripts[0]!;
    return [{ evidence: tagText(evidence), detail: links.length === 0 ? 'no links, but scripts' : 'links only to # or javascript:' }];
  },
});
