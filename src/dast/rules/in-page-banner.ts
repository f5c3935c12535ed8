/**
 * ZAP 10009 In Page Banner Information Leak (Low): an error page (4xx/5xx) names the server
 * software and version (`Apache/2.4.41`, `nginx/1.22.1`, `Jetty://9.4`), as default error
 * pages do. Reads: response body of error responses.
 */
import { isError } from '../message.ts';
import { defineRule } from '../rule.ts';

const BANNER = /\b(?:Tomcat|Apache(?:-Coyote)?|nginx|Jetty|IIS|Microsoft-IIS|lighttpd|LiteSpeed|Caddy|openresty|Kestrel|Werkzeug|gunicorn|Express|WildFly|JBoss|GlassFish|WebLogic|Oracle-HTTP-Server)(?:\/|:\/\/| )v?\d+(?:\.\d+)+[\w.-]*/i;

export const inPageBanner = defineRule({
  id: 'DAST-IN-PAGE-BANNER',
  zapId: 10009,
  title: 'In Page Banner Information Leak',
  severity: 'low',
  description: 'The server returned a version banner string in the response body of an error page, telling an attacker which known vulnerabilities to try.',
  remediation: 'Use custom error pages, or configure the server not to print its version (nginx: server_tokens off; Apache: ServerSignature Off).',
  fields: ['response body (error responses)'],
  applies: { status: [4, 5] },
  scan(msg) {
    if (!isError(msg)) return [];
    const m = BANNER.exec(msg.response.body);
    return m === null ? [] : [{ evidence: m[0] }];
  },
});
