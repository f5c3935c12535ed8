/**
 * ZAP 90001 Insecure JSF ViewState (Medium): javax.faces.ViewState holding an unencrypted
 * serialized Java object (base64 of AC ED, or of gzip 1F 8B).
 * Reads: <input name="javax.faces.ViewState">.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

export const jsfViewstate = defineRule({
  id: 'DAST-INSECURE-JSF-VIEWSTATE',
  zapId: 90001,
  title: 'Insecure JSF ViewState',
  severity: 'medium',
  description: 'The JSF ViewState is a serialized Java object sent to the client without encryption: it can be read and, if deserialized, tampered with.',
  remediation: 'Store view state on the server, or enable its encryption (javax.faces.STATE_SAVING_METHOD=server, or the implementation\'s encryption key).',
  fields: ['<input name="javax.faces.ViewState">'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of tags(doc, 'input')) {
      const v = el.attrs['value'];
      if (el.attrs['name'] !== 'javax.faces.ViewState' || v === undefined) continue;
      if (/^(rO0|H4sI)/.test(v)) out.push({ param: 'javax.faces.ViewState', evidence: v.slice(0, 40) });
    }
    return out;
  },
});
