/**
 * ZAP 10023 Information Disclosure - Debug Error Messages (Low): a known debug-error fragment
 * (ColdFusion, PHP, ASP, Django …, listed in error-patterns.ts) in an HTML or text response.
 * Reads: response body.
 */
import { isImage, isJavaScript } from '../message.ts';
import { defineRule } from '../rule.ts';
import { DEBUG_ERROR_MESSAGES } from './error-patterns.ts';

export const debugErrors = defineRule({
  id: 'DAST-DEBUG-ERROR-MESSAGES',
  zapId: 10023,
  title: 'Information Disclosure - Debug Error Messages',
  severity: 'low',
  description: 'The response appears to contain common error messages returned by platforms with debugging on, which can reveal code, paths and configuration.',
  remediation: 'Turn debugging off in production and return generic error pages.',
  fields: ['response body'],
  applies: { types: ['html', 'css', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg) || isJavaScript(msg) || msg.response.body === '') return [];
    const body = msg.response.body;
    const found = DEBUG_ERROR_MESSAGES.find((m) => body.includes(m));
    return found === undefined ? [] : [{ evidence: found }];
  },
});
