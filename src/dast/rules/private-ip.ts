/**
 * ZAP 2 Private IP Disclosure (Low): an RFC 1918 address (10/8, 172.16/12, 192.168/16) or an EC2
 * private host name (ip-10-0-0-1) in a response body tells an attacker the internal addressing.
 * An address equal to the host being scanned is not a disclosure.
 * Reads: response body.
 */
import { isImage } from '../message.ts';
import { defineRule } from '../rule.ts';
import { matchesOf } from './common.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)';
const PRIVATE_IP = new RegExp(
  `(?<![\\w.])(?:10\\.${OCTET}|172\\.(?:1[6-9]|2\\d|3[01])|192\\.168)\\.${OCTET}\\.${OCTET}(?::\\d{1,5})?(?![\\w.]*\\d)|\\bip-(?:10-${OCTET}|172-(?:1[6-9]|2\\d|3[01])|192-168)-${OCTET}-${OCTET}\\b`,
  'g',
);

export const privateIp = defineRule({
  id: 'DAST-PRIVATE-IP-DISCLOSURE',
  zapId: 2,
  title: 'Private IP Disclosure',
  severity: 'low',
  description: 'A private IP address (RFC 1918) or an Amazon EC2 private host name was found in the response body; it helps an attacker map the internal network.',
  remediation: 'Remove private addresses from responses (error pages, comments, API payloads).',
  fields: ['response body'],
  applies: { types: ['html', 'js', 'css', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg) || msg.response.body === '') return [];
    const body = msg.response.body;
    // Every match holds one of these literals: a cheap look before the pattern.
    if (!body.includes('10.') && !body.includes('172.') && !body.includes('192.168') && !body.includes('ip-1')) return [];
    const host = msg.request.url.hostname;
    const found = matchesOf(PRIVATE_IP, body)
      .map(([, t]) => t)
      .filter((t) => t.split(':')[0] !== host);
    return found.length === 0 ? [] : [{ evidence: found[0]!, detail: `private addresses: ${[...new Set(found)].slice(0, 5).join(', ')}` }];
  },
});
