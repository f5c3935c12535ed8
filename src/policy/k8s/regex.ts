/**
 * Kubernetes regex library: find, findAll (with limit). Patterns are RE2 in Kubernetes; they run
 * here on JavaScript's RegExp after translate() rejects what RE2 rejects (backreferences,
 * lookaround, possessive quantifiers) and maps RE2-only syntax ((?P<name>, \z, \A).
 */
import type { Environment } from '@marcbachmann/cel-js';

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern as a global, unicode JS RegExp; throws "error parsing regexp: …". */
export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  if (/\\[1-9]|\(\?<?[=!]|[*+?}]\+/.test(pattern)) throw new Error(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern}\``);
  let flags = 'gu';
  let source = pattern.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$(?![\\s\\S])').replace(/\\A/g, '^(?<![\\s\\S])');
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline !== null) {
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('s')) flags += 's';
    if (inline[1]!.includes('m')) flags += 'm';
    source = source.slice(inline[0].length);
  }
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

export function registerRegex(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn('string.find(string): string', (s: string, p: string) => {
    const re = compileRegex(p);
    re.lastIndex = 0;
    return re.exec(s)?.[0] ?? '';
  });
  const findAll = (s: string, p: string, limit: bigint): string[] => {
    const re = compileRegex(p);
    if (limit === 0n) return [];
    re.lastIndex = 0;
    const out: string[] = [];
    for (const m of s.matchAll(re)) {
      if (limit > 0n && BigInt(out.length) >= limit) break;
      out.push(m[0]);
    }
    return out;
  };
  fn('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  fn('string.findAll(string, int): list<string>', findAll);
}
