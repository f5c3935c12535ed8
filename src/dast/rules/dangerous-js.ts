/**
 * ZAP 10110 Dangerous JS Functions (Low): calls known to turn data into code or bypass
 * framework sanitising (eval, Angular's bypassSecurityTrust*) in JavaScript responses or inline
 * scripts. Reads: JavaScript responses, inline <script> text.
 */
import { htmlOf, isJavaScript } from '../message.ts';
import { defineRule } from '../rule.ts';

const DANGEROUS = /\b(?:eval|bypassSecurityTrust(?:Html|Script|Style|Url|ResourceUrl))\s*\(/;

export const dangerousJs = defineRule({
  id: 'DAST-DANGEROUS-JS-FUNCTIONS',
  zapId: 10110,
  title: 'Dangerous JS Functions',
  severity: 'low',
  description: 'A dangerous JavaScript function is used: it turns strings into code or bypasses sanitising, which makes XSS easy to introduce.',
  remediation: 'Avoid eval and bypassSecurityTrust*; parse data with JSON.parse and let the framework sanitise.',
  fields: ['JavaScript responses', 'inline <script>'],
  applies: { types: ['html', 'js'] },
  scan(msg) {
    const sources = isJavaScript(msg) ? [msg.response.body] : (htmlOf(msg)?.scripts ?? []);
    for (const s of sources) {
      const m = DANGEROUS.exec(s);
      if (m !== null) return [{ evidence: m[0].replace(/\s*\($/, '') }];
    }
    return [];
  },
});
