/**
 * Keys named like JavaScript object internals are ordinary data to Kubernetes (a label
 * `constructor`, an annotation, a ConfigMap key, an unknown field kubectl --validate=ignore would
 * drop). cel-js tells a value's type by `value.constructor`, so such an object must reach it as a
 * Map: as a plain object every read of it failed ("Unsupported type: object"), and behind `.?` it
 * was no map at all, so `c.?securityContext.?privileged.orValue(false) == false` held for a
 * privileged container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import { evaluateCel } from '../../src/index.ts';
import { AdmissionEnvironment } from '../../src/policy/vap.ts';

// as JSON.parse reads it: `__proto__` an own key
const labelled = '{"metadata": {"name": "p", "labels": {"app": "x", "constructor": "c", "toString": "t", "__proto__": "p"}}}';
const privileged = { spec: { containers: [{ name: 'c', securityContext: { privileged: true, constructor: 1 } }] } };

test('a map with a `constructor` key reads as any other map', () => {
  const object = JSON.parse(labelled) as Record<string, unknown>;
  assert.equal(evaluateCel("object.metadata.labels.app == 'x'", { object }), true);
  assert.equal(evaluateCel("'constructor' in object.metadata.labels && 'app' in object.metadata.labels", { object }), true);
  assert.equal(evaluateCel("object.metadata.labels['constructor'] + object.metadata.labels.toString + object.metadata.labels['__proto__']", { object }), 'ctp');
  assert.equal(evaluateCel('size(object.metadata.labels)', { object }), 4n);
  assert.deepEqual(evaluateCel("object.metadata.labels.filter(k, k != 'app')", { object }), ['constructor', 'toString', '__proto__']);
  assert.equal(evaluateCel("object.metadata.labels.?constructor.orValue('none')", { object }), 'c');
  assert.equal(evaluateCel("object.metadata.labels.?missing.orValue('none')", { object }), 'none');
});

test('has() sees a map\'s own keys only: names of Object.prototype are no fields', () => {
  const object = JSON.parse('{"spec": {"a": 1}, "metadata": {"labels": {"app": "x", "toString": "t"}}}') as Record<string, unknown>;
  for (const expr of ['has(object.spec.toString)', 'has(object.spec.valueOf)', 'has(object.spec.hasOwnProperty)', 'has(object.spec.__proto__)', 'has(object.metadata.labels.isPrototypeOf)', 'has(object.spec.constructor)']) {
    assert.equal(evaluateCel(expr, { object }), false, expr);
  }
  assert.equal(evaluateCel('has(object.metadata.labels.toString) && has(object.spec.a)', { object }), true);
});

test('a privileged container with a `constructor` field is still privileged', () => {
  const object = privileged;
  assert.equal(evaluateCel('object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)', { object }), false);
  assert.equal(evaluateCel('object.spec.containers.exists(c, has(c.securityContext.privileged) && c.securityContext.privileged)', { object }), true);
});

test('the PSS restricted policies decide objects with such keys as without them (composed, raw mode and generic)', () => {
  const file = fileURLToPath(new URL('../../examples/policies/pss-restricted.yaml', import.meta.url));
  const docs = jsyaml.loadAll(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  const options = { policies: docs.filter((d) => d?.['kind'] === 'ValidatingAdmissionPolicy'), bindings: docs.filter((d) => d?.['kind'] === 'ValidatingAdmissionPolicyBinding') };
  const fast = new AdmissionEnvironment(options);
  const generic = new AdmissionEnvironment({ ...options, cel: { fastPaths: false } });
  const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
  const pod = (labels: Record<string, string>, sc: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: sc }] } });
  for (const env of [fast, generic]) {
    for (let i = 0; i < 2; i++) {
      const ok = env.admit(pod({ constructor: 'x', app: 'a' }, hardened));
      assert.equal(ok.allowed, true, ok.message);
      assert.deepEqual(ok.decisions, [], 'no decisions: no evaluation errors either');
      const bad = env.admit(pod({ app: 'a' }, { ...hardened, privileged: true, constructor: 1 }));
      assert.equal(bad.allowed, false);
      assert.match(bad.message ?? '', /privileged/);
    }
  }
});

test('a map literal keeps `constructor`, `prototype` and `__proto__` keys (cel-js dropped them)', () => {
  const object = JSON.parse('{"metadata": {"labels": {"app": "x", "constructor": "c"}}}') as Record<string, unknown>;
  assert.equal(evaluateCel('size({"constructor": 1, "prototype": 2, "__proto__": 3, "a": 4})'), 4n);
  assert.equal(evaluateCel('object.metadata.labels == {"app": "x", "constructor": "c"}', { object }), true);
  assert.equal(evaluateCel('{"constructor": "v"}.constructor + {"prototype": "w"}["prototype"]'), 'vw');
  assert.equal(evaluateCel('"constructor" in {"constructor": 1} && !("constructor" in {"a": 1})'), true);
});
