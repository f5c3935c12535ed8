/**
 * ValidatingAdmissionPolicies in the webhook see the request the apiserver would give them, and
 * run on every request they match: the requester (request.userInfo), dry-run, uid, name,
 * subresource, and updates that leave the pod spec alone (labels, replicas) — where the built-in
 * checks, like Pod Security Admission, do not judge again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReview } from '../../src/admission/review.ts';
import { loadAdmissionPolicies } from '../../src/admission/policies.ts';
import { deployment, pipeline, pod, review } from './helpers.ts';

type Obj = Record<string, unknown>;

function vap(name: string, resources: string[], expression: string, message = name): { policy: Obj; binding: Obj } {
  return {
    policy: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['', 'apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources }] },
        validations: [{ expression, message }],
      },
    },
    binding: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `${name}-binding` }, spec: { policyName: name, validationActions: ['Deny'] } },
  };
}

/** A webhook pipeline with these policies (loaded as `bosun admission serve` loads them) and the default built-in policy. */
async function withPolicies(...vaps: Array<{ policy: Obj; binding: Obj }>) {
  const content = vaps.flatMap((v) => [JSON.stringify(v.policy), JSON.stringify(v.binding)]).join('\n---\n');
  return pipeline(undefined, { policies: [await loadAdmissionPolicies([{ name: 'policies.yaml', content }])] });
}

async function decide(p: Promise<ReturnType<typeof pipeline>> | ReturnType<typeof pipeline>, body: string) {
  return (await p).decide(decodeReview(body).request);
}

const labelled = (d: Obj, labels: Record<string, string>): Obj => ({ ...d, metadata: { ...(d['metadata'] as Obj), labels } });
const APP = deployment({ containers: [{ name: 'app', image: 'registry.example.com/app:1' }] });

test('an update that only removes a label is judged by a policy on labels; the built-ins stay not re-judged', async () => {
  const p = withPolicies(vap('require-team', ['deployments'], "has(object.metadata.labels) && 'team' in object.metadata.labels"));
  const before = labelled(APP, { team: 'a' });
  const r = await decide(p, review(APP, { operation: 'UPDATE', oldObject: before }));
  assert.equal(r.response.allowed, false);
  assert.match(r.response.status!.message, /vap\/require-team/);
  assert.equal(r.skipped, 'pod spec unchanged');
  // The same update keeping the label is admitted.
  assert.equal((await decide(p, review(before, { operation: 'UPDATE', oldObject: before }))).response.allowed, true);
});

test('an update that only scales up is judged by a policy on replicas, and oldObject is the old one', async () => {
  const p = withPolicies(vap('max-growth', ['deployments'], 'request.operation != "UPDATE" || object.spec.replicas <= oldObject.spec.replicas + 2'));
  const scaled = { ...APP, spec: { ...(APP['spec'] as Obj), replicas: 50 } };
  assert.equal((await decide(p, review(scaled, { operation: 'UPDATE', oldObject: APP }))).response.allowed, false);
  const nudged = { ...APP, spec: { ...(APP['spec'] as Obj), replicas: 3 } };
  assert.equal((await decide(p, review(nudged, { operation: 'UPDATE', oldObject: APP }))).response.allowed, true);
});

test('a policy on an object being deleted still runs, as the apiserver runs it', async () => {
  const p = withPolicies(vap('require-team', ['deployments'], "has(object.metadata.labels) && 'team' in object.metadata.labels"));
  const deleting = { ...APP, metadata: { ...(APP['metadata'] as Obj), deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [] } };
  const r = await decide(p, review(deleting, { operation: 'UPDATE', oldObject: { ...deleting, metadata: { ...(deleting['metadata'] as Obj), finalizers: ['x'] } } }));
  assert.equal(r.skipped, 'object is being deleted');
  assert.equal(r.response.allowed, false);
});

