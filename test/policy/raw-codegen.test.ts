/**
 * Raw-mode expressions written out as one function (src/policy/raw-codegen.ts): the PSS policies
 * are written out; the written-out function and the closures it is written from agree on value,
 * error and cost under every cost limit from 0 to the expression's cost (a budget overrun anywhere
 * in the expression), and with cel-js's generic evaluation when the limit is not reached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compileCel, type CompiledCel } from '../../src/policy/cel.ts';
import { DEOPT, RAW_VARIABLE, composedRawRoot, installFastPaths, lift, rawKey, rawWriting } from '../../src/policy/fastpath.ts';
import { isWrittenOut } from '../../src/policy/raw-codegen.ts';
import { toCel } from '../../src/policy/values.ts';
import { checkedAst, pssExpressions, show } from './cel-outcome.ts';



test('the PSS restricted expressions are written out as one function each', () => {
  const exprs = pssExpressions();
  assert.ok(exprs.length >= 20);
  for (const expr of exprs) {
    const ast = checkedAst(expr, ['object', 'variables']);
    installFastPaths(ast);
    assert.ok(isWrittenOut(composedRawRoot(ast)?.body), expr);
  }
});

test('without writing out, raw mode keeps the closures', () => {
  rawWriting.enabled = false;
  try {
    const ast = checkedAst("object.spec.containers.all(c, c.?name.orValue('') != '')", ['object']);
    installFastPaths(ast, ['object']);
    const root = composedRawRoot(ast);
    assert.ok(root !== undefined && !isWrittenOut(root.body));
  } finally {
    rawWriting.enabled = true;
  }
});

const PODS: unknown[] = [
  { kind: 'Pod', metadata: { name: 'ok', annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default' } }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', ports: [{ containerPort: 80 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] } },
  { kind: 'Deployment', metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', x: 1 } }, spec: { hostNetwork: true, hostPID: 'yes', volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'c', configMap: null }], securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { value: 2 }], seLinuxOptions: { type: 'spc_t', user: 3 }, runAsUser: 0 }, containers: [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 0 }, { hostPort: 1.5 }], livenessProbe: { httpGet: { host: 'h' } }, securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN', 7], drop: 'ALL' }, runAsUser: 0, seccompProfile: { type: 'Unconfined' }, windowsOptions: { hostProcess: 1 } } }, { name: 'i', securityContext: null }] } },
  { kind: 'Pod', spec: { containers: [{ name: 'a', ports: 'x', securityContext: { capabilities: { add: 'NET_RAW' }, seLinuxOptions: { role: 'r' } } }], volumes: [{ name: 'p', persistentVolumeClaim: { claimName: 'c' } }, 'odd'], os: { name: 'windows' } } },
  { kind: 'Pod', spec: { containers: [{ name: 'a', securityContext: [], when: new Date('2020-01-01T00:00:00Z'), m: new Map([['k', 1]]) }], securityContext: { seLinuxOptions: 'x', windowsOptions: { hostProcess: true } }, hostUsers: false } },
  { kind: 'Pod', metadata: { annotations: null }, spec: { containers: [] } },
];

const MORE = [
  "object.spec.containers.all(c, c.name == 'a' && c.securityContext.privileged == true)",
  "object.spec.containers.exists(c, c.?ports.orValue([]).exists(p, p.hostPort > 0))",
  "object.spec.containers.all(c, c.?when.orValue(1) == 1)",
  "object.spec.containers.all(c, c.m.k == 1 || c.name != 'a')",
  "object.spec.?volumes.orValue([]).all(v, has(v.hostPath) || v.name in ['c', 'p'])",
  "[object.spec.?securityContext.orValue({})].all(s, !s.?runAsNonRoot.orValue(false) ? s.?runAsUser.orValue(1) != 0 : true)",
  "object.spec.containers + object.spec.?initContainers.orValue([])",
  "object.metadata.annotations.all(k, k.startsWith('x') || object.metadata.annotations[k] == 'runtime/default')",
];

/** Raw activation as VAP builds it: `object` unconverted under its raw key, `variables` a Map with the RAW_VARIABLE method. */
function activationFor(pod: Record<string, unknown>): { raw: Record<string | symbol, unknown>; converted: Record<string, unknown> } {
  const spec = (pod['spec'] ?? {}) as Record<string, unknown>;
  const vars: Record<string, unknown> = { podSpec: spec, podMeta: pod['metadata'] ?? {}, containers: spec['containers'] ?? [] };
  const object = toCel(pod);
  const m = new Map(Object.entries(vars).map(([k, v]) => [k, toCel(v)])) as Map<string, unknown> & { [RAW_VARIABLE]?: (name: string) => unknown };
  m[RAW_VARIABLE] = (name) => {
    if (!Object.hasOwn(vars, name)) throw DEOPT;
    return vars[name];
  };
  return { raw: { object, variables: m, [rawKey('object')]: pod }, converted: { object, variables: m } };
}

