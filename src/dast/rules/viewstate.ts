/**
 * ZAP 10032 Viewstate (ASP.NET __VIEWSTATE): without a MAC the client can tamper with it (High,
 * 10032-2: the decoded state ends with the serializer's terminator and nothing after it); email
 * addresses or IP addresses inside it (Medium, 10032-4); split view state (__VIEWSTATEFIELDCOUNT,
 * Informational, 10032-5). Reads: <input name="__VIEWSTATE">, <input name="__VIEWSTATEFIELDCOUNT">.
 */
import { tags } from '../html.ts';
import { htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

export const viewstate = defineRule({
  id: 'DAST-VIEWSTATE',
  zapId: 10032,
  title: 'Viewstate without MAC Signature',
  severity: 'high',
  description: 'The ASP.NET view state is client-side state; without a MAC a user can modify it, and whatever it holds is readable (base64, not encrypted).',
  remediation: 'Keep EnableViewStateMac on (the default) and encrypt the view state (ViewStateEncryptionMode="Always"); keep secrets out of it.',
  fields: ['<input name="__VIEWSTATE">', '<input name="__VIEWSTATEFIELDCOUNT">'],
  applies: { types: ['html'] },
  scan(msg) {
    const doc = htmlOf(msg);
    if (doc === undefined) return [];
    const out: Alert[] = [];
    for (const el of tags(doc, 'input')) {
      const name = el.attrs['name'];
      if (name === '__VIEWSTATEFIELDCOUNT') out.push({ ref: '10032-5', name: 'Split Viewstate in Use', risk: 'info', param: name, evidence: el.attrs['value'] ?? '' });
      if (name !== '__VIEWSTATE' || el.attrs['value'] === undefined) continue;
      const raw = Buffer.from(el.attrs['value'], 'base64');
      const text = raw.toString('latin1');
      if (raw.length >= 2 && raw[0] === 0xff && raw[1] === 0x01 && text.endsWith('dd')) out.push({ ref: '10032-2', param: name, evidence: el.attrs['value'].slice(0, 40) });
      const leak = /[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:\d{1,3}\.){3}\d{1,3}\b/.exec(text);
      if (leak !== null) out.push({ ref: '10032-4', name: 'Emails Found in the Viewstate', risk: 'medium', param: name, evidence: leak[0] });
    }
    return out;
  },
});
