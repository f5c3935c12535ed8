/**
 * ZAP 10202 Absence of Anti-CSRF Tokens (Medium): a form with no field named like a known
 * anti-CSRF token (the list below: ZAP's defaults plus common framework names). ZAP's options: `rules.csrf.ignorelist` (form names
 * or IDs to skip), `rules.csrf.ignore.attname`/`attvalue` (a marker attribute; alert drops to Informational).
 * Reads: <form>, its fields' names.
 */
import { htmlOf } from '../message.ts';
import { defineRule, optionList, type Alert } from '../rule.ts';
import { tagText } from './common.ts';

export const ANTI_CSRF_NAMES = [
  'csrftoken', 'csrf_token', 'csrf-token', '_csrf', 'csrf', 'xsrf', '_xsrf', 'xsrf-token', 'anticsrf', 'anti-csrf',
  'csrfmiddlewaretoken', 'authenticity_token', '__requestverificationtoken', 'owasp_csrftoken', 'anoncsrf',
  'csrf_nonce', 'csrfmagictoken', 'csrf_magic', '_token', 'token', '_wpnonce', 'form_token', 'formkey', 'nonce',
];

const CSRF_NAMES = new Set(ANTI_CSRF_NAMES);

export const antiCsrf = defineRule({
  id: 'DAST-ANTI-CSRF-TOKENS',
  zapId: 10202,
  title: 'Absence of Anti-CSRF Tokens',
  severity: 'medium',
  description: 'No anti-CSRF token was found in an HTML form; another site can make a logged-in user submit it (cross-site request forgery).',
  remediation: 'Add a per-session or per-request anti-CSRF token to every form (and check it), or rely on SameSite cookies plus Origin checks.',
  fields: ['<form>', '<input name> of form fields'],
  applies: { types: ['html'] },
  scan(msg, settings) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const ignore = optionList(settings, 'rules.csrf.ignorelist');
    const attName = settings.get('rules.csrf.ignore.attname')?.toLowerCase();
    const attValue = settings.get('rules.csrf.ignore.attvalue');
    const out: Alert[] = [];
    doc.forms.forEach((form, i) => {
      if (ignore.has(form.attrs['name'] ?? '\u0000') || ignore.has(form.attrs['id'] ?? '\u0000')) return;
      const names = form.fields.map((f) => (f.attrs['name'] ?? f.attrs['id'] ?? '').toLowerCase());
      if (names.some((n) => CSRF_NAMES.has(n))) return;
      const marked = attName !== undefined && form.attrs[attName] !== undefined && (attValue === undefined || form.attrs[attName] === attValue);
      out.push({
        ...(marked && { risk: 'info' as const }), param: `form[${i}]`, evidence: tagText({ name: 'form', attrs: form.attrs }), detail: `fields: ${names.filter((n) => n !== '').join(', ') || '(none)'}` });
    });
    return out;
  },
});
