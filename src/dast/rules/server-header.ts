/**
 * ZAP 10036 HTTP Server Response Header. The Server header names the web server (Informational)
 * or, worse, its version (Low), which tells an attacker which published vulnerabilities apply.
 * Reads: response header Server.
 */
import { header } from '../message.ts';
import { defineRule } from '../rule.ts';

export const serverHeader = defineRule({
  id: 'DAST-SERVER-HEADER',
  zapId: 10036,
  title: 'Server Leaks Version Information via "Server" HTTP Response Header Field',
  severity: 'low',
  description: 'The web/application server leaks its product name and version through the Server response header.',
  remediation: 'Configure the server to send a generic Server header, or none (nginx: server_tokens off; Apache: ServerTokens Prod).',
  fields: ['response header Server'],
  scan(msg) {
    const v = header(msg.response.headers, 'server');
    if (v === undefined || v.trim() === '') return [];
    if (/\d/.test(v)) return [{ ref: '10036', param: 'server', evidence: v }];
    return [{ ref: '10036', name: 'Server Leaks Information via "Server" HTTP Response Header Field', risk: 'info', param: 'server', evidence: v }];
  },
});
