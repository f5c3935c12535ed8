/**
 * ZAP 10031 User Controllable HTML Element Attribute (Potential XSS) (Informational): a request
 * parameter value equals, or starts, an HTML attribute value (a form field echoing its own value
 * is skipped). Reads: request parameters, HTML attribute values.
 */
import { defineRule } from '../rule.ts';
import { reflectedAttributes } from './reflection.ts';

export const userControllableAttribute = defineRule({
  id: 'DAST-USER-CONTROLLABLE-ATTRIBUTE',
  zapId: 10031,
  title: 'User Controllable HTML Element Attribute (Potential XSS)',
  severity: 'info',
  description: 'A request parameter is written into an HTML attribute value; where escaping is weak this is an XSS hot-spot worth testing.',
  remediation: 'Encode attribute values for the HTML attribute context, and validate input against what the attribute allows.',
  fields: ['request parameters', 'HTML attribute values'],
  applies: { types: ['html'], params: true },
  scan: (msg) => reflectedAttributes(msg, false),
});
