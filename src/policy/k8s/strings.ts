/** ext.Strings version 2 as Kubernetes enables it: charAt, indexOf/lastIndexOf with offsets, replace, strings.quote, format (format.ts). */
import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespace } from './common.ts';

/** Code points, since CEL indexes strings by code point, not UTF-16 unit. */
const cps = (s: string): string[] => [...s];

function rangeError(i: bigint): Error {
  return new Error(`index out of range: ${i}`);
}

function indexOf(s: string, sub: string, from: bigint): bigint {
  const chars = cps(s);
  if (from < 0n) throw rangeError(from);
  if (sub === '') return from > BigInt(chars.length) ? BigInt(chars.length) : from;
  if (from >= BigInt(chars.length)) return -1n;
  const subChars = cps(sub);
  for (let i = Number(from); i + subChars.length <= chars.length; i++) {
    if (subChars.every((c, j) => chars[i + j] === c)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOf(s: string, sub: string, from: bigint): bigint {
  const chars = cps(s);
  if (from < 0n) throw rangeError(from);
  if (sub === '') return from > BigInt(chars.length) ? BigInt(chars.length) : from;
  if (from >= BigInt(chars.length)) return -1n;
  const subChars = cps(sub);
  let start = Number(from);
  if (start + subChars.length > chars.length) start = chars.length - subChars.length;
  for (let i = start; i >= 0; i--) {
    if (subChars.every((c, j) => chars[i + j] === c)) return BigInt(i);
  }
  return -1n;
}

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit === 0n) return s;
  if (limit < 0n) return from === '' ? [...s].map((c) => to + c).join('') + to : s.split(from).join(to);
  let out = '';
  let rest = s;
  let n = 0n;
  if (from === '') {
    const chars = cps(s);
    let i = 0;
    for (; i <= chars.length && n < limit; i++, n++) out += to + (chars[i] ?? '');
    return out + chars.slice(i).join('');
  }
  while (n < limit) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    n++;
  }
  return out + rest;
}

/** Go's strconv.Quote-like output as cel-go's strings.quote writes it. */
function quote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    switch (c) {
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\v': out += '\\v'; break;
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      default:
        if (cp === 0xfffd && c !== '\ufffd') out += '\ufffd';
        else out += c;
    }
  }
  return out + '"';
}

export function registerStrings(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn('string.charAt(int): string', (s: string, i: bigint) => {
    const chars = cps(s);
    if (i < 0n || i > BigInt(chars.length)) throw rangeError(i);
    return chars[Number(i)] ?? '';
  });
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b, -1n));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => replace(s, a, b, n));
  const ns = registerNamespace(env, 'strings');
  fn(`${ns}.quote(string): string`, (_: unknown, s: string) => quote(s));
  // cel-js's own versions differ from cel-go here (Unicode case mapping, JS whitespace, offset
  // errors); compileCel renames these calls to the k8s_ forms (see RENAMED_FUNCTIONS).
  fn('string.k8s_lowerAscii(): string', (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
  fn('string.k8s_upperAscii(): string', (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase()));
  fn('string.k8s_trim(): string', (s: string) => s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, ''));
  fn('string.k8s_indexOf(string): int', (s: string, sub: string) => indexOf(s, sub, 0n));
  fn('string.k8s_indexOf(string, int): int', (s: string, sub: string, from: bigint) => indexOf(s, sub, from));
  fn('string.k8s_lastIndexOf(string): int', (s: string, sub: string) => {
    const n = BigInt([...s].length);
    return sub === '' ? n : n === 0n ? -1n : lastIndexOf(s, sub, n - 1n);
  });
  fn('string.k8s_lastIndexOf(string, int): int', (s: string, sub: string, from: bigint) => lastIndexOf(s, sub, from));
}

/** Go's unicode.IsSpace set (strings.TrimSpace): ASCII spaces, U+0085, U+00A0 and the Unicode White_Space separators. */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);

/** Calls whose cel-js built-ins are replaced: name → the registered k8s_ form. */
export const RENAMED_FUNCTIONS: Readonly<Record<string, string>> = {
  lowerAscii: 'k8s_lowerAscii',
  upperAscii: 'k8s_upperAscii',
  trim: 'k8s_trim',
  indexOf: 'k8s_indexOf',
  lastIndexOf: 'k8s_lastIndexOf',
  matches: 'k8s_matches',
};

export { indexOf as stringIndexOf, lastIndexOf as stringLastIndexOf };