test('request.userInfo is the requester of the review, not a fixed user', async () => {
  const p = withPolicies(vap('only-ci', ['pods'], "request.userInfo.username == 'system:serviceaccount:ci:deployer' || 'ci-admins' in request.userInfo.groups"));
  const asUser = (userInfo: Obj) => review(pod({ containers: [{ name: 'app', image: 'x' }] }), { userInfo });
  assert.equal((await decide(p, asUser({ username: 'system:serviceaccount:ci:deployer' }))).response.allowed, true);
  assert.equal((await decide(p, asUser({ username: 'mallory', groups: ['ci-admins', 'system:authenticated'] }))).response.allowed, true);
  assert.equal((await decide(p, asUser({ username: 'mallory', groups: ['system:authenticated'] }))).response.allowed, false);
  // Malformed userInfo reads as absent fields, never as another user.
  assert.equal((await decide(p, asUser({ username: 7, groups: 'ci-admins' }))).response.allowed, false);
  const extra = withPolicies(vap('extra', ['pods'], "!('__proto__' in request.userInfo.extra) || request.userInfo.extra['__proto__'] == ['x']"));
  assert.equal((await decide(extra, review(pod({ containers: [{ name: 'app', image: 'x' }] }), { userInfo: JSON.parse('{"username":"a","extra":{"__proto__":["x"]}}') }))).response.allowed, true);
});

test('request.dryRun, request.uid, request.name and request.subResource are the review\'s', async () => {
  const p = withPolicies(vap('fields', ['pods', 'pods/ephemeralcontainers'], "request.dryRun && request.uid == 'u-1' && request.name == 'p' && request.namespace == 'team'"));
  const body = (over: Obj) => review(pod({ containers: [{ name: 'app', image: 'x' }] }), { uid: 'u-1', name: 'p', ...over });
  assert.equal((await decide(p, body({ dryRun: true }))).response.allowed, true);
  assert.equal((await decide(p, body({ dryRun: false }))).response.allowed, false);
  const sub = withPolicies(vap('sub', ['pods/ephemeralcontainers'], "request.subResource == 'ephemeralcontainers' && request.requestSubResource == 'ephemeralcontainers'"));
  const old = pod({ containers: [{ name: 'app', image: 'x' }] });
  assert.equal((await decide(sub, review(old, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: old }))).response.allowed, true);
});

test('subresource requests match rules as the apiserver matches them', async () => {
  const old = pod({ containers: [{ name: 'app', image: 'x' }] });
  const debugged = pod({ containers: [{ name: 'app', image: 'x' }], ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] });
  const ephemeral = review(debugged, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: old });
  const plain = review(debugged, { operation: 'CREATE' });
  const denyAll = (resources: string[]) => withPolicies(vap('deny', resources, 'false'));
  // [resources entry, matches the pods/ephemeralcontainers request, matches a plain pods request]
  const table: Array<[string, boolean, boolean]> = [
    ['pods', false, true],
    ['*', false, true],
    ['pods/ephemeralcontainers', true, false],
    ['pods/*', true, true],
    ['*/ephemeralcontainers', true, false],
    ['*/*', true, true],
    ['pods/status', false, false],
    ['deployments/*', false, false],
  ];
  for (const [entry, onSub, onMain] of table) {
    assert.equal((await decide(denyAll([entry]), ephemeral)).response.allowed, !onSub, `${entry} on pods/ephemeralcontainers`);
    assert.equal((await decide(denyAll([entry]), plain)).response.allowed, !onMain, `${entry} on pods`);
  }
});