function compiledBothWays(expr: string): [CompiledCel, CompiledCel] {
  const written = compileCel(expr, ['object', 'variables']);
  rawWriting.enabled = false;
  try {
    return [written, compileCel(expr, ['object', 'variables'])];
  } finally {
    rawWriting.enabled = true;
  }
}

test('written out and as closures: same value, error and cost under every cost limit; both as cel-js unlimited', () => {
  let checked = 0;
  for (const expr of [...pssExpressions(), ...MORE]) {
    const generic = compileCel(expr, ['object', 'variables'], { fastPaths: false });
    const [written, closures] = compiledBothWays(expr);
    for (const pod of PODS as Array<Record<string, unknown>>) {
      const { raw, converted } = activationFor(pod);
      const raws = (c: CompiledCel, limit: number): string =>
        show(() => {
          const v = c.evaluateRawWithin(raw, limit);
          return c.lastRaw ? lift(v) : v;
        }, () => c.lastCost);
      const want = show(() => generic.evaluate(converted), () => generic.lastCost);
      for (let i = 0; i < 3; i++) {
        // (the first evaluation goes through cel-js's entry)
        assert.equal(raws(written, 1_000_000), want, `written out: ${expr} on ${JSON.stringify(pod)}`);
        assert.equal(raws(closures, 1_000_000), want, `closures: ${expr} on ${JSON.stringify(pod)}`);
      }
      for (let limit = 0; limit <= generic.lastCost + 1; limit++) {
        assert.equal(raws(written, limit), raws(closures, limit), `${expr} on ${JSON.stringify(pod)} with cost limit ${limit}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 2500, `${checked} evaluations compared`);
});

test('a batch of node units over the limit costs what counting them one by one does (an orValue chain, x in [constants])', () => {
  for (const expr of ["object.kind == 'Pod' ? object.metadata : object.spec.template.?metadata.orValue({})", "object.spec.?a.?b.?c.?d.orValue(object.kind in ['A', 'B', 'C', 'D'])"]) {
    const generic = compileCel(expr, ['object'], { fastPaths: false });
    const [written, closures] = compiledBothWays(expr);
    for (const pod of [{ kind: 'Deployment', spec: {} }, { kind: 'Pod', metadata: {} }, { kind: 'B', spec: { a: { b: {} } } }]) {
      const converted = { object: toCel(pod), variables: new Map() };
      const raw = { ...converted, [rawKey('object')]: pod };
      for (const c of [written, closures]) show(() => c.evaluateRawWithin(raw, 1_000_000), () => 0);
      show(() => generic.evaluate(converted), () => 0);
      for (let limit = 0; limit <= generic.lastCost + 1; limit++) {
        const want = show(() => generic.evaluate(converted, { costLimit: limit }), () => generic.lastCost);
        for (const c of [written, closures]) assert.equal(show(() => c.evaluateRawWithin(raw, limit), () => c.lastCost), want, `${expr} on ${JSON.stringify(pod)} with cost limit ${limit}`);
      }
    }
  }
});

test('where code generation from strings is disallowed, expressions run as the shared closures, with the same results', () => {
  const script = `
    const { compileCel } = await import(${JSON.stringify(new URL('../../src/policy/cel.ts', import.meta.url).href)});
    const { rawKey } = await import(${JSON.stringify(new URL('../../src/policy/fastpath.ts', import.meta.url).href)});
    const c = compileCel("object.spec.containers.all(c, c.?name.orValue('') != '' && c.?securityContext.?privileged.orValue(false) == false)", ['object']);
    const pod = { spec: { containers: [{ name: 'a', securityContext: { privileged: true } }, {}] } };
    for (let i = 0; i < 3; i++) console.log(c.evaluateRawWithin({ object: pod, [rawKey('object')]: pod }, 1000000), c.lastCost, c.lastRaw);`;
  const run = (flags: string[]): string => {
    const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const allowed = run([]);
  assert.match(allowed, /^false \d+ false\n/);
  assert.equal(run(['--disallow-code-generation-from-strings']), allowed);
});

test('a very large expression keeps its closures, with the same results', () => {
  const expr = `object.spec.containers.all(c, ${Array.from({ length: 150 }, (_, i) => `c.?f${i}.?g.orValue('') == ''`).join(' && ')})`;
  const ast = checkedAst(expr, ['object']);
  installFastPaths(ast, ['object']);
  const root = composedRawRoot(ast);
  assert.ok(root !== undefined && !isWrittenOut(root.body));
  const generic = compileCel(expr, ['object'], { fastPaths: false });
  const fast = compileCel(expr, ['object'], { rawVariables: ['object'] });
  const pod = { spec: { containers: [{ f3: { g: '' } }, { f149: { g: 'x' } }] } };
  const want = show(() => generic.evaluate({ object: toCel(pod) }), () => generic.lastCost);
  for (let i = 0; i < 3; i++) assert.equal(show(() => fast.evaluateRawWithin({ object: toCel(pod), [rawKey('object')]: pod }, 1_000_000), () => fast.lastCost), want);
});
