/**
 * Kubernetes regular expressions (matches, find, findAll) are RE2. They run here on JavaScript's
 * RegExp (unicode mode) after translate() has rewritten RE2 syntax into its JavaScript equivalent
 * and refused what RE2 refuses or what has no equivalent; docs/policy-regex.md lists what still
 * differs. Translated: `(?P<name>`, `\A`, `\z`, escaped punctuation (`\:` …), `.` (RE2: anything
 * but newline), `\s` / `\S` (RE2: ASCII space only), `\w` / `\W`, `\B`, POSIX classes
 * (`[[:alpha:]]`), leading flags `(?i)`, `(?s)`, multi-line `^`/`$` (`(?m)` at the start or in
 * `(?m:…)` groups: RE2's lines end at `\n` only), literal braces (`a{,3}`, `x{`), Unicode classes
 * (`\pL`, `\p{Greek}`). Refused: backreferences, lookaround, possessive quantifiers, `(?U)`,
 * flags after the start, `(?i:…)` and `(?s:…)` groups, `\Q…\E`, `\C`, repeat counts over 1000
 * (RE2's limit).
 */
import type { Environment } from '@marcbachmann/cel-js';

const cache = new Map<string, RegExp>();

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
/** RE2's \s: [\t\n\f\r ] (JavaScript's \s also matches \v and the Unicode spaces). */
const SPACE = '\\t\\n\\f\\r ';
/** RE2's \S inside a class: every code point but [\t\n\f\r ], as ranges (a class cannot hold a negated class). */
const NOT_SPACE = '\\u{0}-\\u{8}\\u{b}\\u{e}-\\u{1f}\\u{21}-\\u{10ffff}';
/**
 * RE2's \B. JavaScript's also holds inside a surrogate pair (V8 tries starts there): it is
 * required to stand at the start or after a whole character.
 */
const NOT_WORD_BOUNDARY = '(?:\\B(?:^|(?<=[\\s\\S])))';
/** Punctuation JavaScript's unicode mode lets a backslash escape (RE2 lets any punctuation be escaped). */
const JS_ESCAPABLE = new Set('^$\\.*+?()[]{}|/');

function refuse(pattern: string, why: string): never {
  throw new Error(`error parsing regexp: ${why}: \`${pattern}\``);
}