test('a changed seccomp or AppArmor annotation of the pod template is judged again', async () => {
  const annotated = (annotations: Record<string, string>): Obj => {
    const spec = APP['spec'] as Obj;
    const template = spec['template'] as Obj;
    return { ...APP, spec: { ...spec, template: { ...template, metadata: { ...(template['metadata'] as Obj), annotations } } } };
  };
  const p = pipeline();
  const unconfined = annotated({ 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' });
  const r = await p.decide(decodeReview(review(unconfined, { operation: 'UPDATE', oldObject: APP })).request);
  assert.equal(r.skipped, undefined);
  assert.equal(r.response.allowed, false);
  assert.match(r.response.status!.message, /pss\/appArmorProfile/);
  // Other template annotations (kubectl rollout restart's) leave it not re-judged.
  const restarted = annotated({ 'kubectl.kubernetes.io/restartedAt': '2026-11-29T00:00:00Z' });
  const privileged = deployment({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] });
  const restartedPrivileged = { ...privileged, spec: { ...(privileged['spec'] as Obj), template: { ...((restarted['spec'] as Obj)['template'] as Obj), spec: ((privileged['spec'] as Obj)['template'] as Obj)['spec'] } } };
  const s = await p.decide(decodeReview(review(restartedPrivileged, { operation: 'UPDATE', oldObject: privileged })).request);
  assert.equal(s.skipped, 'pod spec unchanged');
  assert.equal(s.response.allowed, true);
});

function withSelectors(selectors: { namespaceSelector?: Obj; objectSelector?: Obj }, expression = 'false') {
  const v = vap('selected', ['deployments', 'pods'], expression);
  const spec = v.policy['spec'] as Obj;
  spec['matchConstraints'] = { ...(spec['matchConstraints'] as Obj), ...selectors };
  return v;
}

test('namespaceSelector and namespaceObject read the namespace labels the webhook keeps from the cluster', async () => {
  const labels: Record<string, Record<string, string>> = { prod: { env: 'prod', team: 'a' }, dev: { env: 'dev' } };
  const content = (v: { policy: Obj; binding: Obj }) => [JSON.stringify(v.policy), JSON.stringify(v.binding)].join('\n---\n');
  const make = async (v: { policy: Obj; binding: Obj }) => pipeline(undefined, { policies: [await loadAdmissionPolicies([{ name: 'p.yaml', content: content(v) }])], namespaceLabels: (ns) => labels[ns] });
  const inNamespace = (ns: string) => review({ ...APP, metadata: { name: 'web', namespace: ns } }, { namespace: ns });
  const selected = await make(withSelectors({ namespaceSelector: { matchLabels: { env: 'prod' } } }));
  assert.equal((await decide(selected, inNamespace('prod'))).response.allowed, false);
  assert.equal((await decide(selected, inNamespace('dev'))).response.allowed, true);
  const reads = await make(vap('ns-object', ['deployments'], "namespaceObject.metadata.labels['team'] == 'a' && namespaceObject.metadata.name == 'prod'"));
  assert.equal((await decide(reads, inNamespace('prod'))).response.allowed, true);
  assert.equal((await decide(reads, inNamespace('dev'))).response.allowed, false);
  const loaded = await loadAdmissionPolicies([{ name: 'p.yaml', content: content(withSelectors({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } })) }]);
  assert.deepEqual(loaded.selectsNamespaces, ['ValidatingAdmissionPolicy selected']);
  const byName = await loadAdmissionPolicies([{ name: 'p.yaml', content: content(withSelectors({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } })) }]);
  assert.deepEqual(byName.selectsNamespaces, []);
});

test('on UPDATE an objectSelector matches the old object too: dropping the label in the same update does not escape the policy', async () => {
  const p = await withPolicies(withSelectors({ objectSelector: { matchLabels: { security: 'strict' } } }));
  const strict = labelled(APP, { security: 'strict' });
  assert.equal((await decide(p, review(APP, { operation: 'UPDATE', oldObject: strict }))).response.allowed, false);
  assert.equal((await decide(p, review(strict, { operation: 'UPDATE', oldObject: APP }))).response.allowed, false);
  assert.equal((await decide(p, review(APP, { operation: 'UPDATE', oldObject: APP }))).response.allowed, true);
  assert.equal((await decide(p, review(APP))).response.allowed, true);
});

