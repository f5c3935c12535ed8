/**
 * ZAP 90004 Insufficient Site Isolation Against Spectre Vulnerability (Low). Without
 * Cross-Origin-Resource-Policy (every response; 90004-1), and for documents
 * Cross-Origin-Embedder-Policy (90004-2) and Cross-Origin-Opener-Policy (90004-3), a
 * cross-origin page can pull the response into its own process and read it via side channels.
 * Reads: response headers Cross-Origin-Resource-Policy, -Embedder-Policy, -Opener-Policy.
 */
import { header, isError, isHtml, isRedirect } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

const CORP = new Set(['same-origin', 'same-site', 'cross-origin']);
const COEP = new Set(['require-corp', 'credentialless']);
const COOP = new Set(['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups']);

export const siteIsolation = defineRule({
  id: 'DAST-SPECTRE-ISOLATION',
  zapId: 90004,
  title: 'Insufficient Site Isolation Against Spectre Vulnerability',
  severity: 'low',
  description: 'Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy and Cross-Origin-Opener-Policy keep the response out of other origins\' processes; one is missing or invalid.',
  remediation: 'Send Cross-Origin-Resource-Policy: same-origin on responses, and Cross-Origin-Embedder-Policy: require-corp and Cross-Origin-Opener-Policy: same-origin on documents.',
  fields: ['response header Cross-Origin-Resource-Policy', 'response header Cross-Origin-Embedder-Policy', 'response header Cross-Origin-Opener-Policy'],
  applies: { status: [1, 2] },
  scan(msg) {
    if (isRedirect(msg) || isError(msg) || msg.response.bodyBytes === 0) return [];
    const out: Alert[] = [];
    const check = (name: string, allowed: ReadonlySet<string>, ref: string): void => {
      const v = header(msg.response.headers, name);
      if (v === undefined || !allowed.has(v.split(';')[0]!.trim().toLowerCase())) out.push({ ref, param: name, evidence: v ?? '' });
    };
    check('cross-origin-resource-policy', CORP, '90004-1');
    if (isHtml(msg)) {
      check('cross-origin-embedder-policy', COEP, '90004-2');
      check('cross-origin-opener-policy', COOP, '90004-3');
    }
    return out;
  },
});
