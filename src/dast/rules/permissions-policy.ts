/**
 * ZAP 10063 Permissions Policy Header Not Set (Low). HTML and JavaScript responses without
 * Permissions-Policy leave powerful browser features (camera, geolocation, payment) available to
 * any embedded content; 10063-2 reports the deprecated Feature-Policy header instead.
 * Reads: response headers Permissions-Policy, Feature-Policy.
 */
import { header, isHtml, isJavaScript, isRedirect } from '../message.ts';
import { defineRule } from '../rule.ts';

export const permissionsPolicy = defineRule({
  id: 'DAST-PERMISSIONS-POLICY',
  zapId: 10063,
  title: 'Permissions Policy Header Not Set',
  severity: 'low',
  description: 'Permissions-Policy restricts which browser features (camera, microphone, geolocation, payment …) the page and its frames may use; it is not set.',
  remediation: 'Send Permissions-Policy listing only the features the site uses, e.g. camera=(), geolocation=(), microphone=().',
  fields: ['response header Permissions-Policy', 'response header Feature-Policy'],
  applies: { types: ['html', 'js'], status: [1, 2, 4, 5] },
  scan(msg) {
    if (isRedirect(msg) || !(isHtml(msg) || isJavaScript(msg))) return [];
    if (header(msg.response.headers, 'permissions-policy') !== undefined) return [];
    const fp = header(msg.response.headers, 'feature-policy');
    if (fp !== undefined) return [{ ref: '10063-2', name: 'Deprecated Feature Policy Header Set', param: 'feature-policy', evidence: fp }];
    return [{ ref: '10063-1', param: 'permissions-policy', evidence: '' }];
  },
});
