/**
 * ZAP 10044 Big Redirect Detected (Potential Sensitive Information Leak) (Low): a redirect whose
 * body is much larger than a redirect page needs (more than the Location's length plus 300
 * bytes) may carry the page the user was not allowed to see (10044-1); a redirect body with
 * several links may too (10044-2). Reads: 3xx responses, Location, body.
 */
import { header, isRedirect } from '../message.ts';
import { defineRule } from '../rule.ts';

export const bigRedirect = defineRule({
  id: 'DAST-BIG-REDIRECT',
  zapId: 10044,
  title: 'Big Redirect Detected (Potential Sensitive Information Leak)',
  severity: 'low',
  description: 'The server answered with a redirect whose body is large or holds several links: it may leak the content the redirect was meant to protect (a missing exit after the redirect).',
  remediation: 'Stop processing right after sending a redirect; send an empty or minimal body.',
  fields: ['response status 3xx', 'response header Location', 'response body'],
  applies: { status: [3] },
  scan(msg) {
    if (!isRedirect(msg)) return [];
    const location = header(msg.response.headers, 'location');
    if (location === undefined) return [];
    const predicted = location.length + 300;
    if (msg.response.bodyBytes > predicted) {
      return [{ ref: '10044-1', evidence: location, detail: `body of ${msg.response.bodyBytes} bytes, more than the ${predicted} a redirect needs` }];
    }
    const hrefs = msg.response.body.match(/href\s*=/gi)?.length ?? 0;
    if (hrefs > 1) return [{ ref: '10044-2', name: 'Multiple HREFs Redirect Detected (Potential Sensitive Information Leak)', evidence: location, detail: `${hrefs} links in the redirect body` }];
    return [];
  },
});
