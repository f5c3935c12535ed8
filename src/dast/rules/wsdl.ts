/**
 * ZAP 90030 WSDL File Detection (Informational): a WSDL document (SOAP service description) is
 * served, listing every operation a client may call. Reads: Content-Type, response body.
 */
import { mediaType } from '../message.ts';
import { defineRule } from '../rule.ts';

export const wsdl = defineRule({
  id: 'DAST-WSDL',
  zapId: 90030,
  title: 'WSDL File Detection',
  severity: 'info',
  description: 'A WSDL file was detected: it describes a web service and its operations, which widens what should be tested and protected.',
  remediation: 'Serve WSDL only to clients that need it; make sure every operation it lists is authenticated.',
  fields: ['response header Content-Type', 'response body'],
  scan(msg) {
    const type = mediaType(msg);
    if (type === 'application/wsdl+xml') return [{ evidence: type }];
    if (!type.includes('xml')) return [];
    const m = /<(?:wsdl:)?definitions\b[^>]*xmlns(?::\w+)?="http:\/\/schemas\.xmlsoap\.org\/wsdl\/"/.exec(msg.response.body.slice(0, 8192));
    return m === null ? [] : [{ evidence: m[0].slice(0, 120) }];
  },
});
