/**
 * Shared by the passive "user controllable" rules (10028-10031, 10043): request parameters
 * (query or form) whose value comes back in the response. They only look at what the spider sent
 * anyway; no payload is ever injected.
 */
import { htmlOf, paramsOf, type HttpMessage, type Param } from '../message.ts';
import type { Alert } from '../rule.ts';
import { tagText } from './common.ts';

/** Values too short or too common to mean the user controls the output. */
export function usable(params: Param[]): Param[] {
  return params.filter((p) => p.value.length >= 3 && !/^(true|false|on|off|null|\d{1,3})$/i.test(p.value));
}

/** Request parameters whose value appears in HTML attributes: on* handlers (`events`) or the others. */
export function reflectedAttributes(msg: HttpMessage, events: boolean): Alert[] {
  const doc = htmlOf(msg);
  if (doc === undefined) return [];
  const params = usable(paramsOf(msg.request));
  if (params.length === 0) return [];
  const out: Alert[] = [];
  const seen = new Set<string>();
  for (const el of doc.elements) {
    for (const [attr, value] of Object.entries(el.attrs)) {
      const isEvent = attr.startsWith('on');
      if (isEvent !== events || value === '') continue;
      const v = value.toLowerCase();
      for (const p of params) {
        const pv = p.value.toLowerCase();
        const hit = events ? v.includes(pv) : v === pv || v.startsWith(pv);
        if (!hit || seen.has(`${p.name}\u0000${attr}`)) continue;
        // A form field echoing its own submitted value is what forms do; ZAP skips it too.
        if (!events && attr === 'value' && el.attrs['name'] === p.name) continue;
        seen.add(`${p.name}\u0000${attr}`);
        out.push({ param: p.name, evidence: tagText(el).slice(0, 200), detail: `value of "${p.name}" in the ${attr} attribute of <${el.name}>` });
      }
    }
  }
  return out;
}

