/**
 * ZAP 10043 User Controllable JavaScript Event (XSS) (Informational): a request parameter value
 * inside an on* event-handler attribute. Reads: request parameters, HTML on* attributes.
 */
import { defineRule } from '../rule.ts';
import { reflectedAttributes } from './reflection.ts';

export const userControllableJsEvent = defineRule({
  id: 'DAST-USER-CONTROLLABLE-JS-EVENT',
  zapId: 10043,
  title: 'User Controllable JavaScript Event (XSS)',
  severity: 'info',
  description: 'A request parameter is written into an on* event handler attribute, i.e. into JavaScript: an XSS hot-spot.',
  remediation: 'Never put request input in event handlers; attach handlers from scripts and pass data through data-* attributes.',
  fields: ['request parameters', 'HTML on* attributes'],
  applies: { types: ['html'], params: true },
  scan: (msg) => reflectedAttributes(msg, true),
});
