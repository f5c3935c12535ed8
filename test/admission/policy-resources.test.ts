/**
 * Policies on resources other than pods reach a decision through the pipeline: a Service, and a
 * Namespace (cluster-scoped: request.namespace is ''), as the webhook configuration from
 * `bosun admission manifests` now sends them when policies match them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReview } from '../../src/admission/review.ts';
import { loadAdmissionPolicies } from '../../src/admission/policies.ts';
import { pipeline, review } from './helpers.ts';

const POLICIES = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-nodeport}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [services]}]
  validations: [{expression: "object.spec.type != 'NodePort'", message: NodePort Services are not allowed}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-nodeport}
spec: {policyName: no-nodeport, validationActions: [Deny]}
---
apiVersion: bosun.dev/v1
kind: Rule
metadata: {name: namespace-owner}
spec:
  title: Namespaces name their owner
  severity: high
  match: {kinds: [Namespace]}
  expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"
  message: a Namespace needs an owner label
`;

async function decide(object: Record<string, unknown>, over: Record<string, unknown> = {}) {
  const p = pipeline(undefined, { policies: [await loadAdmissionPolicies([{ name: 'policies.yaml', content: POLICIES }])] });
  return p.decide(decodeReview(review(object, over)).request);
}

const service = (type: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team' }, spec: { type, selector: { app: 'web' }, ports: [{ port: 80 }] } });

test('a policy on Services denies a NodePort Service and admits a ClusterIP one', async () => {
  const denied = await decide(service('NodePort'));
  assert.equal(denied.response.allowed, false);
  assert.match(denied.response.status!.message, /vap\/no-nodeport: NodePort Services are not allowed/);
  assert.equal(denied.skipped, undefined);
  const admitted = await decide(service('ClusterIP'));
  assert.equal(admitted.response.allowed, true, JSON.stringify(admitted.response));
});

test('a NodePort Service is judged on UPDATE too, with its old object', async () => {
  const r = await decide(service('NodePort'), { operation: 'UPDATE', oldObject: service('ClusterIP') });
  assert.equal(r.response.allowed, false);
});

test('a cluster-scoped Namespace (request.namespace is empty) is judged by a bosun Rule on Namespaces', async () => {
  const ns = (labels: Record<string, string>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b', labels } });
  const denied = await decide(ns({}), { namespace: '' });
  assert.equal(denied.response.allowed, false, JSON.stringify(denied.response));
  assert.match(denied.response.status!.message, /rule\/namespace-owner: a Namespace needs an owner label/);
  assert.match(denied.response.status!.message, /denied Namespace team-b/);
  const admitted = await decide(ns({ owner: 'team-b' }), { namespace: '' });
  assert.equal(admitted.response.allowed, true, JSON.stringify(admitted.response));
});
