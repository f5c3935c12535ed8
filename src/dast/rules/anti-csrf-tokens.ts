/**
 * ZAP 10202 Absence of Anti-CSRF Tokens (Medium): a form with no field named like a known
 * anti-CSRF token (the list below: ZAP's defaults plus common framework names).
 * Reads: <form>, its fields' names.
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
