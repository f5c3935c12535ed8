/** ka.*, jevt.* and evt.* fields: the plugins' semantics and quirks (reference §3), one table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELDS, parseFieldArg, queryParam, type FieldContext, type FieldValue } from '../../src/audit/fields.ts';
import type { AuditEvent } from '../../src/audit/event.ts';
import { compact, indentJson, locate } from '../../src/audit/json-text.ts';
import { event } from './helpers.ts';

function field(name: string, ev: AuditEvent, arg?: string): FieldValue {
  const def = FIELDS.get(name);
  assert.ok(def !== undefined, `unknown field ${name}`);
  const a = parseFieldArg(def, arg);
  assert.ok(a.ok, `bad arg for ${name}`);
  const ctx: FieldContext = { ev, hostname: 'host-1', startNs: 1704164645000000000n, utc: true };
  return def.extract(ctx, a.value);
}

const pod = {
  verb: 'create',
  user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
  objectRef: { resource: 'pods', namespace: 'prod', name: 'web' },
  requestURI: '/api/v1/namespaces/prod/pods/web/exec?command=sh&command=-c&container=app&x=%41+b',
  responseStatus: { code: 201 },
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '', cluster_name: 'c1' },
  responseObject: { metadata: { name: 'web' } },
  requestObject: {
    metadata: { name: 'web' },
    spec: {
      hostNetwork: true,
      runAsUser: 7,
      securityContext: { runAsUser: 1000, supplementalGroups: [1, 2] },
      containers: [
        { name: 'app', image: 'localhost:5000/app:1.0', command: ['sh', '-c'], args: ['run'], ports: [{ containerPort: 80 }, { containerPort: 8080, hostPort: 9090 }], securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } } },
        { name: 'side', image: 'busybox@sha256:abc', runAsUser: 5, securityContext: { allowPrivilegeEscalation: false } },
      ],
      initContainers: [{ name: 'init', image: 'alpine:3' }],
      volumes: [{ name: 'root', hostPath: { path: '/etc/kubernetes' } }, { name: 'cfg', configMap: { name: 'x' } }, { name: 'fv', flexVolume: { driver: 'd1' } }],
      ports: [{ port: 80 }],
      type: 'NodePort',
    },
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get'], sourceIPs: ['1.2.3.4'] }, { verbs: ['*'], resources: ['secrets'] }],
    subjects: [{ kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, { kind: 'Group', name: 'devs' }, { kind: 'User' }],
    roleRef: { name: 'cluster-admin' },
    data: { password: 'x' },
  },
};

test('ka.* fields on a rich event: values, lists, quirks', () => {
  const ev = event(pod);
  const table: [string, string | undefined, FieldValue][] = [
    ['ka.auditid', undefined, 'a1'],
    ['ka.stage', undefined, 'ResponseComplete'],
    ['ka.auth.decision', undefined, 'allow'],
    ['ka.auth.reason', undefined, ''],
    ['ka.cluster.name', undefined, 'c1'],
    ['ka.user.name', undefined, 'alice'],
    ['ka.user.groups', undefined, ['dev', 'system:authenticated']],
    ['ka.impuser.name', undefined, undefined],
    ['ka.verb', undefined, 'create'],
    ['ka.uri.param', 'command', 'sh'],
    ['ka.uri.param', 'x', 'A b'],
    ['ka.uri.param', 'missing', undefined],
    ['ka.target.pod.name', undefined, 'web'],
    ['ka.resp.name', undefined, 'web'],
    ['ka.response.code', undefined, '201'],
    ['ka.req.pod.containers.name', undefined, ['app', 'side']],
    ['ka.req.pod.containers.image', undefined, ['localhost:5000/app:1.0', 'busybox@sha256:abc']],
    // Upstream cuts at the first ':' (so a registry port is lost), then at '@'.
    ['ka.req.pod.containers.image.repository', undefined, ['localhost', 'busybox@sha256'.split('@')[0]!]],
    ['ka.req.pod.containers.image', '1', ['busybox@sha256:abc']],
    ['ka.req.pod.containers.command', undefined, ['sh -c']],
    ['ka.req.pod.containers.args', undefined, ['run']],
    ['ka.req.pod.containers.host_port', undefined, ['80', '9090']],
    ['ka.req.pod.containers.privileged', undefined, ['true']],
    ['ka.req.pod.containers.allow_privilege_escalation', undefined, ['false']],
    // Quirk: the capabilities array is one value per container, its JSON text.
    ['ka.req.pod.containers.add_capabilities', undefined, ['["NET_ADMIN","SYS_TIME"]']],
    // Quirk: containers[i].runAsUser, else spec.runAsUser, else "0" (securityContext is not read).
    ['ka.req.pod.containers.eff_run_as_user', undefined, ['7', '5']],
    ['ka.req.pod.containers.eff_run_as_group', undefined, ['0', '0']],
    ['ka.req.pod.initContainers.image', undefined, ['alpine:3']],
    ['ka.req.pod.ephemeralContainers.image', undefined, undefined],
    ['ka.req.container.image', undefined, 'localhost:5000/app:1.0'],
    ['ka.req.container.image.repository', undefined, 'localhost'],
    ['ka.req.container.privileged', undefined, 'true'],
    ['ka.req.pod.host_network', undefined, 'true'],
    ['ka.req.container.host_network', undefined, 'true'],
    ['ka.req.pod.host_pid', undefined, undefined],
    ['ka.req.pod.run_as_user', undefined, '1000'],
    ['ka.req.pod.supplemental_groups', undefined, ['1', '2']],
    ['ka.req.pod.volumes.hostpath', undefined, ['/etc/kubernetes']],
    ['ka.req.pod.volumes.flexvolume_driver', undefined, ['d1']],
    ['ka.req.pod.volumes.volume_type', undefined, ['hostPath', 'configMap', 'flexVolume']],
    // Quirk: only volume 0 is looked at; a trailing * matches a prefix.
    ['ka.req.volume.hostpath', '/etc*', 'true'],
    ['ka.req.volume.hostpath', '/etc', 'false'],
    // Quirk: one value, the JSON of the whole ports array.
    ['ka.req.service.ports', undefined, ['[{"port":80}]']],
    ['ka.req.service.type', undefined, 'NodePort'],
    ['ka.req.role.rules.verbs', undefined, ['get', '*']],
    ['ka.req.role.rules.resources', '1', ['secrets']],
    ['ka.req.role.rules.apiGroups', undefined, ['']],
    ['ka.req.role.rules', undefined, ['{"apiGroups":[""],"resources":["pods","pods/exec"],"verbs":["get"],"sourceIPs":["1.2.3.4"]}', '{"verbs":["*"],"resources":["secrets"]}']],
    // Quirk: sourceIPs of the request object's rules, not the event's.
    ['ka.sourceips', undefined, ['1.2.3.4']],
    ['ka.req.binding.role', undefined, 'cluster-admin'],
    ['ka.req.binding.subjects.user_names', undefined, ['bob']],
    ['ka.req.binding.subjects.serviceaccount_names', undefined, ['sa']],
    ['ka.req.binding.subjects.serviceaccount_ns_names', undefined, ['ns:sa']],
    ['ka.req.binding.subjects.group_names', undefined, ['devs']],
    ['ka.req.binding.subject.has_name', 'anything', 'true'],
    ['ka.req.configmap.name', undefined, 'web'],
    ['ka.req.configmap.obj', undefined, '{"password":"x"}'],
  ];
  for (const [name, arg, want] of table) assert.deepEqual(field(name, ev, arg), want, `${name}${arg === undefined ? '' : `[${arg}]`}`);
});

test('strict list fields fail as a whole when one element lacks the key; skip-nil fields drop it', () => {
  const ev = event({ requestObject: { spec: { containers: [{ image: 'a' }, { name: 'no-image', securityContext: { privileged: false } }, {}] } } });
  assert.equal(field('ka.req.pod.containers.image', ev), undefined);
  assert.deepEqual(field('ka.req.pod.containers.privileged', ev), ['false']);
});

test('values: strings raw, null is "null", big and fractional numbers keep their text, objects keep key order and escapes', () => {
  const raw = '{"kind":"Event","auditID":"x","stage":"ResponseComplete","stageTimestamp":"2024-01-02T03:04:05Z","user":{"username":null},"requestObject":{"data":{"b":"\\u003cscript\\u003e","2":"two","1":1.50}},"responseStatus":{"code":12345678901234567890},"x":{"f":1.50}}';
  const obj = JSON.parse(raw) as Record<string, unknown>;
  const ev: AuditEvent = { obj, raw, timeNs: 1n, num: 1 };
  assert.equal(field('ka.user.name', ev), 'null');
  assert.equal(field('ka.response.code', ev), '12345678901234567890');
  assert.equal(field('jevt.value', ev, '/x/f'), '1.50');
  // JSON.stringify would reorder "1"/"2" before "b", drop \u003c and print 1.5.
  assert.equal(field('ka.req.configmap.obj', ev), '{"b":"\\u003cscript\\u003e","2":"two","1":1.50}');
  assert.equal(field('jevt.value', ev, '/requestObject/data/b'), '<script>');
});

test('no auditID: every ka.* field is absent, jevt.* still works', () => {
  const ev = event({ verb: 'get' });
  delete (ev.obj as Record<string, unknown>)['auditID'];
  ev.raw = JSON.stringify(ev.obj);
  assert.equal(field('ka.verb', ev), undefined);
  assert.equal(field('jevt.value', ev, '/verb'), 'get');
});

test('jevt.value pointers (RFC 6901), jevt.obj (Go json.Indent), jevt.rawtime', () => {
  const ev = event({ annotations: { 'a/b': 'slash', 'c~d': 'tilde' }, items: [{ x: 1 }], empty: {}, list: [] });
  assert.equal(field('jevt.value', ev, '/annotations/a~1b'), 'slash');
  assert.equal(field('jevt.value', ev, 'annotations/c~0d'), 'tilde');
  assert.equal(field('jevt.value', ev, '/items/0/x'), '1');
  assert.equal(field('jevt.value', ev, '/items/1'), undefined);
  assert.equal(field('jevt.value', ev, '/toString'), undefined);
  assert.equal(field('jevt.rawtime', ev), '1704164645123456789');
  const small = event({});
  small.obj = { a: [], b: {}, c: [1, { d: 'e' }] };
  small.raw = JSON.stringify(small.obj);
  assert.equal(field('jevt.obj', small), '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "e"\n    }\n  ]\n}');
  assert.equal(field('json.value', small, ''), '{"a":[],"b":{},"c":[1,{"d":"e"}]}');
});

test('evt.* fields', () => {
  const ev = event({});
  assert.equal(field('evt.time', ev), '03:04:05.123456789');
  assert.equal(field('evt.time.s', ev), '03:04:05');
  assert.equal(field('evt.time.iso8601', ev), '2024-01-02T03:04:05.123456789Z');
  assert.equal(field('evt.datetime', ev), '2024-01-02 03:04:05.123456789');
  assert.equal(field('evt.rawtime', ev), '1704164645123456789');
  assert.equal(field('evt.rawtime.s', ev), '1704164645');
  assert.equal(field('evt.rawtime.ns', ev), '123456789');
  assert.equal(field('evt.reltime', ev), '123456789');
  assert.equal(field('evt.num', ev), '1');
  assert.equal(field('evt.source', ev), 'k8s_audit');
  assert.equal(field('evt.pluginname', ev), 'k8saudit');
  assert.equal(field('evt.hostname', ev), 'host-1');
});

test('query parameters decode like Go url.ParseQuery', () => {
  assert.equal(queryParam('/x?a=1&a=2', 'a'), '1');
  assert.equal(queryParam('/x?a=%zz&a=2', 'a'), '2');
  assert.equal(queryParam('/x?a;b=1&a=3', 'a'), '3');
  assert.equal(queryParam('/x?c=hello+world%21#frag', 'c'), 'hello world!');
  assert.equal(queryParam('/x', 'a'), undefined);
});

test('field arguments: index must be a number, key fields require one, others take none', () => {
  assert.deepEqual(parseFieldArg(FIELDS.get('ka.req.pod.containers.image')!, 'x'), { ok: false, error: "field 'ka.req.pod.containers.image' has an invalid index argument 'x'" });
  assert.equal(parseFieldArg(FIELDS.get('jevt.value')!, undefined).ok, false);
  assert.equal(parseFieldArg(FIELDS.get('ka.verb')!, '0').ok, false);
});

test('raw JSON helpers: locate first duplicate, compact keeps strings, deep nesting is iterative', () => {
  const s = '{ "a" : 1, "a": 2, "b" : [ "x y" , {"c" :  true} ] }';
  assert.deepEqual(locate(s, ['a']), [8, 9]);
  const span = locate(s, ['b'])!;
  assert.equal(compact(s, span[0], span[1]), '["x y",{"c":true}]');
  const deep = `${'['.repeat(200000)}${']'.repeat(200000)}`;
  assert.equal(compact(deep).length, 400000);
  assert.equal(indentJson('[[]]'), '[\n  []\n]');
});
