/** scripts/gen-rbac-defaults.ts: the bootstrap-policy fixtures → data module; bad fixtures fail with one line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.ts';

const SCRIPT = join(REPO_ROOT, 'scripts', 'gen-rbac-defaults.ts');
const dir = mkdtempSync(join(tmpdir(), 'bosun-gen-rbac-'));

function gen(files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return `${p}@0123abc`;
  });
  const r = spawnSync(process.execPath, [SCRIPT, ...paths], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const list = (items: string): string => `apiVersion: v1\nkind: List\nitems:\n${items}`;

test('roles, aggregation and bindings with ServiceAccount subjects become data; the sources are named', () => {
  const r = gen({
    'roles.yaml': list(`- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: 'system:controller:demo', labels: {kubernetes.io/bootstrapping: rbac-defaults}}
  rules: [{apiGroups: [''], resources: [pods], verbs: [create, delete]}]
`),
    'bindings.yaml': list(`- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: 'system:controller:demo'}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:controller:demo'}
  subjects: [{kind: ServiceAccount, name: demo-controller, namespace: kube-system}]
`),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /roles\.yaml @ 0123abc \(1 ClusterRole\)/);
  assert.match(r.stdout, /system:controller:demo/);
  assert.match(r.stdout, /demo-controller/);
  assert.match(r.stdout, /kube-system/);
});

test('a field that is not a list, an unknown kind and a duplicate name fail with one line naming them', () => {
  const role = (name: string, rules = '[]') => `- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: ${name}}, rules: ${rules}}\n`;
  for (const [text, message] of [
    [list(role('x', '{verbs: [get]}')), /^gen-rbac-defaults: x\.rules: expected a list\n$/],
    [list(role('x') + role('x')), /^gen-rbac-defaults: ClusterRole \/x appears twice in the inputs\n$/],
    [list('- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n'), /unexpected kind Secret\n$/],
    [list(`- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: b}, roleRef: {kind: ClusterRole, name: x}, subjects: {kind: User}}\n`), /^gen-rbac-defaults: b\.subjects: expected a list\n$/],
  ] as const) {
    const r = gen({ 'bad.yaml': text });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});
