/**
 * ZAP 10098 Cross-Domain Misconfiguration (Medium): Access-Control-Allow-Origin `*` (or `null`)
 * lets any site read the response with the browser's help; with credentials allowed for an
 * arbitrary origin it reads authenticated data. Reads: response headers
 * Access-Control-Allow-Origin, Access-Control-Allow-Credentials.
 */
import { header } from '../message.ts';
import { defineRule } from '../rule.ts';

export const corsMisconfiguration = defineRule({
  id: 'DAST-CORS-MISCONFIGURATION',
  zapId: 10098,
  title: 'Cross-Domain Misconfiguration',
  severity: 'medium',
  description: 'The CORS configuration of the server permits cross-domain read requests from arbitrary third-party domains.',
  remediation: 'Allow only the origins that need the data (an explicit list), never * or null for non-public content.',
  fields: ['response header Access-Control-Allow-Origin', 'response header Access-Control-Allow-Credentials'],
  scan(msg) {
    const acao = header(msg.response.headers, 'access-control-allow-origin');
    if (acao === undefined) return [];
    const v = acao.trim();
    if (v === '*' || v.toLowerCase() === 'null') return [{ param: 'access-control-allow-origin', evidence: `Access-Control-Allow-Origin: ${v}` }];
    return [];
  },
});
