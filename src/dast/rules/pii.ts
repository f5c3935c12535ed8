/**
 * ZAP 10062 PII Disclosure (High): a credit-card number (Visa, Mastercard, Amex, Discover,
 * Diners, JCB prefixes; 13-19 digits, optionally grouped by spaces or dashes) that passes the
 * Luhn check, in an HTML, JSON or text response. Reads: response body.
 */
import { isCss, isImage, isJavaScript } from '../message.ts';
import { defineRule } from '../rule.ts';

const CARD = /(?<![\d-])(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|3[47]\d{2}|6(?:011|5\d{2})|3(?:0[0-5]|[68]\d)\d|35\d{2})(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\d-])/g;

const BRANDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^4/, 'Visa'],
  [/^(5[1-5]|2[2-7])/, 'Mastercard'],
  [/^3[47]/, 'American Express'],
  [/^6(011|5)/, 'Discover'],
  [/^3(0[0-5]|[68])/, 'Diners Club'],
  [/^35/, 'JCB'],
];

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const pii = defineRule({
  id: 'DAST-PII-DISCLOSURE',
  zapId: 10062,
  title: 'PII Disclosure',
  severity: 'high',
  description: 'The response contains personally identifiable information: a credit card number that passes the Luhn check.',
  remediation: 'Never return full card numbers; mask all but the last four digits.',
  fields: ['response body'],
  applies: { types: ['html', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg) || isCss(msg) || isJavaScript(msg)) return [];
    for (const m of msg.response.body.matchAll(CARD)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (digits.length < 13 || digits.length > 19 || !luhn(digits)) continue;
      const brand = BRANDS.find(([re]) => re.test(digits))?.[1] ?? 'card';
      return [{ evidence: m[0], detail: `${brand} number` }];
    }
    return [];
  },
});
