/**
 * ZAP 10050 Retrieved from Cache (Informational): the response came from a shared cache (an
 * `Age` header, or X-Cache / CF-Cache-Status saying HIT), so a user-specific page may be served
 * to other users. Reads: response headers Age, X-Cache, CF-Cache-Status.
 */
import { header } from '../message.ts';
import { defineRule } from '../rule.ts';

export const retrievedFromCache = defineRule({
  id: 'DAST-RETRIEVED-FROM-CACHE',
  zapId: 10050,
  title: 'Retrieved from Cache',
  severity: 'info',
  description: 'The content was served from a shared cache; if it holds user-specific or sensitive data, other users may receive it.',
  remediation: 'Send Cache-Control: no-store (or private) on responses with user-specific content.',
  fields: ['response header Age', 'response header X-Cache', 'response header CF-Cache-Status'],
  scan(msg) {
    const h = msg.response.headers;
    for (const name of ['x-cache', 'cf-cache-status']) {
      const v = header(h, name);
      if (v !== undefined && /\bhit\b/i.test(v)) return [{ param: name, evidence: v }];
    }
    const age = header(h, 'age');
    if (age !== undefined && /^\s*\d+\s*$/.test(age)) return [{ param: 'age', evidence: `Age: ${age.trim()}` }];
    return [];
  },
});
