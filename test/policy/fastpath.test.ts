/**
 * The evaluation fast paths (src/policy/fastpath.ts) give exactly what cel-js's generic evaluation
 * gives: the same value or error message and the same cost, on every cel-k8s vector and on inputs
 * chosen to reach each fallback (non-map steps, null, bytes/duration/timestamp values, non-bool
 * predicates, errors another element overrides).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileCel, kubernetesEnvironment } from '../../src/policy/cel.ts';
import { installFastPaths } from '../../src/policy/fastpath.ts';
import { fromCel, parseJsonForCel, toCel } from '../../src/policy/values.ts';

const dir = fileURLToPath(new URL('../../../shared/testdata/cel-k8s/', import.meta.url));

function outcome(expr: string, vars: Record<string, unknown>, fastPaths: boolean): string {
  let c;
  try {
    c = compileCel(expr, Object.keys(vars), { fastPaths });
  } catch (err) {
    return `compile: ${(err as Error).message}`;
  }
  let r: string;
  try {
    r = JSON.stringify(fromCel(c.evaluate(vars)));
  } catch (err) {
    r = `error: ${(err as Error).message}`;
  }
  return `${r} cost ${c.lastCost}`;
}

const EXTRA = [
  "dyn({'a': 'x'}).?a.?c.orValue(2)",
  "dyn({'a': null}).?a.orValue(2)",
  "dyn({'a': null}).?a.?b.orValue(2)",
  "dyn({'a': [1]}).?a.?c.orValue(2)",
  "dyn({'a': 1}).?a.?c.orValue(2)",
  "dyn({'a': {'b': b'x'}}).?a.?b.orValue(b'y')",
  "dyn({'a': {'b': duration('1s')}}).?a.?b.orValue(duration('2s'))",
  "dyn({'a': timestamp('2020-01-01T00:00:00Z')}).?a.?b.orValue(2)",
  "optional.of({'a': 1}).?a.orValue(3)",
  "obj.?spec.?containers.orValue([]).all(c, c.?securityContext.?runAsUser.orValue(1) != 0)",
  "obj.?spec.?missing.?deeper.orValue('d')",
  "[dyn(1), dyn(true)].all(x, x)",
  "[dyn(true), dyn(1)].exists(x, x)",
  "[dyn(false), dyn(1)].exists(x, x)",
  "[0, 1].exists(x, 1 / x > 0)",
  "[0, 1].all(x, 1 / x > 0)",
  "[1, 0].all(x, 1 / x < 0)",
  "{'a': 1, 'b': 2}.all(k, k != 'c')",
  "obj.spec.containers.exists(c, c.name == 'b')",
  "'a' in ['a', 'b']",
  "'c' in ['a', 'b']",
  "dyn('a') in [dyn(1), dyn('a')]",
  "dyn('a') in [dyn('a'), dyn(1)]",
  "'a' in dyn([])",
  "dyn(1) == dyn('a')",
  "dyn(1) != dyn(1.0)",
  "dyn(true) == dyn(true)",
  "0.0 / 0.0 == 0.0 / 0.0",
  "[1, 2] == [1, 2]",
  "['a'] + ['b'] == ['a', 'b']",
  "[1, 2, 3].map(x, x * 2)",
  "[[1], [2]].map(l, l + [3])",
  "obj.spec.containers.map(c, c.name) == ['a', 'b']",
  "obj.spec.containers + []",
  "[] + obj.spec.containers",
  "dyn([1]) + dyn(['a'])",
  "dyn([]) + dyn(['a'])",
  "dyn([1]) + dyn([2])",
  "dyn([1]) + dyn('a')",
  "obj.spec.containers[0].securityContext.runAsUser",
  "obj.spec.containers[1].securityContext.runAsUser",
  "obj.spec.missing.deeper",
  "obj.kind.size()",
  "dyn({'a': b'x'}).a",
  "dyn({'a': {'b': duration('1s')}}).a.b",
  "{'a': {'b': 1}}.a.b",
  "{'a': 1, 'b': 2}.exists(k, k == 'b')",
  "{1: 'a', 2: 'b'}.all(k, k > 0)",
  "dyn({'a': 1}).all(k, k == 1)",
  "obj.spec.containers[0].all(k, k != 'x')",
  "dyn('abc').all(k, k == 'a')",
  "dyn(1) in [1, 2]",
  "dyn(1u) in [1, 2]",
  "dyn(2.0) in [1, 2]",
  "'a' in ['a']",
  "dyn(true) in ['a']",
  "dyn(null) in [null]",
  "obj.kind in ['Pod']",
  "!dyn(true)",
  "!dyn(1)",
  "!(1 / 0 > 0)",
];

test('fast paths: same value, error and cost as cel-js on every cel-k8s vector', () => {
  let compared = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(dir + file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const v = parseJsonForCel(line) as { expr: string; bindings?: Record<string, unknown> };
      const vars: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v.bindings ?? {})) vars[k] = toCel(x);
      assert.equal(outcome(v.expr, vars, true), outcome(v.expr, vars, false), `${file} ${v.expr}`);
      compared++;
    }
  }
  assert.ok(compared > 1000, `${compared} vectors compared`);
});

test('fast paths: same value, error and cost on their fallbacks', () => {
  const obj = toCel({ spec: { containers: [{ name: 'a', securityContext: { runAsUser: 0 } }, { name: 'b' }] } });
  for (const expr of EXTRA) assert.equal(outcome(expr, { obj }, true), outcome(expr, { obj }, false), expr);
});

test('fast paths are installed where the shapes occur, and only there', () => {
  const count = (expr: string): number => {
    const parsed = kubernetesEnvironment().clone().registerVariable('obj', 'dyn').parse(expr);
    assert.ok(parsed.check().valid, expr);
    return installFastPaths(parsed.ast);
  };
  // two orValue chains, all(), and !=
  assert.equal(count("obj.?spec.?containers.orValue([]).all(c, c.?securityContext.?runAsUser.orValue(1) != 0)"), 4);
  // exists(), ==, and the selection chains obj.spec.containers and c.name (one each, not per step)
  assert.equal(count("obj.spec.containers.exists(c, c.name == 'b')"), 4);
  // ==, three selection chains (one of them a plain field named orValue); exists_one and && have none
  assert.equal(count("obj.spec.containers.exists_one(c, c.name == 'b') && obj.spec.orValue"), 4);
  assert.equal(count("optional.of(1).orValue(2)"), 0);
  // a selection, a constant list, in over constants, and in's comparison
  assert.equal(count("obj.kind in ['Pod', 'Job']"), 4);
  assert.equal(count("obj.kind in [obj.kind] || [] == obj.x"), 5);
});
