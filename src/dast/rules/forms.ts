/**
 * Form rules:
 * 10202 Absence of Anti-CSRF Tokens (Medium): a form with no hidden field named like a known
 *       anti-CSRF token (list below, ZAP's defaults plus common framework names).
 * 10026 HTTP Parameter Override (Medium): a form without an action (or an empty one) submits to
 *       the current URL including its query string, so parameters in the URL override the form's.
 * Reads: <form>, its fields' names, <form action>.
 */
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { tagText } from './common.ts';

export const ANTI_CSRF_NAMES = [
  'csrftoken', 'csrf_token', 'csrf-token', '_csrf', 'csrf', 'xsrf', '_xsrf', 'xsrf-token', 'anticsrf', 'anti-csrf',
  'csrfmiddlewaretoken', 'authenticity_token', '__requestverificationtoken', 'owasp_csrftoken', 'anoncsrf',
  'csrf_nonce', 'csrfmagictoken', 'csrf_magic', '_token', 'token', '_wpnonce', 'form_token', 'formkey', 'nonce',
];

export const antiCsrf = defineRule({
  id: 'DAST-ANTI-CSRF-TOKENS',
  zapId: 10202,
  title: 'Absence of Anti-CSRF Tokens',
  severity: 'medium',
  description: 'No anti-CSRF token was found in an HTML form; another site can make a logged-in user submit it (cross-site request forgery).',
  remediation: 'Add a per-session or per-request anti-CSRF token to every form (and check it), or rely on SameSite cookies plus Origin checks.',
  fields: ['<form>', '<input name> of form fields'],
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    doc.forms.forEach((form, i) => {
      const names = form.fields.map((f) => (f.attrs['name'] ?? f.attrs['id'] ?? '').toLowerCase());
      if (names.some((n) => ANTI_CSRF_NAMES.includes(n))) return;
      out.push({ param: `form[${i}]`, evidence: tagText({ name: 'form', attrs: form.attrs }), detail: `fields: ${names.filter((n) => n !== '').join(', ') || '(none)'}` });
    });
    return out;
  },
});

export const parameterOverride = defineRule({
  id: 'DAST-HTTP-PARAMETER-OVERRIDE',
  zapId: 10026,
  title: 'HTTP Parameter Override',
  severity: 'medium',
  description: 'A form has no action, so it is submitted to the current URL including its query string; parameters there can override the form\'s (parameter pollution).',
  remediation: 'Give every form an explicit action URL without user-controlled query parameters.',
  fields: ['<form action>'],
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    doc.forms.forEach((form, i) => {
      const action = form.attrs['action'];
      if (action === undefined || action.trim() === '') out.push({ param: `form[${i}]`, evidence: tagText({ name: 'form', attrs: form.attrs }) });
    });
    return out;
  },
});
