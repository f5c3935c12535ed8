/**
 * ZAP 10038 Content Security Policy (CSP) Header Not Set (Medium). Without a CSP an injected
 * script runs with the page's full authority. Sub-alerts (Informational): 10038-2 only the
 * obsolete X-Content-Security-Policy / X-WebKit-CSP headers, 10038-3 only
 * Content-Security-Policy-Report-Only (which enforces nothing).
 * Reads: response headers Content-Security-Policy(-Report-Only), X-Content-Security-Policy,
 * X-WebKit-CSP; <meta http-equiv="Content-Security-Policy">.
 */
import { tags } from '../html.ts';
import { header, htmlOf, isHtml, isRedirect } from '../message.ts';
import { defineRule } from '../rule.ts';

export const cspMissing = defineRule({
  id: 'DAST-CSP-MISSING',
  zapId: 10038,
  title: 'Content Security Policy (CSP) Header Not Set',
  severity: 'medium',
  description: 'Content Security Policy is an added layer of security that detects and mitigates cross-site scripting and data injection; this HTML page sets none.',
  remediation: "Send a Content-Security-Policy header, e.g. default-src 'self'; frame-ancestors 'self'; form-action 'self'.",
  fields: ['response header Content-Security-Policy', '<meta http-equiv="Content-Security-Policy">'],
  applies: { types: ['html'], status: [1, 2, 4, 5] },
  scan(msg) {
    if (!isHtml(msg) || isRedirect(msg)) return [];
    const h = msg.response.headers;
    if (header(h, 'content-security-policy') !== undefined) return [];
    const doc = htmlOf(msg);
    if (doc !== undefined && tags(doc, 'meta').some((e) => e.attrs['http-equiv']?.toLowerCase() === 'content-security-policy')) return [];
    const obsolete = header(h, 'x-content-security-policy') ?? header(h, 'x-webkit-csp');
    if (obsolete !== undefined) return [{ ref: '10038-2', name: 'Obsolete Content Security Policy (CSP) Header Found', risk: 'info', param: header(h, 'x-content-security-policy') !== undefined ? 'x-content-security-policy' : 'x-webkit-csp', evidence: obsolete }];
    const reportOnly = header(h, 'content-security-policy-report-only');
    if (reportOnly !== undefined) return [{ ref: '10038-3', name: 'Content Security Policy (CSP) Report-Only Header Found', risk: 'info', param: 'content-security-policy-report-only', evidence: reportOnly }];
    return [{ ref: '10038-1', param: 'content-security-policy', evidence: '' }];
  },
});
