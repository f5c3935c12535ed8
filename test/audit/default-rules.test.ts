/** bosun's own audit rules: one event that each rule must catch (first match), and near misses it must not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/audit/engine.ts';
import { loadRules } from '../../src/audit/loader.ts';
import { DEFAULT_RULES_NAME, DEFAULT_RULES_YAML } from '../../src/audit/default-rules.ts';
import { event } from './helpers.ts';

const engine = createEngine(loadRules([{ name: DEFAULT_RULES_NAME, text: DEFAULT_RULES_YAML }]), { hostname: 'h', utc: true });
const first = (fields: Record<string, unknown>): string => engine.process(event(fields)).map((a) => a.rule).join(', ') || '-';

const ok = { responseStatus: { code: 201 } };
const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...ok, verb: 'create', user: { username: 'system:serviceaccount:kube-system:replicaset-controller' }, objectRef: { resource: 'pods', namespace: 'prod' }, requestObject: { spec: { containers: [{ name: 'c', image: 'nginx:1' }], ...spec } }, ...extra });

test('each default rule catches its event', () => {
  const table: [string, Record<string, unknown>][] = [
    ['Anonymous Request Allowed', { verb: 'get', requestURI: '/api/v1/secrets', user: { username: 'system:anonymous' }, annotations: { 'authorization.k8s.io/decision': 'allow' } }],
    ['Exec or Attach into Pod', { stage: 'ResponseStarted', verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'pods', subresource: 'exec', name: 'p' }, requestURI: '/api/v1/namespaces/x/pods/p/exec?command=sh' }],
    ['Port-forward into Pod', { stage: 'ResponseStarted', verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'pods', subresource: 'portforward', name: 'p' } }],
    ['Ephemeral Container Added', { ...ok, verb: 'patch', user: { username: 'alice' }, objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', name: 'p' }, requestObject: { spec: { ephemeralContainers: [{ name: 'debug', image: 'busybox' }] } } }],
    ['Privileged Pod Created', pod({ initContainers: [{ name: 'i', image: 'x', securityContext: { privileged: true } }] })],
    ['Pod With Sensitive Host Mount Created', pod({ volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] })],
    ['Pod With HostPath Volume Created', pod({ volumes: [{ name: 'data', hostPath: { path: '/data' } }] })],
    ['Pod Sharing Host Namespaces Created', pod({ hostPID: true })],
    ['Pod Created in System Namespace', pod({}, { user: { username: 'alice' }, objectRef: { resource: 'pods', namespace: 'kube-system' } })],
    ['ClusterRole or Role With Wildcard Created', { ...ok, verb: 'create', user: { username: 'system:admin' }, objectRef: { resource: 'clusterroles', name: 'r' }, requestObject: { rules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] } }],
    ['ClusterRole or Role With Write Privileges Created', { ...ok, verb: 'create', user: { username: 'system:admin' }, objectRef: { resource: 'roles', name: 'r', namespace: 'prod' }, requestObject: { rules: [{ resources: ['pods'], verbs: ['escalate'] }] } }],
    ['ClusterRole or Role With Pod Exec Created', { ...ok, verb: 'patch', user: { username: 'system:admin' }, objectRef: { resource: 'roles', name: 'r' }, requestObject: { rules: [{ resources: ['pods/exec'], verbs: ['get'] }] } }],
    ['Binding to cluster-admin Created', { ...ok, verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'rolebindings', name: 'b', namespace: 'prod' }, requestObject: { roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'eve' }] } }],
    ['System ClusterRole Modified or Deleted', { ...ok, verb: 'delete', user: { username: 'alice' }, objectRef: { resource: 'clusterroles', name: 'system:node' } }],
    ['Secret Read by User', { responseStatus: { code: 200 }, verb: 'get', user: { username: 'alice' }, objectRef: { resource: 'secrets', name: 's', namespace: 'prod' } }],
    ['Secret Access Denied', { responseStatus: { code: 403 }, verb: 'list', user: { username: 'system:serviceaccount:x:y' }, objectRef: { resource: 'secrets', namespace: 'prod' } }],
    ['ConfigMap With Credentials', { ...ok, verb: 'update', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'configmaps', name: 'c', namespace: 'prod' }, requestObject: { data: { 'app.ini': 'DB_PASSWORD=hunter2' } } }],
    ['NodePort Service Created', { ...ok, verb: 'create', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'services', name: 's' }, requestObject: { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } } }],
    ['Ingress Without TLS Created', { ...ok, verb: 'create', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'ingresses', name: 'i' }, requestObject: { spec: { rules: [] } } }],
    ['Namespace Created or Deleted', { ...ok, verb: 'create', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'namespaces', name: 'n' } }],
    ['Service Account Created in System Namespace', { ...ok, verb: 'create', user: { username: 'system:admin' }, objectRef: { resource: 'serviceaccounts', name: 'backdoor', namespace: 'kube-system' } }],
    ['System Namespace Object Changed by User', { ...ok, verb: 'patch', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'daemonsets', name: 'd', namespace: 'kube-system' } }],
    ['Impersonated Request', { ...ok, verb: 'get', user: { username: 'kubernetes-admin' }, impersonatedUser: { username: 'eve' }, objectRef: { resource: 'pods' } }],
    ['Pod Security Violation Audited', { ...ok, verb: 'create', user: { username: 'system:serviceaccount:kube-system:replicaset-controller' }, objectRef: { resource: 'pods' }, annotations: { 'pod-security.kubernetes.io/audit-violations': 'would violate PodSecurity "restricted:latest"' } }],
    ['Request by Unexpected User', { ...ok, verb: 'get', user: { username: 'mallory' }, objectRef: { resource: 'pods' } }],
  ];
  for (const [rule, fields] of table) assert.equal(first(fields), rule, rule);
  assert.equal(table.length, 25);
});

test('near misses stay quiet', () => {
  const quiet: [string, Record<string, unknown>][] = [
    ['anonymous health check', { verb: 'get', requestURI: '/healthz', user: { username: 'system:anonymous' }, annotations: { 'authorization.k8s.io/decision': 'allow' } }],
    ['anonymous request denied', { verb: 'get', requestURI: '/api', user: { username: 'system:anonymous' }, annotations: { 'authorization.k8s.io/decision': 'forbid' } }],
    ['trusted privileged image', pod({ containers: [{ name: 'c', image: 'registry.k8s.io/kube-proxy:v1.30.0', securityContext: { privileged: true } }] })],
    ['unprivileged pod by a controller', pod({})],
    ['ingress with TLS', { ...ok, verb: 'create', user: { username: 'kubernetes-admin' }, objectRef: { resource: 'ingresses', name: 'i' }, requestObject: { spec: { tls: [{ hosts: ['a'] }] } } }],
    ['lease renewal', { responseStatus: { code: 200 }, verb: 'update', user: { username: 'system:kube-scheduler' }, objectRef: { resource: 'leases', namespace: 'kube-system' } }],
    ['exec at ResponseComplete (counted once, at ResponseStarted)', { verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'pods', subresource: 'exec' } }],
  ];
  for (const [what, fields] of quiet) assert.equal(first(fields), what.startsWith('exec') ? 'Request by Unexpected User' : '-', what);
});
