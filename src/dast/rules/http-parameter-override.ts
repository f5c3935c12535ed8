/**
 * ZAP 10026 HTTP Parameter Override (Medium): a form without an action (or an empty one) submits
 * to the current URL including its query string, so parameters in the URL override the form's.
 * Reads: <form action>.
 */
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { tagText } from './common.ts';

export const parameterOverride = defineRule({
  id: 'DAST-HTTP-PARAMETER-OVERRIDE',
  zapId: 10026,
  title: 'HTTP Parameter Override',
  severity: 'medium',
  description: 'A form has no action, so it is submitted to the current URL including its query string; parameters there can override the form\'s (parameter pollution).',
  remediation: 'Give every form an explicit action URL without user-controlled query parameters.',
  fields: ['<form action>'],
  applies: { types: ['html'] },
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
