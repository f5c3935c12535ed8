/**
 * CEL's `matches()` and `find()` run RE2 in Kubernetes (Go's regexp) and a translation to
 * JavaScript's RegExp in bosun (src/policy/k8s/regex.ts, docs/policy-regex.md). A policy such as
 * `image.matches('^registry\\.example\\.com/')` must decide the same way in both, or it admits what
 * the API server refuses. Random patterns built from RE2's syntax run on random texts (ASCII,
 * accented and astral characters, case-folding oddities, line breaks) in Go (test/policy/go-regexp,
 * built offline) and in bosun: the first match of every text must be the same, a pattern Go
 * refuses must be refused, and a pattern bosun refuses must be one docs/policy-regex.md lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compileRegex } from '../../src/policy/k8s/regex.ts';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';
import { prng } from '../../bench/prng.ts';

const GO_REGEXP: GoTool = { name: 'go-regexp', source: new URL('./go-regexp/main.go', import.meta.url).pathname, packages: {} };
const skip = goToolSkip(GO_REGEXP) ?? false;

type Answer = { find: Array<string | null> } | { error: string };

function go(queries: Array<{ p: string; s: string[] }>): Answer[] {
  const r = spawnSync(goToolBinary(GO_REGEXP), { input: queries.map((q) => JSON.stringify(q)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
}

function bosun(pattern: string, texts: string[]): Answer {
  let re: RegExp;
  try {
    re = compileRegex(pattern);
  } catch (err) {
    return { error: (err as Error).message };
  }
  return {
    find: texts.map((s) => {
      re.lastIndex = 0;
      const m = re.exec(s);
      return m === null ? null : m[0];
    }),
  };
}

const ATOMS = ['a', 'b', 'c', 'A', 'é', 'É', 'k', 'K', 's', 'ſ', '😀', '.', '\\.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\b', '\\B', '[ab]', '[^a]', '[a-c]', '[A-Z]', '[[:alpha:]]', '[[:digit:]]', '[[:space:]]', '\\pL', '\\p{Lu}', '\\PL', '\\x41', '\\x{e9}', '\\-', '\\/', '\\n', '-', '/', ':', ' ', '^', '$', '\\A', '\\z'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?', '??'];
const PREFIXES = ['', '', '', '(?i)', '(?s)', '(?m)', '(?is)'];
const TEXT_CHARS = ['a', 'b', 'c', 'A', 'B', 'é', 'É', 'k', 'K', 'K', 's', 'S', 'ſ', '😀', '1', '9', '_', '-', '/', '.', ':', ' ', '\t', '\n', '\r', '\u2028', '\u00a0'];

function randomPattern(rnd: () => number, depth = 0): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const n = 1 + Math.floor(rnd() * 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    const r = rnd();
    let atom: string;
    if (depth < 2 && r < 0.15) atom = `(${randomPattern(rnd, depth + 1)})`;
    else if (depth < 2 && r < 0.22) atom = `(?:${randomPattern(rnd, depth + 1)}|${randomPattern(rnd, depth + 1)})`;
    else if (depth < 2 && r < 0.25) atom = `(?${pick(['m', '-m'])}:${randomPattern(rnd, depth + 1)})`;
    else atom = pick(ATOMS);
    const anchor = atom === '^' || atom === '$' || atom === '\\A' || atom === '\\z' || atom === '\\b' || atom === '\\B';
    out += anchor ? atom : atom + pick(QUANTIFIERS);
  }
  if (depth === 0 && rnd() < 0.15) out += `|${randomPattern(rnd, 1)}`;
  return depth === 0 ? pick(PREFIXES) + out : out;
}

/** A group repeated with * + {n,} whose body can match the empty string (a quantified optional inside), roughly. */
function emptyRepeat(pattern: string): boolean {
  return /\)(?:[*+?]|\{\d+,\d*\})/.test(pattern) && /[*?]|\{0,/.test(pattern);
}

function randomText(rnd: () => number): string {
  const n = Math.floor(rnd() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += TEXT_CHARS[Math.floor(rnd() * TEXT_CHARS.length)];
  return s;
}

test('random RE2 patterns find the same first match in Go and in bosun', { skip }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const queries = Array.from({ length: 3000 }, () => ({ p: randomPattern(rnd), s: Array.from({ length: 12 }, () => randomText(rnd)) }));
  const theirs = go(queries);
  const wrong: string[] = [];
  let compared = 0;
  let textOnly = 0;
  let foldedBoundary = 0;
  queries.forEach((q, i) => {
    const t = theirs[i]!;
    const o = bosun(q.p, q.s);
    if ('error' in t) {
      if (!('error' in o)) wrong.push(`${JSON.stringify(q.p)}: Go refuses (${t.error}), bosun accepts`);
      return;
    }
    if ('error' in o) {
      wrong.push(`${JSON.stringify(q.p)}: bosun refuses (${o.error}), Go accepts`);
      return;
    }
    compared++;
    q.s.forEach((s, j) => {
      if (t.find[j] === o.find[j]) return;
      // documented: under (?i) JavaScript's \b counts ſ and K (Kelvin) as word characters, RE2 does not
      if (/^\(\?[ms]*i/.test(q.p) && /\\[bB]/.test(q.p) && /[\u017f\u212a]/.test(s)) return void foldedBoundary++;
      // matches() must agree always; find()'s text may differ where a repeated group can match the
      // empty string (RE2 ends the repetition there, JavaScript rejects the empty pass and goes on)
      if ((t.find[j] === null) !== (o.find[j] === null)) wrong.push(`${JSON.stringify(q.p)} on ${JSON.stringify(s)} ${[...s].map((c) => c.codePointAt(0)!.toString(16)).join(" ")}: Go ${JSON.stringify(t.find[j])}, bosun ${JSON.stringify(o.find[j])}`);
      else if (!emptyRepeat(q.p)) wrong.push(`${JSON.stringify(q.p)} on ${JSON.stringify(s)}: Go ${JSON.stringify(t.find[j])}, bosun ${JSON.stringify(o.find[j])} (find)`);
      else textOnly++;
    });
  });
  assert.ok(compared > 2000, `${compared} patterns compared`);
  assert.ok(foldedBoundary < compared / 10, `${foldedBoundary} \\b next to ſ or K under (?i)`);
  assert.ok(textOnly < compared / 20, `${textOnly} find() texts differ on repeated groups that match empty`);
  assert.deepEqual(wrong.slice(0, 15), [], `${wrong.length} differences`);
});

test('what bosun cannot run as RE2 means it is refused, not approximated', () => {
  for (const p of ['a(?i:b)', '(?-i:a)', '(?i)a(?-i:b)', '(?s:.)', '(?U)a+', 'a(?i)b', '\\Qa.b\\E', '(?<=a)b', '(a)\\1']) {
    assert.throws(() => compileRegex(p), /error parsing regexp/, p);
  }
});
