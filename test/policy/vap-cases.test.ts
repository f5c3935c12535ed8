/**
 * ValidatingAdmissionPolicy conformance cases (../shared/testdata/vap, see its SOURCE.md): every
 * request's expected outcome (allowed, action(s), message, full message, audit annotations) holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { AdmissionEnvironment, type AdmissionResult } from '../../src/policy/vap.ts';

const root = fileURLToPath(new URL('../../../shared/testdata/vap/', import.meta.url));
type Obj = Record<string, unknown>;

function docs(dir: string, file: string): Obj[] {
  const path = `${dir}/${file}`;
  if (!existsSync(path)) return [];
  return yaml.loadAll(readFileSync(path, 'utf8')).filter((d): d is Obj => d !== null && typeof d === 'object');
}

interface Expected {
  kind: string;
  namespace: string;
  name: string;
  allowed: boolean;
  action?: string;
  actions?: string[];
  message?: string;
  fullMessage?: string;
  auditAnnotations?: Record<string, unknown[]>;
}

/** The outcome in the expected.json vocabulary. */
function outcome(r: AdmissionResult, e: Expected): Record<string, unknown> {
  const actions = [...new Set(r.decisions.flatMap((d) => d.actions))];
  const out: Record<string, unknown> = { allowed: r.allowed };
  if (e.action !== undefined || e.actions !== undefined) out[e.actions ? 'actions' : 'action'] = e.actions ? actions : actions[0];
  const full = r.message ?? r.warnings[0] ?? (r.decisions[0] ? r.decisions[0].message : undefined);
  if (e.message !== undefined) out['message'] = full?.includes(e.message) ? e.message : full;
  if (e.fullMessage !== undefined) out['fullMessage'] = full;
  if (e.auditAnnotations !== undefined) {
    out['auditAnnotations'] = Object.fromEntries(Object.entries(r.auditAnnotations).map(([k, v]) => [k, JSON.parse(v) as unknown]));
  }
  return out;
}

for (const name of readdirSync(root).filter((d) => /^\d\d-/.test(d)).sort()) {
  test(`vap ${name}`, () => {
    const dir = root + name;
    const env = new AdmissionEnvironment({
      policies: docs(dir, 'policy.yaml'),
      bindings: docs(dir, 'binding.yaml'),
      objects: [...docs(dir, 'params.yaml'), ...docs(dir, 'namespace.yaml')],
      userInfo: { username: 'bosun-tester', groups: ['system:authenticated'] },
    });
    assert.deepEqual(env.problems(), []);
    const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as Expected[];
    const resources = docs(dir, 'resources.yaml');
    assert.equal(resources.length, expected.length);
    resources.forEach((object, i) => {
      const e = expected[i]!;
      const want: Record<string, unknown> = { allowed: e.allowed };
      if (e.action !== undefined) want['action'] = e.action;
      if (e.actions !== undefined) want['actions'] = e.actions;
      if (e.message !== undefined) want['message'] = e.message;
      if (e.fullMessage !== undefined) want['fullMessage'] = e.fullMessage;
      if (e.auditAnnotations !== undefined) want['auditAnnotations'] = e.auditAnnotations;
      assert.deepEqual(outcome(env.admit(object), e), want, `${e.kind} ${e.namespace}/${e.name}`);
    });
  });
}

test('auditAnnotations: "<policy>/<key>" for string values, none for null, errors follow failurePolicy', () => {
  const policy = (failurePolicy: string): Obj => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'replica-audit' },
    spec: {
      failurePolicy,
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
      auditAnnotations: [
        { key: 'high-replica-count', valueExpression: "object.spec.replicas > 50 ? 'Deployment spec.replicas set to ' + string(object.spec.replicas) : null" },
        { key: 'team', valueExpression: 'object.metadata.labels.team' },
      ],
    },
  });
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'replica-audit', validationActions: ['Audit'] } };
  const deploy = (replicas: number, labels: Record<string, string>): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels }, spec: { replicas } });
  const env = new AdmissionEnvironment({ policies: [policy('Fail')], bindings: [binding] });
  const big = env.admit(deploy(100, { team: 'shop' }));
  assert.deepEqual([big.allowed, big.auditAnnotations], [true, { 'replica-audit/high-replica-count': 'Deployment spec.replicas set to 100', 'replica-audit/team': 'shop' }]);
  assert.deepEqual(env.admit(deploy(3, { team: 'shop' })).auditAnnotations, { 'replica-audit/team': 'shop' });
  const broken = env.admit(deploy(3, {}));
  assert.deepEqual(broken.decisions.map((d) => [d.type, d.message]), [['error', "expression 'object.metadata.labels.team' resulted in error: no such key: team"]]);
  assert.deepEqual(new AdmissionEnvironment({ policies: [policy('Ignore')], bindings: [binding] }).admit(deploy(3, {})).decisions, []);
});

test('kind → resource: CRDs in the inputs give plural and scope; matchPolicy Equivalent matches other groups of the same resource', () => {
  const policy = (resources: string[], groups: string[], matchPolicy?: string): Obj => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'p' },
    spec: { matchConstraints: { ...(matchPolicy !== undefined && { matchPolicy }), resourceRules: [{ apiGroups: groups, apiVersions: ['*'], operations: ['CREATE'], resources, scope: 'Cluster' }] }, validations: [{ expression: 'false', message: 'matched' }] },
  });
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } };
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'pandas.awesome.bears.com' }, spec: { group: 'awesome.bears.com', scope: 'Cluster', names: { kind: 'Panda', plural: 'pandas' } } };
  const panda = { apiVersion: 'awesome.bears.com/v1', kind: 'Panda', metadata: { name: 'po' } };
  assert.equal(new AdmissionEnvironment({ policies: [policy(['pandas'], ['awesome.bears.com'])], bindings: [binding], objects: [crd] }).admit(panda).allowed, false);
  assert.equal(new AdmissionEnvironment({ policies: [policy(['pandas'], ['awesome.bears.com'])], bindings: [binding], objects: [{ ...crd, spec: { ...crd.spec, scope: 'Namespaced' } }] }).admit({ ...panda, metadata: { name: 'po', namespace: 'zoo' } }).allowed, true, 'scope Cluster does not match a namespaced CRD');
  const old = { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' } };
  const rule = (mp?: string): Obj => ({ ...policy(['deployments'], ['apps'], mp), spec: { matchConstraints: { ...(mp !== undefined && { matchPolicy: mp }), resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }, validations: [{ expression: 'false' }] } });
  assert.equal(new AdmissionEnvironment({ policies: [rule()], bindings: [binding] }).admit(old).allowed, false, 'Equivalent is the default');
  assert.equal(new AdmissionEnvironment({ policies: [rule('Exact')], bindings: [binding] }).admit(old).allowed, true);
});
