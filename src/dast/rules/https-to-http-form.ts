/**
 * ZAP 10042 HTTPS to HTTP Insecure Transition in Form Post (Medium): an https:// page submits a
 * form over plain http://. Reads: <form action>, the page URL.
 */
import { isHttps } from '../message.ts';
import { defineRule } from '../rule.ts';
import { formsTo } from './common.ts';

export const httpsToHttpForm = defineRule({
  id: 'DAST-HTTPS-TO-HTTP-FORM',
  zapId: 10042,
  title: 'HTTPS to HTTP Insecure Transition in Form Post',
  severity: 'medium',
  description: 'The page is served over HTTPS but its form submits over plain HTTP, exposing what the user enters.',
  remediation: 'Submit forms to https:// targets only.',
  fields: ['<form action>'],
  applies: { types: ['html'], scheme: 'https' },
  scan: (msg) => (isHttps(msg) ? formsTo(msg, 'http:') : []),
});
