/**
 * ZAP 90011 Charset Mismatch (Informational): the charset in the Content-Type header differs
 * from the one the HTML declares (<meta charset> or <meta http-equiv="Content-Type">), so
 * browsers and filters may decode the page differently (an XSS filter bypass).
 * Reads: response header Content-Type, <meta charset>, <meta http-equiv="Content-Type">.
 */
import { tags } from '../html.ts';
import { charsetOf, header, htmlOf } from '../message.ts';
import { defineRule } from '../rule.ts';
import { tagText } from './common.ts';

export const charsetMismatch = defineRule({
  id: 'DAST-CHARSET-MISMATCH',
  zapId: 90011,
  title: 'Charset Mismatch',
  severity: 'info',
  description: 'The charset declared in the Content-Type header differs from the one declared in the page, so the content may be interpreted differently by different parsers.',
  remediation: 'Declare the same charset (UTF-8) in the header and in the page.',
  fields: ['response header Content-Type', '<meta charset>', '<meta http-equiv="Content-Type">'],
  applies: { types: ['html'] },
  scan(msg) {
    const headerCharset = charsetOf(header(msg.response.headers, 'content-type'));
    const doc = htmlOf(msg);
    if (headerCharset === undefined || doc === undefined) return [];
    for (const el of tags(doc, 'meta')) {
      const declared = el.attrs['charset']?.toLowerCase() ?? (el.attrs['http-equiv']?.toLowerCase() === 'content-type' ? charsetOf(el.attrs['content']) : undefined);
      if (declared !== undefined && normalise(declared) !== normalise(headerCharset)) {
        return [{ evidence: tagText(el), detail: `header charset ${headerCharset}, page declares ${declared}` }];
      }
    }
    return [];
  },
});

function normalise(charset: string): string {
  return charset.trim().toLowerCase().replace(/^utf8$/, 'utf-8');
}
