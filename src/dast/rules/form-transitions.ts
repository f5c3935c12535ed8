/**
 * Form posts that change transport security:
 * 10041 HTTP to HTTPS Insecure Transition in Form Post (Medium): the form is on an http:// page,
 *       so an attacker can rewrite it before the user submits to the https:// target.
 * 10042 HTTPS to HTTP Insecure Transition in Form Post (Medium): an https:// page submits the
 *       form over plain http://.
 * Reads: <form action>, the page URL.
 */
import { htmlOf, isHttps } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { resolve, tagText } from './common.ts';

export const httpToHttpsForm = defineRule({
  id: 'DAST-HTTP-TO-HTTPS-FORM',
  zapId: 10041,
  title: 'HTTP to HTTPS Insecure Transition in Form Post',
  severity: 'medium',
  description: 'The page is served over HTTP but its form posts to HTTPS: the form itself can be tampered with before it is submitted.',
  remediation: 'Serve the page holding the form over HTTPS too.',
  fields: ['<form action>'],
  scan: (msg) => (isHttps(msg) ? [] : formsTo(msg, 'https:')),
});

export const httpsToHttpForm = defineRule({
  id: 'DAST-HTTPS-TO-HTTP-FORM',
  zapId: 10042,
  title: 'HTTPS to HTTP Insecure Transition in Form Post',
  severity: 'medium',
  description: 'The page is served over HTTPS but its form submits over plain HTTP, exposing what the user enters.',
  remediation: 'Submit forms to https:// targets only.',
  fields: ['<form action>'],
  scan: (msg) => (isHttps(msg) ? formsTo(msg, 'http:') : []),
});

function formsTo(msg: Parameters<typeof htmlOf>[0], protocol: string): Alert[] {
  const doc = htmlOf(msg);
  if (doc === undefined) return [];
  const out: Alert[] = [];
  for (const form of doc.forms) {
    const action = form.attrs['action'];
    if (action === undefined) continue;
    const url = resolve(action, msg, doc);
    if (url?.protocol === protocol) out.push({ param: url.href, evidence: tagText({ name: 'form', attrs: form.attrs }) });
  }
  return out;
}