/** RE2 pattern → JavaScript source and flags. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = 'gu';
  let i = 0;
  // RE2's multi-line mode is not JavaScript's (which also breaks lines at \r, U+2028, U+2029):
  // it is tracked here, per group, and `^`/`$` are written out for it; `m` never reaches the flags.
  let multiLine = false;
  const groupModes: boolean[] = [];
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead !== null) {
    if (lead[1]!.includes('U')) refuse(pattern, 'the ungreedy flag (?U) is not supported offline');
    for (const f of 'is') if (lead[1]!.includes(f)) flags += f;
    multiLine = lead[1]!.includes('m');
    i = lead[0].length;
  }
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) refuse(pattern, 'trailing backslash at end of expression');
      i += 2;
      // RE2 (Go): \0 and \1-\7 followed by an octal digit are octal codes (up to three digits); a lone \1-\9 would be a backreference.
      if (e === '0' || (e >= '1' && e <= '7' && pattern[i] !== undefined && pattern[i]! >= '0' && pattern[i]! <= '7')) {
        let digits = e;
        while (digits.length < 3 && pattern[i] !== undefined && pattern[i]! >= '0' && pattern[i]! <= '7') digits += pattern[i++];
        out += `\\u{${parseInt(digits, 8).toString(16)}}`;
        continue;
      }
      if (e >= '1' && e <= '9') refuse(pattern, 'invalid escape sequence (backreferences are not RE2)');
      if (e === 'c' || e === 'u') refuse(pattern, `invalid escape sequence: \\${e}`);
      if (e === 'x' && pattern[i] === '{') {
        // RE2 \x{10FFFF}: JavaScript's unicode mode spells it \u{…}
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i));
        if (m === null || parseInt(m[1]!, 16) > 0x10ffff) refuse(pattern, 'invalid escape sequence: \\x{');
        out += `\\u{${m[1]}}`;
        i += m[0].length;
        continue;
      }
      if (e === 'Q' || e === 'E' || e === 'C') refuse(pattern, `\\${e} is not supported offline`);
      if (e === 'p' || e === 'P') {
        // RE2 \pL, \p{Greek}, \p{^Greek}: JavaScript wants \p{L}, \p{Script=Greek}, \P{…}
        const m = /^(?:([A-Za-z])|\{(\^?)([A-Za-z_]+)\})/.exec(pattern.slice(i));
        if (m === null) refuse(pattern, 'invalid character class range');
        const name = m[1] ?? m[3]!;
        const negated = (e === 'P') !== (m[2] === '^');
        out += `\\${negated ? 'P' : 'p'}{${name.length <= 2 || name === 'Any' ? name : `Script=${name}`}}`;
        i += m[0].length;
        continue;
      }
      // (without JavaScript's m flag, ^ and $ are the ends of the text; lookarounds such as
      // (?![\s\S]) also hold inside a surrogate pair, where V8 tries starts too)
      if (e === 'A' && !inClass) out += '^';
      else if (e === 'z' && !inClass) out += '$';
      else if (e === 'B' && !inClass) out += NOT_WORD_BOUNDARY;
      // \w and \W as the ASCII classes they are: V8's \W under `iu` differs from the class (and from RE2)
      else if (e === 'w') out += inClass ? '0-9A-Za-z_' : '[0-9A-Za-z_]';
      else if (e === 'W' && !inClass) out += '[^0-9A-Za-z_]';
      else if (e === 's') out += inClass ? SPACE : `[${SPACE}]`;
      else if (e === 'S') out += inClass ? NOT_SPACE : `[^${SPACE}]`;
      else if (/[!-/:-@[-`{-~]/.test(e) && !JS_ESCAPABLE.has(e) && !(inClass && e === '-')) out += `\\x${e.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else out += `\\${e}`;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
        if (m !== null) {
          if (m[1] === '^') refuse(pattern, 'negated POSIX classes are not supported offline');
          const cls = POSIX[m[2]!];
          if (cls === undefined) refuse(pattern, `invalid character class range: [:${m[2]}:]`);
          out += cls;
          i += m[0].length;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        out += '\\]'; // RE2: a ']' first in a class is literal
        i++;
      }
      continue;
    }
    if (c === '(') groupModes.push(multiLine);
    if (c === ')' && groupModes.length > 0) multiLine = groupModes.pop()!;
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^P</.test(rest)) {
        out += '(?<';
        i += 4;
        continue;
      }
      if (/^<?[=!]/.test(rest)) refuse(pattern, 'invalid or unsupported Perl syntax (lookaround is not RE2)');
      if (/^[a-zA-Z-]+\)/.test(rest)) refuse(pattern, 'flags after the start of the pattern are not supported offline');
      // m is tracked here; (?s:…) would leave the translated `.` without newline; and V8's regexp
      // modifiers, (?i:…), give wrong answers in some process states (a lazily repeated (?i:…)
      // group finding nothing where it matches), so case-insensitive groups are refused too
      const group = /^([a-zA-Z]*)(-[a-zA-Z]*)?:/.exec(rest);
      if (group !== null && /[sU]/.test(group[0])) refuse(pattern, 'the s and U flags in a group are not supported offline');
      if (group !== null && group[0].includes('i')) refuse(pattern, 'the i flag in a group is not supported offline (only at the start: (?i))');
      if (group !== null && group[0].includes('m')) {
        const on = group[1]!.replace('m', '');
        const off = (group[2] ?? '').replace('m', '');
        if (group[1]!.includes('m')) multiLine = true;
        if ((group[2] ?? '').includes('m')) multiLine = false;
        out += on === '' && (off === '' || off === '-') ? '(?:' : `(?${on}${off === '-' ? '' : off}:`;
        i += 2 + group[0].length;
        continue;
      }
    }
    if (c === '^') {
      out += multiLine ? '(?:^|(?<=\\n))' : '^';
      i++;
      continue;
    }
    if (c === '$') {
      out += multiLine ? '(?:$|(?=\\n))' : '$';
      i++;
      continue;
    }
    if (c === '.' && !dotAll) {
      out += '[^\\n]';
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m !== null && (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000))) refuse(pattern, `invalid repeat count: ${m[0]}`);
      if (m === null) {
        // RE2: a brace that does not start a repetition is a literal (JavaScript's unicode mode refuses it)
        out += '\\{';
        i++;
        continue;
      }
      out += m[0];
      i += m[0].length;
      if (pattern[i] === '+') refuse(pattern, 'invalid nested repetition operator: `}+`');
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') refuse(pattern, `invalid nested repetition operator: \`${c}+\``);
    out += c;
    i++;
  }
  return { source: out, flags };
}

/** Compiles an RE2 pattern as a global, unicode JS RegExp; throws "error parsing regexp: …". */
export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  const { source, flags } = translate(pattern);
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    throw new Error(`error parsing regexp: ${reason.toLowerCase()}: \`${pattern}\``);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/**
 * All matches as Go's FindAllString gives them (limit < 0: all): successive non-overlapping
 * matches, where an empty match right after the previous match is skipped.
 */
export function findAll(s: string, pattern: string, limit: bigint): string[] {
  const re = compileRegex(pattern);
  const out: string[] = [];
  if (limit === 0n) return out;
  re.lastIndex = 0;
  let prevEnd = -1;
  for (const m of s.matchAll(re)) {
    if (m[0] === '' && m.index === prevEnd) continue;
    if (limit > 0n && BigInt(out.length) >= limit) break;
    out.push(m[0]);
    prevEnd = m.index + m[0].length;
  }
  return out;
}

export function registerRegex(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  const matches = (s: string, p: string): boolean => {
    const re = compileRegex(p);
    re.lastIndex = 0;
    return re.test(s);
  };
  // cel-js's own matches() uses a non-unicode RegExp of the pattern as it is; compileCel renames calls to this one.
  fn('string.k8s_matches(string): bool', matches);
  fn('k8s_matches(string, string): bool', matches);
  fn('string.find(string): string', (s: string, p: string) => {
    const re = compileRegex(p);
    re.lastIndex = 0;
    return re.exec(s)?.[0] ?? '';
  });
  fn('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  fn('string.findAll(string, int): list<string>', (s: string, p: string, limit: bigint) => findAll(s, p, limit));
}
