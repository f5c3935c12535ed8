/**
 * RE2 patterns on JavaScript's RegExp (src/policy/k8s/regex.ts): RE2 syntax translated to what
 * JavaScript means by it, RE2's semantics where JavaScript differs, and a clear compile error
 * for what RE2 refuses or what has no equivalent here (docs/policy-regex.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCel } from '../../src/policy/cel.ts';
import { compileRegex, findAll } from '../../src/policy/k8s/regex.ts';

const matches = (s: string, p: string): unknown => evaluateCel('s.matches(p)', { s, p });

test('RE2 syntax JavaScript spells differently', () => {
  assert.equal(matches('a:1', String.raw`^[a-z]\:[0-9]$`), true); // any punctuation may be escaped
  assert.equal(matches('a-b', String.raw`^[a\-b]+$`), true);
  assert.equal(matches('ab', '^(?P<first>a)b$'), true);
  assert.equal(matches('x1', '^[[:alpha:]][[:digit:]]$'), true);
  assert.equal(matches('x_', '^[[:word:]]+$'), true);
  assert.equal(matches('é', String.raw`^\pL$`), true);
  assert.equal(matches('α', String.raw`^\p{Greek}$`), true);
  assert.equal(matches('a', String.raw`^\p{^Greek}$`), true);
  assert.equal(matches('1', String.raw`^\PL$`), true);
  // octal and \x{…} code points, as Go's regexp reads them
  assert.equal(matches('A', String.raw`^\101$`), true);
  assert.equal(matches('AB', String.raw`^[\101-\102]+$`), true);
  assert.equal(matches('\0', String.raw`^\0$`), true);
  assert.equal(matches('A', String.raw`^\x{41}$`), true);
  assert.equal(matches('😀', String.raw`^\x{1F600}$`), true);
  assert.equal(matches('A', String.raw`^\x41$`), true);
  // \S in a class is RE2's too: only [\t\n\f\r ] is space
  assert.equal(matches('\u00a0', String.raw`^[\S]$`), true);
  assert.equal(matches('\v', String.raw`^[\Sx]$`), true);
  assert.equal(matches(' ', String.raw`^[\S]$`), false);
  assert.equal(matches(' ', String.raw`^[^\S]$`), true);
  assert.equal(matches('ABC', '(?i)^abc$'), true);
  assert.equal(matches('a]', '^[]a]+$'), true);
  assert.equal(matches('a\nb', '^a(?m:$\n^)b$'), true); // multi-line in a group: RE2's lines (only \n breaks them)
  assert.equal(matches('a\rb', '(?m)^a$'), false);
  assert.equal(matches('a{,3}', '^a{,3}$'), true); // not a repetition: literal braces
  assert.equal(matches('x{y}', '^x{y}$'), true);
  assert.equal(matches('aaa', '^a{2,3}$'), true);
  assert.equal(matches('aaaa', '^a{2,3}$'), false);
  assert.equal(matches('ab\n', String.raw`\Aab\z`), false);
  assert.equal(matches('ab', String.raw`\Aab\z`), true);
});

test('RE2 semantics where JavaScript differs', () => {
  assert.equal(matches('a\rb', '^a.b$'), true, 'RE2: . is anything but \\n');
  assert.equal(matches('a\nb', '^a.b$'), false);
  assert.equal(matches('a\nb', '(?s)^a.b$'), true);
  assert.equal(matches('a\u00a0b', String.raw`^a\sb$`), false, 'RE2: \\s is ASCII space only');
  assert.equal(matches('a\u000bb', String.raw`^a\sb$`), false, 'RE2: \\s has no \\v');
  assert.equal(matches('a\tb', String.raw`^a\sb$`), true);
  assert.equal(matches('a\u00a0b', String.raw`^a\Sb$`), true);
  // Go's FindAllString: an empty match right after the previous match is skipped
  assert.deepEqual(findAll('abc', 'a*', -1n), ['a', '', '']);
  assert.deepEqual(evaluateCel("'abc'.findAll('a*')"), ['a', '', '']);
  assert.deepEqual(findAll('aXbX', 'X*', -1n), ['', 'X', 'X']);
  assert.deepEqual(findAll('aXbX', 'X*', 2n), ['', 'X']);
  assert.equal(evaluateCel("matches('abc', 'b')"), true);
});

test('what RE2 refuses, or what has no equivalent here, is a compile error naming the pattern', () => {
  for (const [p, why] of [
    [String.raw`(a)\1`, /backreferences/],
    [String.raw`a\8`, /backreferences/],
    [String.raw`\cA`, /invalid escape sequence: \\c/],
    [String.raw`\u0041`, /invalid escape sequence: \\u/],
    [String.raw`\x{110000}`, /invalid escape sequence/],
    ['a(?=b)', /lookaround/],
    ['a(?<!b)', /lookaround/],
    ['a++', /nested repetition/],
    ['a{1001}', /repeat count/],
    ['a{2,1001}', /repeat count/],
    ['a{2}+', /nested repetition/],
    ['(?U)a+', /ungreedy/],
    ['a(?i)b', /flags after the start/],
    ['a(?s:.)', /in a group/],
    ['^a(?i:b)$', /the i flag in a group/], // V8's regexp modifiers can answer wrongly
    ['(?-i:a)', /the i flag in a group/],
    [String.raw`\Qa.b\E`, /not supported/],
    ['[[:^alpha:]]', /negated POSIX/],
    ['[[:nope:]]', /character class/],
    [')', /error parsing regexp/],
  ] as const) {
    assert.throws(() => compileRegex(p), (err: Error) => why.test(err.message) && err.message.includes(`\`${p}\``), p);
    assert.throws(() => evaluateCel(`'x'.matches(${JSON.stringify(p)})`), /compilation failed: invalid matches argument: error parsing regexp/, p);
  }
  // a pattern that is not a literal is checked when it runs
  assert.throws(() => matches('x', 'x++'), /error parsing regexp: invalid nested repetition/);
});
