/**
 * DELETE requests to ValidatingAdmissionPolicies as the API server makes them: `object` is null,
 * `oldObject` is what is being deleted (its kind, name, namespace and labels are what rules and
 * selectors match). Fast paths (raw mode, written-out functions) and cel-js's generic evaluation
 * give the same decisions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionEnvironment } from '../../src/policy/vap.ts';

type Obj = Record<string, unknown>;

function policy(name: string, operations: string[], expression: string, extra: Obj = {}): { policy: Obj; binding: Obj } {
  return {
    policy: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: ['', 'apps'], apiVersions: ['v1'], operations, resources: ['namespaces', 'deployments'] }], ...extra }, validations: [{ expression, message: name }] },
    },
    binding: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'] } },
  };
}

const PROTECTED_NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { protected: 'true' } } };
const PLAIN_NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch' } };
const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { tier: 'critical' } }, spec: { replicas: 3 } };

const POLICIES = [
  policy('no-delete-protected', ['DELETE'], "!has(oldObject.metadata.labels) || !('protected' in oldObject.metadata.labels)"),
  policy('object-is-null', ['DELETE'], "object == null && request.operation == 'DELETE' && request.name == oldObject.metadata.name"),
  policy('reads-object', ['DELETE'], "object.metadata.name != ''"),
  policy('selected', ['DELETE'], 'false', { objectSelector: { matchLabels: { tier: 'critical' } } }),
  policy('create-only', ['CREATE'], 'false'),
];

function environments(): AdmissionEnvironment[] {
  const options = { policies: POLICIES.map((p) => p.policy), bindings: POLICIES.map((p) => p.binding) };
  return [new AdmissionEnvironment(options), new AdmissionEnvironment({ ...options, cel: { fastPaths: false } })];
}

function denied(env: AdmissionEnvironment, old: Obj): string[] {
  return env.admit(null, { operation: 'DELETE', oldObject: old }).decisions.map((d) => `${d.policy}:${d.type}`).sort();
}

test('a DELETE is judged on oldObject; object is null; selectors read the old labels; CREATE-only policies stay out', () => {
  const [fast, generic] = environments();
  for (const env of [fast!, generic!]) {
    for (let round = 0; round < 3; round++) {
      const ns = denied(env, PROTECTED_NS);
      assert.ok(ns.includes('no-delete-protected:validation'), ns.join());
      assert.ok(!ns.some((d) => d.startsWith('object-is-null')), ns.join());
      // Reading object.metadata of a DELETE is an evaluation error (failurePolicy Fail: a denial), never a pass.
      assert.ok(ns.includes('reads-object:error'), ns.join());
      assert.ok(!ns.some((d) => d.startsWith('create-only') || d.startsWith('selected')), ns.join());
      assert.ok(!denied(env, PLAIN_NS).some((d) => d.startsWith('no-delete-protected')));
      assert.ok(denied(env, DEPLOY).some((d) => d.startsWith('selected')));
    }
  }
  for (const old of [PROTECTED_NS, PLAIN_NS, DEPLOY]) {
    assert.deepEqual(fast!.admit(null, { operation: 'DELETE', oldObject: old }), generic!.admit(null, { operation: 'DELETE', oldObject: old }));
  }
});

test('a request without object and without oldObject is a programming error, not a silent pass', () => {
  assert.throws(() => environments()[0]!.admit(null, { operation: 'DELETE' }), /needs oldObject/);
});
