/**
 * Raw-mode evaluation (src/policy/fastpath.ts): expressions reading the unconverted object give
 * exactly what cel-js's generic evaluation gives on the converted one (value, error message, cost),
 * on every cel-k8s vector, on data toCel changes or that raw mode does not represent (doubles,
 * Dates, Maps, class instances, null-prototype objects), and through AdmissionEnvironment on the
 * PSS policies over odd pods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import { compileCel, rawStats } from '../../src/policy/cel.ts';
import { DEOPT, RAW_VARIABLE, lift, rawKey } from '../../src/policy/fastpath.ts';
import { toCel } from '../../src/policy/values.ts';
import { AdmissionEnvironment } from '../../src/policy/vap.ts';
import { show } from './cel-outcome.ts';

const dir = fileURLToPath(new URL('../../../shared/testdata/cel-k8s/', import.meta.url));


/**
 * Raw mode (three evaluations: cel-js's entry once, then the raw one) against the generic
 * evaluation, on `raw` as given; `variables` (a record) becomes a Map with the RAW_VARIABLE method,
 * as VAP's variables are.
 */
function compare(expr: string, raw: Record<string, unknown>): void {
  const names = Object.keys(raw);
  const converted: Record<string, unknown> = {};
  for (const k of names) converted[k] = toCel(raw[k]);
  if (raw['variables'] !== undefined) {
    const vars = raw['variables'] as Record<string, unknown>;
    const m = new Map(Object.entries(vars).map(([k, v]) => [k, toCel(v)])) as Map<string, unknown> & { [RAW_VARIABLE]?: (name: string) => unknown };
    m[RAW_VARIABLE] = (name) => {
      if (!Object.hasOwn(vars, name)) throw DEOPT;
      return vars[name];
    };
    converted['variables'] = m;
  }
  let fast, generic;
  try {
    generic = compileCel(expr, names, { fastPaths: false });
  } catch {
    return; // compile errors are not evaluation
  }
  fast = compileCel(expr, names, { rawVariables: names });
  const activation: Record<string | symbol, unknown> = { ...converted };
  for (const k of names) activation[rawKey(k)] = raw[k];
  const want = show(() => generic.evaluate(converted), () => generic.lastCost);
  for (let i = 0; i < 3; i++) {
    const got = show(() => {
      const v = fast.evaluateRawWithin(activation, 1_000_000);
      return fast.lastRaw ? lift(v) : v;
    }, () => fast.lastCost);
    assert.equal(got, want, `${expr} on ${JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))} (evaluation ${i + 1})`);
  }
}

test('raw mode: same value, error and cost as cel-js on every cel-k8s vector (bindings unconverted)', () => {
  let compared = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(dir + file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const v = JSON.parse(line) as { expr: string; bindings?: Record<string, unknown> };
      compare(v.expr, v.bindings ?? {});
      compared++;
    }
  }
  assert.ok(compared > 1000, `${compared} vectors compared`);
});

class Thing {
  a = 1;
  b = 'x';
}
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: { c: 2 } });

const OBJECTS: unknown[] = [
  { kind: 'Pod', spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 1.5 }], securityContext: { runAsUser: 0 } }, { name: 'b' }], replicas: 2 } },
  { kind: 'Pod', spec: { containers: [{ name: 'a', when: new Date('2020-01-01T00:00:00Z'), m: new Map([['k', 1]]), t: new Thing() }], n: null, u: undefined, big: 2 ** 60, f: 2.5, neg: -3 } },
  { kind: 'Pod', spec: nullProto },
  { kind: 'Pod', spec: [1, 2, { a: 1 }] },
  { kind: 'Pod', spec: 'text' },
  { kind: 'Pod', spec: new Map([['containers', [{ name: 'm' }]]]) },
  new Thing(),
  { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i', ports: [{ hostPort: 2 }] }] } } } },
];

