/**
 * ZAP 10096 Timestamp Disclosure - Unix (Low): a 10-digit number in a response header or body
 * that reads as a Unix time within ten years of now. It may reveal server clocks, token
 * generation times or internal state. Headers whose purpose is time are ignored.
 * Reads: response headers and body.
 */
import { isCss, isImage } from '../message.ts';
import { defineRule } from '../rule.ts';

const TIMESTAMP = /(?<![\w.])[12]\d{9}(?![\w.])/g;
const IGNORED_HEADERS = new Set(['date', 'expires', 'last-modified', 'age', 'etag', 'content-length', 'keep-alive', 'x-ratelimit-reset', 'retry-after', 'set-cookie']);
const TEN_YEARS = 10 * 365 * 24 * 3600;

export const timestampDisclosure = defineRule({
  id: 'DAST-TIMESTAMP-DISCLOSURE',
  zapId: 10096,
  title: 'Timestamp Disclosure - Unix',
  severity: 'low',
  description: 'A Unix timestamp was disclosed by the application/web server.',
  remediation: 'Confirm the timestamp is not sensitive (session or token creation times, internal clocks) and not usable to predict values.',
  fields: ['response headers', 'response body'],
  applies: { types: ['html', 'js', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg) || isCss(msg)) return [];
    const now = Math.floor(Date.now() / 1000);
    const find = (text: string): string | undefined => {
      if (text.length < 10) return undefined; // a timestamp has ten digits
      // exec on the shared global pattern: matchAll would copy the pattern for every text.
      TIMESTAMP.lastIndex = 0;
      for (let m = TIMESTAMP.exec(text); m !== null; m = TIMESTAMP.exec(text)) if (Math.abs(Number(m[0]) - now) <= TEN_YEARS) return m[0];
      return undefined;
    };
    for (const [name, value] of msg.response.headers) {
      if (IGNORED_HEADERS.has(name)) continue;
      const t = find(value);
      if (t !== undefined) return [{ param: name, evidence: t, detail: `${t} is ${new Date(Number(t) * 1000).toISOString()}` }];
    }
    const t = find(msg.response.body);
    return t === undefined ? [] : [{ evidence: t, detail: `${t} is ${new Date(Number(t) * 1000).toISOString()}` }];
  },
});
