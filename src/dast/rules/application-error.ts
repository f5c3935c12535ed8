/**
 * ZAP 90022 Application Error Disclosure (Medium): a stack trace or driver error in the response
 * body (patterns in error-patterns.ts), or an HTTP 500 answer (ZAP reports the status line as
 * evidence, Low). Reads: response status and body.
 */
import { isImage } from '../message.ts';
import { defineRule } from '../rule.ts';
import { APPLICATION_ERRORS } from './error-patterns.ts';

export const applicationError = defineRule({
  id: 'DAST-APPLICATION-ERROR',
  zapId: 90022,
  title: 'Application Error Disclosure',
  severity: 'medium',
  description: 'The page contains an error or warning message (stack trace, driver error) that may disclose sensitive information such as the location of the file that produced it.',
  remediation: 'Handle errors in the application and return a generic error page; log details server-side only.',
  fields: ['response status', 'response body'],
  applies: { types: ['html', 'js', 'css', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg)) return [];
    const body = msg.response.body;
    for (const [needle, re] of APPLICATION_ERRORS) {
      if (!body.includes(needle)) continue;
      const m = re.exec(body);
      if (m !== null) return [{ evidence: m[0].trim().slice(0, 200) }];
    }
    if (msg.response.status === 500) return [{ risk: 'low', evidence: `HTTP/1.1 500 ${msg.response.statusText}`.trim() }];
    return [];
  },
});