const EXPRESSIONS = [
  'object',
  'object.kind',
  'object.spec',
  'object.spec.containers',
  'object.spec.replicas',
  'object.spec.replicas + 1',
  'object.spec.f',
  'object.spec.big',
  'object.spec.neg * 2',
  'object.spec.n',
  'object.spec.u',
  'object.spec.a',
  'object.spec.b.c',
  'object.spec.missing',
  'object.spec.containers[0]',
  'object.spec.containers[0].ports[0].containerPort == 80',
  'object.spec.containers[0].when',
  'object.spec.containers[0].m',
  'object.spec.containers[0].m.k',
  'object.spec.containers[0].t',
  'object.spec.containers[0].t.a',
  "object.spec.containers.all(c, c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0))",
  "object.spec.containers.exists(c, c.name == 'b')",
  'object.spec.containers.all(c, has(c.ports))',
  'object.spec.containers.all(c, c.?when.orValue(1) == 1)',
  'object.spec.containers.map(c, c.name)',
  'object.spec.containers.map(c, c.?ports.orValue([]))',
  'object.spec.containers.filter(c, c.name == object.kind)',
  "object.spec.?containers.orValue([]) + object.spec.?initContainers.orValue([])",
  "object.spec.?containers.orValue([]) + [{'a': 1.0}]",
  "object.spec.?containers.orValue([]) + []",
  "[] + object.spec.?containers.orValue([])",
  "object.spec.?containers.orValue([{'x': 2.0}])",
  "object.spec.?nothing.orValue({'x': 2.0})",
  "object.spec.?nothing.orValue(2.0)",
  "object.spec.?replicas.orValue(2.0)",
  "object.spec.?f.orValue(1)",
  "object.spec.?b.?c.orValue(0)",
  "object.?spec.?containers.orValue([]).size()",
  "[object.spec, {'d': 1.0}]",
  "[object.spec.?replicas.orValue(0), 2.0]",
  "object.kind == 'Pod' ? object.spec : {'d': 1.0}",
  "object.kind == 'Pod' ? object.spec.?containers.orValue([]) : []",
  "object.kind == 'Nope' ? object.spec : {'d': 1.0}",
  "object.spec == object.spec",
  "object.spec.containers == [{'name': 'a'}]",
  "object.spec.replicas in [2, 3]",
  "object.spec.all(k, k != 'x')",
  "object.spec.exists(k, object.spec[k] == 2)",
  "has(object.spec.replicas) && has(object.spec.u)",
  "has(object.spec.containers)",
  "has(object.spec.nothing)",
  "has(object.spec.toString)",
  "has(object.spec.constructor)",
  "object.spec.containers.all(c, !has(c.nothing) && !has(c.hasOwnProperty))",
  "object.spec.containers.all(c, c.name.startsWith('a'))",
  "string(object.spec.replicas)",
  "type(object.spec.replicas) == int",
  "type(object.spec.f) == double",
  "object.spec.containers.all(c, [c.?ports.orValue([])].all(l, l.size() >= 0))",
  "object.spec.containers.all(c, object.spec.containers.exists(d, d.name == c.name))",
  "object.spec.containers.all(object, object.name != '')",
  "object.spec.containers.all(c, c.?name.orValue('') in ['a', 'b'])",
  "cel.bind(x, object.spec, x.replicas)",
  "'replicas' in object.spec",
  "'u' in object.spec",
  "'n' in object.spec",
  "'constructor' in object.spec",
  "'__proto__' in object.spec",
  "'containers' in object.spec.containers[0]",
  "'k' in object.spec.containers[0].m",
  "'a' in object.spec.containers[0].t",
  "object.kind in object.spec",
];

test('raw mode: same value, error and cost on data toCel changes or raw mode does not represent', () => {
  for (const object of OBJECTS) for (const expr of EXPRESSIONS) compare(expr, { object });
});

test('raw mode: the same through variables', () => {
  for (const o of OBJECTS) {
    for (const expr of EXPRESSIONS) compare(expr.replaceAll('object', 'variables.o'), { variables: { o } });
    compare('variables.missing', { variables: { o } });
    compare('variables.o.kind + variables.k', { variables: { o, k: 'x' } });
  }
});

const policyFile = fileURLToPath(new URL('../../examples/policies/pss-restricted.yaml', import.meta.url));

