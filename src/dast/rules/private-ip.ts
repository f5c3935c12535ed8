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

/**
 * A cheap look before the pattern: a dotted match holds "10.", "172." or "192.168", so a '.' right
 * after a '0' or a '2'; an EC2 name holds "ip-1". Jumping from '.' to '.' and '-' to '-' with
 * indexOf beats searching the literals, whose first characters ('1', 'i') are common in text.
 */
export function mayHoldPrivateIp(body: string): boolean {
  for (let i = body.indexOf('.', 1); i !== -1; i = body.indexOf('.', i + 1)) {
    const c = body.charCodeAt(i - 1);
    if (c === 48 /* 0 */ || c === 50 /* 2 */) return true;
  }
  for (let i = body.indexOf('-', 1); i !== -1; i = body.indexOf('-', i + 1)) {
    if (body.charCodeAt(i - 1) === 112 /* p */ && body.charCodeAt(i + 1) === 49 /* 1 */) return true;
  }
  return false;
}

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
    if (!mayHoldPrivateIp(body)) return [];
    const host = msg.request.url.hostname;
    const found = matchesOf(PRIVATE_IP, body)
      .map(([, t]) => t)
      .filter((t) => t.split(':')[0] !== host);
    return found.length === 0 ? [] : [{ evidence: found[0]!, detail: `private addresses: ${[...new Set(found)].slice(0, 5).join(', ')}` }];
  },
});
