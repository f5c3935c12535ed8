/**
 * Random expressions made of the shapes the fast paths compose (selections, `.?a.orValue(d)`,
 * indexes, `has()`, comprehensions, `!`/`&&`/`||`/`?:`, comparisons, `in`, `+`, size, string
 * receivers, literals, `dyn`), over random objects with odd values (doubles where ints are
 * expected, nulls, empty and nested collections): the composed evaluation, raw mode and cel-js's
 * generic evaluation must give the same value or error message and the same cost. The fixed
 * vectors (fastpath.test.ts, rawmode.test.ts) cover the shapes one by one; this covers them
 * combined. FUZZ_SEED=n runs another sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCel } from '../../src/policy/cel.ts';
import { lift, rawKey } from '../../src/policy/fastpath.ts';
import { toCel } from '../../src/policy/values.ts';
import { prng } from '../../bench/prng.ts';
import { show } from './cel-outcome.ts';


const KEYS = ['a', 'b', 'spec', 'name', 'items', 'constructor', 'toString'] as const;

function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    const pick = Math.floor(rnd() * 10);
    return [0, 1, -2, 1.5, 'a', 'x', '', true, false, null][pick];
  }
  if (r < 0.65) {
    const out: Record<string, unknown> = {};
    for (const k of KEYS) if (rnd() < (k === 'constructor' || k === 'toString' ? 0.1 : 0.45)) out[k] = randomValue(rnd, depth + 1);
    return out;
  }
  return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
}

function randomExpression(rnd: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const iterNames: string[] = [];
  const literal = (): string => pick(['1', '0', '-2', '1u', '1.5', "'a'", "'x'", "''", 'true', 'false', 'null', '[]', "['a', 'b']", '[1, 2]', "{'a': 1}", "dyn('a')", 'dyn(1)', 'dyn(1.5)']);
  const base = (): string => (iterNames.length > 0 && rnd() < 0.6 ? pick(iterNames) : 'object');
  const path = (depth: number): string => {
    let e = base();
    const steps = Math.floor(rnd() * 3);
    for (let i = 0; i < steps; i++) {
      const r = rnd();
      if (r < 0.5) e += `.${pick(KEYS)}`;
      else if (r < 0.7) e += `[${pick(['0', '1', "'a'", "'items'"])}]`;
      else e += `.?${pick(KEYS)}`;
    }
    if (e.includes('.?') || rnd() < 0.3) {
      if (!e.includes('.?')) e += `.?${pick(KEYS)}`;
      e += `.orValue(${depth < 2 && rnd() < 0.3 ? expr(depth + 1) : literal()})`;
    }
    return e;
  };
  const comprehension = (depth: number): string => {
    const name = pick(['x', 'y', 'z']);
    const range = rnd() < 0.2 ? pick(["['a', 'b']", '[1, 2, 1.5]', "{'a': 1, 'b': 2}", '[]']) : path(depth + 1);
    iterNames.push(name);
    const body = rnd() < 0.7 ? boolExpr(depth + 1) : expr(depth + 1);
    iterNames.pop();
    return `${range}.${pick(['all', 'exists', 'exists', 'all', 'exists_one', 'map', 'filter'])}(${name}, ${body})`;
  };
  function boolExpr(depth: number): string {
    const r = rnd();
    if (depth > 3 || r < 0.15) return pick([`has(${base()}.${pick(KEYS)})`, 'true', 'false', `${path(depth)} == ${literal()}`]);
    if (r < 0.3) return `has(${path(depth).replace(/\.orValue\(.*$/, '').replace(/\.\?/g, '.')}.${pick(KEYS)})`;
    if (r < 0.4) return `!${boolExpr(depth + 1)}`;
    if (r < 0.55) return `${boolExpr(depth + 1)} ${pick(['&&', '||'])} ${boolExpr(depth + 1)}`;
    if (r < 0.7) return `${expr(depth + 1)} ${pick(['==', '!=', '==', '<', '>=', 'in'])} ${expr(depth + 1)}`;
    if (r < 0.78) return `${expr(depth + 1)} in ${pick(["['a', 'x']", '[1, 2]', "{'a': 1}", 'object', path(depth + 1)])}`;
    if (r < 0.9) return comprehension(depth);
    return `(${boolExpr(depth + 1)} ? ${boolExpr(depth + 1)} : ${boolExpr(depth + 1)})`;
  }
  function expr(depth: number): string {
    const r = rnd();
    if (depth > 3 || r < 0.3) return rnd() < 0.5 ? literal() : path(depth);
    if (r < 0.4) return path(depth);
    if (r < 0.5) return `${expr(depth + 1)} + ${expr(depth + 1)}`;
    if (r < 0.58) return `size(${expr(depth + 1)})`;
    if (r < 0.65) return `${path(depth)}.${pick(['startsWith', 'endsWith', 'contains'])}(${pick(["'a'", "''", '1'])})`;
    if (r < 0.72) return `[${expr(depth + 1)}, ${expr(depth + 1)}]`;
    if (r < 0.8) return `(${boolExpr(depth + 1)} ? ${expr(depth + 1)} : ${expr(depth + 1)})`;
    if (r < 0.87) return `dyn(${expr(depth + 1)})`;
    if (r < 0.93) return comprehension(depth);
    return boolExpr(depth + 1);
  }
  return rnd() < 0.6 ? boolExpr(0) : expr(0);
}

test('random expressions: composed, raw-mode and generic evaluation agree on value, error and cost', () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const objects = Array.from({ length: 6 }, () => {
    const o = randomValue(rnd, 0);
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? o : { a: o };
  });
  let compiled = 0;
  let evaluated = 0;
  let values = 0;
  for (let n = 0; n < 1500; n++) {
    const expr = randomExpression(rnd);
    let generic, fast, raw;
    try {
      generic = compileCel(expr, ['object'], { fastPaths: false });
    } catch {
      continue; // type errors are compile-time, and the same with or without fast paths (fastpath.test.ts)
    }
    fast = compileCel(expr, ['object']);
    raw = compileCel(expr, ['object'], { rawVariables: ['object'] });
    compiled++;
    for (const o of objects) {
      const object = toCel(o);
      const want = show(() => generic.evaluate({ object }), () => generic.lastCost);
      // twice each: a composed expression takes cel-js's entry once, then its own (src/policy/cel.ts)
      for (let i = 0; i < 2; i++) assert.equal(show(() => fast.evaluate({ object }), () => fast.lastCost), want, `composed: ${expr} on ${JSON.stringify(o)}`);
      const activation = { object, [rawKey('object')]: o };
      for (let i = 0; i < 3; i++) {
        const got = show(() => {
          const v = raw.evaluateRawWithin(activation, 1_000_000);
          return raw.lastRaw ? lift(v) : v;
        }, () => raw.lastCost);
        assert.equal(got, want, `raw mode: ${expr} on ${JSON.stringify(o)} (evaluation ${i + 1})`);
      }
      evaluated++;
      if (!want.startsWith('error')) values++;
    }
  }
  // the generator must mostly write expressions that type-check and evaluate, or this proves little
  assert.ok(compiled > 700 && values > evaluated / 4, `${compiled} compiled, ${evaluated} evaluated, ${values} values`);
});
