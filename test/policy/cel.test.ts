/** evaluateCel: the library API, typed errors, cost limits and hostile input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCel, compileCel, CelError } from '../../src/policy/cel.ts';
import { fromCel, toCel } from '../../src/policy/values.ts';

test('evaluates with plain data: integral numbers are int, others double', () => {
  assert.equal(evaluateCel('object.spec.replicas + 1', { object: { spec: { replicas: 2 } } }), 3n);
  assert.equal(evaluateCel('x * 2.0', { x: 1.5 }), 3);
  assert.equal(evaluateCel("object.metadata.name.startsWith('web')", { object: { metadata: { name: 'web-1' } } }), true);
  assert.deepEqual(fromCel(evaluateCel("[1, 2].map(x, cidr('10.0.0.0/8').containsIP('10.1.2.' + string(x)))")), [true, true]);
});

test('the Kubernetes libraries are there: quantity, semver, ip, url, format, regex, two-variable comprehensions', () => {
  assert.equal(evaluateCel("quantity('1Gi').isGreaterThan(quantity('1000Mi'))"), true);
  assert.equal(evaluateCel("semver('1.30.2').isLessThan(semver('1.31.0'))"), true);
  assert.equal(evaluateCel("ip('fe80::1').isLinkLocalUnicast()"), true);
  assert.equal(evaluateCel("url('https://example.com:8443/x').getPort()"), '8443');
  assert.equal(evaluateCel("!format.dns1123Label().validate('ok-name').hasValue()"), true);
  assert.equal(evaluateCel("'image:v1.2'.find('v[0-9.]+')"), 'v1.2');
  assert.equal(evaluateCel('{"a": 1, "b": 2}.all(k, v, v > 0)'), true);
  assert.equal(evaluateCel("'%s has %d'.format(['pod', 3])"), 'pod has 3');
});

test('compile errors are CelError with phase compile and code E_CEL_COMPILE', () => {
  for (const expr of ['1 +', 'undefinedFn(1)', "'a' + 1", '[1, "a"]', 'math.greatest(1, 2)', "'x'.reverse()"]) {
    assert.throws(() => evaluateCel(expr), (err: unknown) => err instanceof CelError && err.phase === 'compile' && err.code === 'E_CEL_COMPILE' && err.exitCode === 2, expr);
  }
});

test('runtime errors are CelError with phase eval and name the problem', () => {
  assert.throws(() => evaluateCel('1 / 0'), (err: unknown) => err instanceof CelError && err.phase === 'eval' && /division by zero|divide by zero/i.test(err.message));
  assert.throws(() => evaluateCel('object.missing', { object: {} }), (err: unknown) => err instanceof CelError && err.phase === 'eval' && /no such key: missing/i.test(err.message));
  assert.throws(() => evaluateCel("quantity('10Mo')"), /quantities must match the regular expression/);
  assert.throws(() => evaluateCel("[1, 2].slice(1, 5)"), (err: unknown) => err instanceof CelError && err.phase === 'eval');
});

test('cost limit: an expensive expression stops with an error, quickly, never a hang', () => {
  const start = Date.now();
  assert.throws(() => evaluateCel('lists.range(3000).all(i, lists.range(3000).all(j, i + j >= 0))'), /actual cost limit exceeded/);
  assert.throws(() => evaluateCel('lists.range(1000000000000).size()'), /actual cost limit exceeded/);
  assert.throws(() => evaluateCel('x.all(a, x.all(b, x.all(c, a + b + c >= 0)))', { x: Array.from({ length: 200 }, (_, i) => i) }), /actual cost limit exceeded/);
  assert.ok(Date.now() - start < 5000);
  const c = compileCel('lists.range(10).all(i, i >= 0)', []);
  assert.equal(c.evaluate({}), true);
  assert.ok(c.lastCost > 10 && c.lastCost < 200, `cost ${c.lastCost}`);
  assert.throws(() => c.evaluate({}, { costLimit: 5 }), /actual cost limit exceeded/);
});

test('cost limit: going over it is final, even inside `||`, `&&` and quantifiers, where cel-js lets the other side decide', () => {
  const x = Array.from({ length: 200 }, (_, i) => i);
  const over = 'x.all(a, x.all(b, a + b >= 0))'; // ~160,000 units
  for (const fastPaths of [true, false]) {
    for (const expr of [`${over} || true`, `true && ${over}`, `${over} && false`, `[1, 2].exists(i, ${over} || i == 1)`, `[1, 2].all(i, i == 1 || ${over})`, `!(${over}) || true`]) {
      const c = compileCel(expr, ['x'], { fastPaths });
      assert.throws(() => c.evaluate({ x: toCel(x) }, { costLimit: 10_000 }), /actual cost limit exceeded/, `${expr} (fast paths ${fastPaths})`);
      assert.equal(c.evaluate({ x: toCel(x) }), expr.includes('&& false') ? false : true, `${expr} within the default limit`);
    }
  }
});

test('hostile input: deep nesting and huge expressions are compile errors within bounds', () => {
  assert.throws(() => evaluateCel(`${'('.repeat(5000)}1${')'.repeat(5000)}`), (err: unknown) => err instanceof CelError && err.phase === 'compile');
  assert.throws(() => evaluateCel(Array.from({ length: 200_000 }, () => '1').join(' + ')), (err: unknown) => err instanceof CelError && err.phase === 'compile');
  assert.throws(() => evaluateCel('"unterminated'), (err: unknown) => err instanceof CelError && err.phase === 'compile');
  assert.throws(() => evaluateCel('\u0000'), (err: unknown) => err instanceof CelError && err.phase === 'compile');
});

test('variables are declared dyn; an undeclared one is a compile error', () => {
  assert.throws(() => compileCel('object.x', []), (err: unknown) => err instanceof CelError && err.phase === 'compile');
  assert.equal(compileCel('object.x == 1', ['object']).type, 'bool');
});
