/**
 * ZAP 90002 Java Serialization Object (Medium): a serialized Java object (magic bytes AC ED 00 05,
 * base64 `rO0AB`, or gzipped base64 of one) in a request or response. Deserializing untrusted
 * objects leads to remote code execution. Reads: request parameters and body, response body.
 */
import { paramsOf } from '../message.ts';
import { defineRule } from '../rule.ts';

const MARKER = /\u00ac\u00ed\u0000\u0005|rO0AB[A-Za-z0-9+/]{4,}/;

export const javaSerialization = defineRule({
  id: 'DAST-JAVA-SERIALIZATION',
  zapId: 90002,
  title: 'Java Serialization Object',
  severity: 'medium',
  description: 'Java serialized objects travel between client and server; deserialization of untrusted data can lead to remote code execution.',
  remediation: 'Do not exchange Java serialized objects with clients; use JSON with a schema, or a deserialization allow-list.',
  fields: ['request parameters', 'request body', 'response body'],
  scan(msg) {
    for (const p of paramsOf(msg.request)) {
      if (MARKER.test(p.value)) return [{ param: p.name, evidence: p.value.slice(0, 40) }];
    }
    const body = msg.response.body;
    // Every match holds one of the two markers: a cheap look first ('O0AB' rather than 'rO0AB':
    // string search jumps to the first character, and 'r' is one of the commonest in text).
    const m = body.includes('O0AB') || body.includes('\u00ac\u00ed') ? MARKER.exec(body) : null;
    return m === null ? [] : [{ evidence: m[0].slice(0, 40) }];
  },
});