test('a DELETE is judged by the policies that ask for it: object null, oldObject what is deleted; without policies it is admitted unevaluated', async () => {
  const protect = vap('protect', ['deployments'], "!has(oldObject.metadata.labels) || oldObject.metadata.labels['protected'] != 'true'");
  (((protect.policy['spec'] as Obj)['matchConstraints'] as Obj)['resourceRules'] as Obj[])[0]!['operations'] = ['DELETE'];
  const p = await withPolicies(protect);
  const protectedApp = labelled(APP, { protected: 'true' });
  const del = (old: Obj | null) => review(null as unknown as Obj, { operation: 'DELETE', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, name: 'web', object: null, oldObject: old });
  const denied = await decide(p, del(protectedApp));
  assert.equal(denied.response.allowed, false);
  assert.match(denied.response.status!.message, /bosun denied Deployment team\/web: vap\/protect/);
  assert.equal((await decide(p, del(APP))).response.allowed, true);
  // A privileged Deployment may still be deleted: the built-in checks judge what would run.
  const privileged = deployment({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] });
  assert.equal((await decide(p, del(privileged))).response.allowed, true);
  const missing = await decide(p, del(null));
  assert.equal(missing.response.allowed, false);
  assert.equal(missing.response.status!.code, 400);
  const none = await pipeline().decide(decodeReview(del(protectedApp)).request);
  assert.deepEqual([none.response.allowed, none.skipped], [true, 'DELETE is not evaluated']);
});

test('rules match the resource the API server names in the review, not a guess from the kind (a CRD whose plural is irregular)', async () => {
  const v = vap('people', ['people'], 'false');
  (((v.policy['spec'] as Obj)['matchConstraints'] as Obj)['resourceRules'] as Obj[])[0]!['apiGroups'] = ['example.com'];
  const p = await withPolicies(v);
  const person = { apiVersion: 'example.com/v1', kind: 'Person', metadata: { name: 'ann', namespace: 'team' }, spec: {} };
  const body = review(person, { resource: { group: 'example.com', version: 'v1', resource: 'people' } });
  const r = await decide(p, body);
  assert.equal(r.response.allowed, false);
  assert.match(r.response.status!.message, /vap\/people/);
});

test('CONNECT and subresources are judged by the policies that match them: exec kept to a group, scale kept under a limit', async () => {
  const exec = vap('exec-sre-only', ['pods/exec'], "request.userInfo.groups.exists(g, g == 'sre') && object.kind == 'PodExecOptions'");
  (((exec.policy['spec'] as Obj)['matchConstraints'] as Obj)['resourceRules'] as Obj[])[0]!['operations'] = ['CONNECT'];
  const scale = vap('scale-limit', ['deployments/scale'], 'object.spec.replicas <= 10');
  const p = await withPolicies(exec, scale);
  const execReview = (groups: string[]) =>
    review({ apiVersion: 'v1', kind: 'PodExecOptions', command: ['sh'], container: 'app', stdin: true, tty: true }, {
      operation: 'CONNECT', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, resource: { group: '', version: 'v1', resource: 'pods' }, subResource: 'exec', name: 'web-1', userInfo: { username: 'u', groups },
    });
  const denied = await decide(p, execReview(['dev']));
  assert.equal(denied.response.allowed, false);
  assert.match(denied.response.status!.message, /vap\/exec-sre-only/);
  assert.equal((await decide(p, execReview(['sre']))).response.allowed, true);
  const scaleReview = (replicas: number) =>
    review({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'team' }, spec: { replicas } }, {
      operation: 'UPDATE', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, subResource: 'scale', name: 'web',
      oldObject: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'team' }, spec: { replicas: 2 } },
    });
  assert.equal((await decide(p, scaleReview(50))).response.allowed, false);
  assert.equal((await decide(p, scaleReview(5))).response.allowed, true);
  // Without policies these are still admitted unevaluated.
  const none = await pipeline().decide(decodeReview(execReview(['dev'])).request);
  assert.deepEqual([none.response.allowed, none.skipped], [true, 'CONNECT is not evaluated']);
});
