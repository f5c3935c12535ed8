/**
 * ZAP 10015 Re-examine Cache-control Directives (Informational). An HTTPS page (text, not a
 * script, stylesheet or image; not an error or redirect) whose Cache-Control lacks no-store,
 * no-cache and must-revalidate may be kept by browsers and shared caches; on a page with user
 * data that is a leak. Reads: response header Cache-Control.
 */
import { header, isCss, isError, isHttps, isImage, isJavaScript, isRedirect, isText } from '../message.ts';
import { defineRule } from '../rule.ts';

export const cacheControl = defineRule({
  id: 'DAST-CACHE-CONTROL',
  zapId: 10015,
  title: 'Re-examine Cache-control Directives',
  severity: 'info',
  description: 'The Cache-Control header is missing or does not forbid storing the response, so browsers and proxies may cache content that could be sensitive.',
  remediation: 'For pages with user data send Cache-Control: no-cache, no-store, must-revalidate; static assets may be cached deliberately.',
  fields: ['response header Cache-Control'],
  applies: { types: ['html', 'json', 'other'], status: [1, 2], scheme: 'https' },
  scan(msg) {
    if (!isHttps(msg) || isRedirect(msg) || isError(msg) || msg.response.bodyBytes === 0) return [];
    if (!isText(msg) || isJavaScript(msg) || isCss(msg) || isImage(msg)) return [];
    const v = header(msg.response.headers, 'cache-control');
    const lower = (v ?? '').toLowerCase();
    if (['no-store', 'no-cache', 'must-revalidate'].every((d) => lower.includes(d))) return [];
    return [{ param: 'cache-control', evidence: v ?? '' }];
  },
});