const PODS: Array<Record<string, unknown>> = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok', namespace: 'a', annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'runtime/default' } }, spec: { securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', ports: [{ containerPort: 80 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, template: { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', x: 1 } }, spec: { hostNetwork: true, hostPID: 'yes', volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'c', configMap: null }], securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { value: 2 }], seLinuxOptions: { type: 'spc_t', user: 3 }, runAsUser: 0 }, containers: [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 0 }, { hostPort: 1.5 }], securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN', 7], drop: 'ALL' }, runAsUser: 0, seccompProfile: { type: 'Unconfined' }, windowsOptions: { hostProcess: 1 } } }], initContainers: [{ name: 'i', securityContext: null }], ephemeralContainers: [{ name: 'e', securityContext: { appArmorProfile: { type: 'Unconfined' }, allowPrivilegeEscalation: true } }] } } } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', ports: 'x', securityContext: { capabilities: { add: 'NET_RAW' } } }], volumes: [{ name: 'p', persistentVolumeClaim: { claimName: 'c' } }, 'odd'] } } } } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [] } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', securityContext: [] }], securityContext: { seLinuxOptions: 'x', windowsOptions: { hostProcess: true } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n', annotations: null }, spec: null },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: {} },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dates', creationTimestamp: new Date(0) }, spec: { containers: [{ name: 'a', securityContext: { runAsUser: 2.0, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ports: [{ hostPort: 0.0 }] }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'map' }, spec: { containers: [{ name: 'a', securityContext: new Map([['privileged', true]]) }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'thing' }, spec: { containers: [new Thing()], securityContext: nullProto } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i' }, { name: 'j', securityContext: { runAsUser: 0 } }] } } } },
];

test('raw mode: AdmissionEnvironment gives the same results as generic evaluation on the PSS policies over odd pods, without falling back on ordinary ones', () => {
  const docs = jsyaml.loadAll(readFileSync(policyFile, 'utf8')) as Array<Record<string, unknown>>;
  const options = { policies: docs.filter((d) => d?.['kind'] === 'ValidatingAdmissionPolicy'), bindings: docs.filter((d) => d?.['kind'] === 'ValidatingAdmissionPolicyBinding') };
  const fast = new AdmissionEnvironment(options);
  const generic = new AdmissionEnvironment({ ...options, cel: { fastPaths: false } });
  for (const pod of PODS) {
    for (let i = 0; i < 2; i++) assert.deepEqual(fast.admit(pod), generic.admit(pod), `${String((pod['metadata'] as Record<string, unknown>)['name'])} (${i + 1})`);
  }
  const before = rawStats.deopts;
  for (const pod of PODS.slice(0, 4)) fast.admit(pod);
  assert.equal(rawStats.deopts, before, 'plain pods are evaluated in raw mode throughout');
});

test('raw mode is what evaluateRawWithin uses after the first evaluation (a raw-form value for a raw-form root)', () => {
  const e = compileCel("object.kind == 'Pod' ? object.spec : object.spec.template.spec", ['object', 'variables']);
  const pod = { kind: 'Pod', spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } };
  const act = { object: toCel(pod), [rawKey('object')]: pod };
  e.evaluateRawWithin(act, 1_000_000);
  const v = e.evaluateRawWithin(act, 1_000_000);
  assert.equal(e.lastRaw, true);
  assert.equal(v, pod.spec, 'the unconverted spec itself');
  assert.deepEqual(lift(v), toCel(pod.spec));
});

test('raw mode: variables named like Object.prototype members read as themselves', () => {
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'names' },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      variables: [
        { name: 'constructor', expression: 'object.spec' },
        { name: 'toString', expression: 'object.spec.containers' },
        { name: '__proto__', expression: 'object.metadata' },
      ],
      validations: [
        { expression: "variables.constructor.containers.size() == 1 && variables.toString[0].name == 'a'", message: 'one' },
        { expression: "variables.__proto__.name == 'p' && variables.toString.all(c, c.name == 'a')", message: 'two' },
        { expression: 'variables.hasOwnProperty == 1', message: 'three' },
      ],
    },
  };
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'names' }, spec: { policyName: 'names', validationActions: ['Deny'] } };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 1 }] }] } };
  const fast = new AdmissionEnvironment({ policies: [policy], bindings: [binding] });
  const generic = new AdmissionEnvironment({ policies: [policy], bindings: [binding], cel: { fastPaths: false } });
  for (let i = 0; i < 3; i++) assert.deepEqual(fast.admit(pod), generic.admit(pod));
  assert.deepEqual(fast.admit(pod).decisions.map((d) => d.expressionIndex), [2]);
});
