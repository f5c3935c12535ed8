/**
 * ZAP 10025 Information Disclosure - Sensitive Information in HTTP Referrer Header
 * (Informational): the Referer the browser sends carries sensitive values from the previous URL.
 * Reads: request header Referer.
 */
import type { HttpMessage } from '../message.ts';
import { header } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { sensitiveParams } from './sensitive-info-in-url.ts';

export const sensitiveInReferer = defineRule({
  id: 'DAST-SENSITIVE-INFO-IN-REFERER',
  zapId: 10025,
  title: 'Information Disclosure - Sensitive Information in HTTP Referrer Header',
  severity: 'info',
  description: 'The Referer header of the request carries sensitive information from the previous page\'s URL, which reaches the next server (possibly a third party).',
  remediation: 'Keep sensitive values out of URLs; send Referrer-Policy: strict-origin-when-cross-origin or no-referrer.',
  fields: ['request header Referer'],
  scan(msg: HttpMessage): Alert[] {
    const ref = header(msg.request.headers, 'referer');
    // Only a query can carry parameters: most Referers have none, and need not be parsed.
    if (ref === undefined || !ref.includes('?')) return [];
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      return [];
    }
    return sensitiveParams(url).map(([n, v, why]) => ({ param: n, evidence: v, detail: `${why} in the Referer` }));
  },
});
