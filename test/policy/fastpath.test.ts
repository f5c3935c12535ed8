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
import { compileCel } from '../../src/policy/cel.ts';
import jsyaml from 'js-yaml';
import { uncomposedNodes } from '../../src/policy/fastpath.ts';
import { fromCel, parseJsonForCel, toCel } from '../../src/policy/values.ts';
import { checkedAst, pssExpressions } from './cel-outcome.ts';

const dir = fileURLToPath(new URL('../../../shared/testdata/cel-k8s/', import.meta.url));

function outcome(expr: string, vars: Record<string, unknown>, fastPaths: boolean): string {
  let c;
  try {
    c = compileCel(expr, Object.keys(vars), { fastPaths });
  } catch (err) {
    return `compile: ${(err as Error).message}`;
  }
  // twice: a composed expression takes cel-js's entry once, then its direct one (src/policy/cel.ts)
  const out: string[] = [];
  for (let i = 0; i < 2; i++) {
    let r: string;
    try {
      r = JSON.stringify(fromCel(c.evaluate(vars)));
    } catch (err) {
      r = `error: ${(err as Error).message}`;
    }
    out.push(`${r} cost ${c.lastCost}`);
  }
  return out.join(' / ');
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
  "'a' in {'a': 1}",
  "'b' in {'a': 1}",
  "'constructor' in {'a': 1}",
  "'toString' in dyn({'a': 1})",
  "dyn(1) in {'a': 1}",
  "'x' in obj.spec",
  "'containers' in obj.spec",
  "'a' in dyn({1: 2})",
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
  "has(obj.spec.nothing)",
  "has(obj.spec.toString)",
  "obj.spec.containers.all(c, !has(c.nothing) && has(c.name))",
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

const policyFile = fileURLToPath(new URL('../../examples/policies/pss-restricted.yaml', import.meta.url));


test('the PSS restricted policies are made only of composed shapes (variables and validations)', () => {
  const exprs = pssExpressions();
  assert.ok(exprs.length >= 20);
  for (const expr of exprs) assert.deepEqual(uncomposedNodes(checkedAst(expr, ['object', 'variables'])), [], expr);
  // shapes outside: left to cel-js, named
  assert.deepEqual(uncomposedNodes(checkedAst("obj.spec.containers.map(c, c.name).size() > 0 && obj.x.exists_one(k, k == 'a')", ['obj'])), ['rcall map', 'rcall exists_one']);
});

const PODS: unknown[] = [
  { kind: 'Pod', metadata: { name: 'ok', annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default' } }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', ports: [{ containerPort: 80 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] } },
  { kind: 'Deployment', spec: { template: { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', x: 1 } }, spec: { hostNetwork: true, hostPID: 'yes', volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'c', configMap: null }], securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { value: 2 }], seLinuxOptions: { type: 'spc_t', user: 3 }, runAsUser: 0 }, containers: [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 0 }, { hostPort: 1.5 }], securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN', 7], drop: 'ALL' }, runAsUser: 0, seccompProfile: { type: 'Unconfined' }, windowsOptions: { hostProcess: 1 } } }], initContainers: [{ name: 'i', securityContext: null }], ephemeralContainers: [{ name: 'e', securityContext: { appArmorProfile: { type: 'Unconfined' }, allowPrivilegeEscalation: true } }] } } } },
  { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', ports: 'x', securityContext: { capabilities: { add: 'NET_RAW' } } }], volumes: [{ name: 'p', persistentVolumeClaim: { claimName: 'c' } }, 'odd'] } } } } } },
  { kind: 'Job', spec: { template: { spec: { containers: [] } } } },
  { kind: 'Pod', spec: { containers: [{ name: 'a', securityContext: [] }], securityContext: { seLinuxOptions: 'x', windowsOptions: { hostProcess: true } } } },
  { kind: 'Pod', metadata: { annotations: null }, spec: null },
  { kind: 'ReplicaSet', spec: {} },
];

test('fast paths: same value, error and cost as cel-js on the PSS policies over odd pods', () => {
  const vars = ['podSpec', 'podMeta', 'containers'];
  const exprs = pssExpressions();
  const defs = new Map<string, string>();
  for (const d of jsyaml.loadAll(readFileSync(policyFile, 'utf8')) as Array<{ kind?: string; spec?: { variables?: Array<{ name: string; expression: string }> } }>) {
    for (const v of d?.spec?.variables ?? []) defs.set(v.name, v.expression);
  }
  for (const pod of PODS) {
    const object = toCel(pod);
    // the variables computed once each way; values that fail are left out (reading them is then an error either way)
    const computed = (fast: boolean): Record<string, unknown> => {
      const variables: Record<string, unknown> = {};
      for (const name of vars) {
        try {
          variables[name] = compileCel(defs.get(name)!, ['object', 'variables'], { fastPaths: fast }).evaluate({ object, variables });
        } catch {
          // unset
        }
      }
      return variables;
    };
    const fastVars = computed(true);
    const genericVars = computed(false);
    assert.deepEqual(fastVars, genericVars, `variables of ${JSON.stringify(pod)}`);
    for (const expr of exprs) assert.equal(outcome(expr, { object, variables: fastVars }, true), outcome(expr, { object, variables: genericVars }, false), `${expr} on ${JSON.stringify(pod)}`);
  }
});
