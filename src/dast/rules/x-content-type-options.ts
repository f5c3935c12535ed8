/**
 * ZAP 10021 X-Content-Type-Options Header Missing (Low). Without `nosniff`, older browsers
 * may sniff a response as another type (HTML or script) than declared. Redirects and error
 * responses are skipped, as ZAP does at its default threshold.
 * Reads: response header X-Content-Type-Options.
 */
import { header, isError, isRedirect } from '../message.ts';
import { defineRule } from '../rule.ts';

export const xContentTypeOptions = defineRule({
  id: 'DAST-X-CONTENT-TYPE-OPTIONS',
  zapId: 10021,
  title: 'X-Content-Type-Options Header Missing',
  severity: 'low',
  description: "The anti-MIME-sniffing header X-Content-Type-Options was not set to 'nosniff', so browsers may interpret the body as a different content type.",
  remediation: "Send X-Content-Type-Options: nosniff on every response.",
  fields: ['response header X-Content-Type-Options'],
  applies: { status: [1, 2] },
  scan(msg) {
    if (isRedirect(msg) || isError(msg) || msg.response.bodyBytes === 0) return [];
    const v = header(msg.response.headers, 'x-content-type-options');
    if (v !== undefined && v.trim().toLowerCase() === 'nosniff') return [];
    return [{ param: 'x-content-type-options', evidence: v ?? '', detail: v === undefined ? 'header missing' : `value "${v}" is not nosniff` }];
  },
});
