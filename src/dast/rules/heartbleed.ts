/**
 * ZAP 10034 Heartbleed OpenSSL Vulnerability (Indicative) (High): the Server header advertises
 * an OpenSSL version affected by CVE-2014-0160 (1.0.1 to 1.0.1f, 1.0.2-beta). Indicative only:
 * the banner may lie or be patched by a distribution.
 * Reads: response header Server.
 */
import { header } from '../message.ts';
import { defineRule } from '../rule.ts';

const VULNERABLE = /openssl\/1\.0\.(1[a-f]?|2-beta\d*)(?![\w.-])/i;

export const heartbleed = defineRule({
  id: 'DAST-HEARTBLEED-INDICATIVE',
  zapId: 10034,
  title: 'Heartbleed OpenSSL Vulnerability (Indicative)',
  severity: 'high',
  description: 'The TLS implementation in OpenSSL 1.0.1 to 1.0.1f (CVE-2014-0160) leaks process memory to any client; the server banner names such a version.',
  remediation: 'Upgrade OpenSSL to 1.0.1g or later and rotate keys and certificates.',
  fields: ['response header Server'],
  scan(msg) {
    const v = header(msg.response.headers, 'server');
    const m = v === undefined ? null : VULNERABLE.exec(v);
    return m === null ? [] : [{ param: 'server', evidence: m[0] }];
  },
});
