/**
 * ZAP 10055 CSP (Medium). A Content-Security-Policy that is present but does not protect:
 * wildcard or scheme-only sources (`*`, `http:`, `https:`, `data:`) for script, style, object,
 * frame and the like (10055-4), 'unsafe-inline' in script-src (10055-5), 'unsafe-inline' in
 * style-src (10055-6), 'unsafe-eval' in script-src (10055-10), a missing directive with no
 * fallback to default-src: frame-ancestors or form-action (10055-13), a non-ASCII policy
 * (10055-3).
 * Reads: response header Content-Security-Policy, <meta http-equiv="Content-Security-Policy">.
 */
import { tags } from '../html.ts';
import { headerAll, htmlOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

/** Fetch directives that fall back to default-src (CSP Level 3 §6.8.3), for script and style. */
const SCRIPT = ['script-src-elem', 'script-src', 'default-src'];
const STYLE = ['style-src-elem', 'style-src', 'default-src'];
const WILDCARD_CHECKED = ['script-src', 'style-src', 'img-src', 'connect-src', 'frame-src', 'font-src', 'media-src', 'object-src', 'manifest-src', 'worker-src', 'child-src'];

export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, values.map((v) => v.toLowerCase()));
  }
  return out;
}

function effective(csp: Map<string, string[]>, chain: readonly string[]): string[] | undefined {
  for (const d of chain) {
    const v = csp.get(d);
    if (v !== undefined) return v;
  }
  return undefined;
}

export const cspWeak = defineRule({
  id: 'DAST-CSP-WEAK',
  zapId: 10055,
  title: 'CSP',
  severity: 'medium',
  description: 'The Content-Security-Policy is set but allows what it exists to prevent: wildcard sources, inline or eval\'d script, or leaves framing and form targets unrestricted.',
  remediation: "Allow only the sources the page needs; drop 'unsafe-inline' and 'unsafe-eval' (use nonces or hashes); set frame-ancestors and form-action explicitly.",
  fields: ['response header Content-Security-Policy', '<meta http-equiv="Content-Security-Policy">'],
  scan(msg) {
    const policies = [...headerAll(msg.response.headers, 'content-security-policy')];
    const doc = htmlOf(msg);
    for (const el of doc === undefined ? [] : tags(doc, 'meta')) {
      if (el.attrs['http-equiv']?.toLowerCase() === 'content-security-policy' && el.attrs['content'] !== undefined) policies.push(el.attrs['content']);
    }
    const out: Alert[] = [];
    for (const policy of policies) {
      const param = 'content-security-policy';
      if (/[^\x20-\x7e]/.test(policy)) {
        out.push({ ref: '10055-3', name: 'CSP: Malformed Policy (Non-ASCII)', evidence: policy, param });
        continue;
      }
      const csp = parseCsp(policy);
      const wild: string[] = [];
      for (const d of WILDCARD_CHECKED) {
        const chain = d === 'script-src' ? SCRIPT : d === 'style-src' ? STYLE : [d, 'default-src'];
        const v = effective(csp, chain);
        if (v === undefined ? d !== 'worker-src' && d !== 'child-src' && d !== 'manifest-src' && !csp.has('default-src') : v.some((s) => s === '*' || s === 'http:' || s === 'https:' || s === 'data:' && d !== 'img-src' || /^\*\.?$/.test(s))) wild.push(d);
      }
      if (wild.length > 0) out.push({ ref: '10055-4', name: 'CSP: Wildcard Directive', evidence: policy, param, detail: `directives allowing wildcard sources or left undefined: ${wild.join(', ')}` });
      const script = effective(csp, SCRIPT) ?? [];
      const hasNonceOrHash = script.some((s) => /^'(nonce-|sha(256|384|512)-)/.test(s) || s === "'strict-dynamic'");
      if (script.includes("'unsafe-inline'") && !hasNonceOrHash) out.push({ ref: '10055-5', name: 'CSP: script-src unsafe-inline', evidence: policy, param });
      if ((effective(csp, STYLE) ?? []).includes("'unsafe-inline'")) out.push({ ref: '10055-6', name: 'CSP: style-src unsafe-inline', evidence: policy, param });
      if (script.includes("'unsafe-eval'")) out.push({ ref: '10055-10', name: 'CSP: script-src unsafe-eval', evidence: policy, param });
      const undefinedNoFallback = ['frame-ancestors', 'form-action'].filter((d) => !csp.has(d));
      if (undefinedNoFallback.length > 0) out.push({ ref: '10055-13', name: 'CSP: Failure to Define Directive with No Fallback', evidence: policy, param, detail: `not set: ${undefinedNoFallback.join(', ')}` });
    }
    return out;
  },
});
