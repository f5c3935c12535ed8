/**
 * ZAP 10019 Content-Type Header Missing (Informational): a response with a body but no
 * Content-Type (10019-1) or an empty one (10019-2) leaves browsers to sniff its type.
 * Reads: response header Content-Type.
 */
import { header } from '../message.ts';
import { defineRule } from '../rule.ts';

export const contentTypeMissing = defineRule({
  id: 'DAST-CONTENT-TYPE-MISSING',
  zapId: 10019,
  title: 'Content-Type Header Missing',
  severity: 'info',
  description: 'The Content-Type header was either missing or empty, so browsers guess the type of the body (content sniffing).',
  remediation: 'Send an accurate Content-Type (with charset for text) on every response with a body.',
  fields: ['response header Content-Type'],
  scan(msg) {
    if (msg.response.bodyBytes === 0) return [];
    const v = header(msg.response.headers, 'content-type');
    if (v === undefined) return [{ ref: '10019-1', param: 'content-type', evidence: '' }];
    if (v.trim() === '') return [{ ref: '10019-2', name: 'Content-Type Header Empty', param: 'content-type', evidence: '' }];
    return [];
  },
});
