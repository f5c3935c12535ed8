/** The webhook's rules for what policies match: merged, without what the pod-bearing rules already send, and with a note for what cannot be sent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicySet } from '../../src/policy/policy-set.ts';
import { policyWebhookRules } from '../../src/admission/webhook-rules.ts';

function vap(name: string, resourceRules: unknown[]): string {
  return [
    JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { matchConstraints: { resourceRules }, validations: [{ expression: 'true' }] } }),
    JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'] } }),
  ].join('\n---\n');
}
const rule = (name: string, match: Record<string, unknown>, podSpec = false): string =>
  JSON.stringify({ apiVersion: 'bosun.dev/v1', kind: 'Rule', metadata: { name }, spec: { title: name, severity: 'high', match, podSpec, expression: 'true' } });

async function derive(...docs: string[]) {
  return policyWebhookRules(await loadPolicySet([{ name: 'p.yaml', content: docs.join('\n---\n') }]));
}

test('pod-bearing resources already sent add nothing; others are merged by group, version, operations and scope', async () => {
  const { rules, notes } = await derive(
    vap('workloads', [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets'] }]),
    vap('net', [
      { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['ingresses'], scope: 'Namespaced' },
      { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['networkpolicies', 'ingresses'], scope: 'Namespaced' },
    ]),
    vap('rbac', [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['*'], resources: ['rolebindings', 'clusterrolebindings/*'] }]),
  );
  assert.deepEqual(rules, [
    { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['ingresses', 'networkpolicies'], scope: 'Namespaced' },
    { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'], resources: ['rolebindings', 'clusterrolebindings/*'], scope: '*' },
  ]);
  assert.deepEqual(notes, []);
});

test('a policy\'s rule is sent as written: DELETE, CONNECT and subresources too (policies judge them); the admissionregistration group is left out, with a note', async () => {
  const { rules, notes } = await derive(
    vap('deletes', [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['secrets'] }]),
    vap('connects', [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CONNECT'], resources: ['pods/exec', 'pods/attach'] }]),
    vap('scale', [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/scale'] }]),
    vap('self', [{ apiGroups: ['admissionregistration.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['validatingwebhookconfigurations'] }]),
  );
  assert.deepEqual(rules, [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['secrets'], scope: '*' },
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CONNECT'], resources: ['pods/exec', 'pods/attach'], scope: '*' },
    { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/scale'], scope: '*' },
  ]);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /admissionregistration\.k8s\.io objects are never sent/);
});

test('bosun Rules: built-in kinds become resources with their scope; unknown kinds and match-everything rules get a note', async () => {
  const { rules, notes } = await derive(
    rule('ingress-and-crb', { kinds: ['Ingress', 'ClusterRoleBinding', 'Deployment'] }),
    rule('custom', { kinds: ['Certificate'] }),
    rule('anything', {}),
    rule('pods-only', {}, true),
    rule('wrong-group', { kinds: ['Service'], apiGroups: ['example.com'] }),
  );
  assert.deepEqual(rules, [
    { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'], scope: 'Namespaced' },
    { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['clusterrolebindings'], scope: 'Cluster' },
  ]);
  assert.equal(notes.length, 3);
  assert.match(notes[0]!, /Rule custom: kind Certificate is not a built-in kind/);
  assert.match(notes[1]!, /Rule anything matches every kind/);
  assert.match(notes[2]!, /Rule wrong-group: kind Service is in API group ""/);
});
