/** The per-resource Locator gives exactly what locate() and formatPath() give, whatever order paths come in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifests/load.ts';
import { Locator, locate } from '../../src/manifests/resource.ts';
import { formatPath, type Path } from '../../src/manifests/path.ts';

const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, annotations: { "a.b/c": "1" } }
    spec:
      template:
        spec:
          securityContext: { runAsNonRoot: true }
          containers:
            - name: web
              ports: [{ containerPort: 80 }, { containerPort: 443 }]
              securityContext:
                privileged: true
                capabilities: { add: [NET_RAW], drop: [ALL] }
            - name: side
              image: busybox
    80: numeric key
`;

const PATHS: Path[] = [
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 0],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'],
  ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'runAsNonRoot'], // missing below containers[1]
  ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'readOnlyRootFilesystem'], // shares the missing prefix
  ['spec', 'template', 'spec', 'containers', 1, 'image'],
  ['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'containerPort'],
  ['spec', 'template', 'spec', 'containers', 5, 'name'], // no such item
  ['spec', 'template', 'spec', 'containers', 'x'],
  ['spec', 'template', 'spec', 'containers'],
  ['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'],
  ['metadata', 'annotations', 'a.b/c'],
  [80],
  ['80'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged', 'deeper'], // below a scalar
  [],
  ['spec'],
];

test('Locator matches locate() and formatPath() for every path, in any order', async () => {
  const { resources } = await loadManifests([{ name: 'list.yaml', content: LIST }]);
  assert.equal(resources.length, 1);
  const r = resources[0]!;
  const orders = [PATHS, [...PATHS].reverse(), PATHS.flatMap((p) => [p, p])];
  for (const order of orders) {
    const locator = new Locator(r);
    for (const path of order) {
      locator.go(path);
      assert.deepEqual(locator.location(), locate(r, path), formatPath(path));
      assert.equal(locator.fieldPath(), formatPath(path));
    }
  }
  // Spot checks that the comparison is not vacuous: real lines, and the fallback for missing fields.
  const locator = new Locator(r);
  locator.go(PATHS[0]!);
  assert.deepEqual(locator.location(), { file: 'list.yaml', line: 15, column: 17 });
  locator.go(PATHS[3]!);
  assert.deepEqual(locator.location(), { file: 'list.yaml', line: 17, column: 15 });
  assert.equal(locator.fieldPath(), 'spec.template.spec.containers[1].securityContext.runAsNonRoot');
});

test('Locator falls back like locate() when the resource base path cannot be resolved', async () => {
  const { resources } = await loadManifests([{ name: 'list.yaml', content: LIST }]);
  const r = { ...resources[0]!, basePath: ['items', 7] };
  const locator = new Locator(r);
  for (const path of PATHS) {
    locator.go(path);
    assert.deepEqual(locator.location(), locate(r, path));
  }
});

// (Not `items`: kubectl reads any object with an items list as a list.)
const IRREGULAR = `kind: Odd
apiVersion: v1
entries:
  - a: 1
  -
  - rule: x
    priority: high
merged:
  base: &B { image: nginx, tag: 1 }
  other:
    <<: *B
    extra: {deep: true}
  alias: *B
flow: {k, v: {inner: 1}}
`;

test('positions survive empty sequence items, keys without values, merge keys and aliases', async () => {
  const { resources } = await loadManifests([{ name: 'odd.yaml', content: IRREGULAR }]);
  const r = resources[0]!;
  const at = (path: Path): [number, number] => {
    const l = locate(r, path);
    return [l.line, l.column];
  };
  assert.deepEqual(at(['entries', 2, 'priority']), [7, 5]); // after the empty item
  assert.deepEqual(at(['entries', 0, 'a']), [4, 5]);
  assert.deepEqual(at(['merged', 'other', 'extra', 'deep']), [12, 13]); // beside a merge key
  assert.deepEqual(at(['merged', 'alias', 'tag']), [9, 28]); // through an alias: the anchor's text
  assert.deepEqual(at(['merged', 'other', 'image']), [10, 3]); // merged in: the object that holds it
  assert.deepEqual(at(['flow', 'v', 'inner']), [14, 15]); // after a key without a value
  const locator = new Locator(r);
  for (const path of [['entries', 2, 'priority'], ['merged', 'other', 'extra', 'deep'], ['merged', 'other', 'image'], ['flow', 'v', 'inner'], ['entries', 2, 'rule']] as Path[]) {
    locator.go(path);
    assert.deepEqual(locator.location(), locate(r, path));
  }
});

test('an empty item before a `- null` item: each item keeps its own position', async () => {
  // js-yaml emits nothing for the empty item; matching by value alone gave it the `null`'s line.
  // The merge key sends the document to recorded positions, where that matching happens.
  const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\ndata:\n  <<: {z: "1"}\n  list:\n    -\n    - null  # a comment - with dashes\n    -\n    - ~\n    - x\n';
  const { resources } = await loadManifests([{ name: 'empty.yaml', content }]);
  const r = resources[0]!;
  const at = (path: Path): [number, number] => {
    const l = locate(r, path);
    return [l.line, l.column];
  };
  assert.deepEqual(r.object['data'], { z: '1', list: [null, null, null, null, 'x'] });
  assert.deepEqual(at(['data', 'list', 1]), [8, 7]);
  assert.deepEqual(at(['data', 'list', 3]), [10, 7]);
  assert.deepEqual(at(['data', 'list', 4]), [11, 7]);
  assert.deepEqual(at(['data', 'list', 0]), [6, 3], 'an empty item: the sequence that holds it');
  assert.deepEqual(at(['data', 'list', 2]), [6, 3]);
  assert.ok(r.doc.records !== undefined, 'located through recorded positions');
});

test('in-memory content with a byte-order mark locates as the same file without one', async () => {
  const content = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bom\nspec:\n  containers:\n    - name: c\n      securityContext: {privileged: true}\n';
  const [plain, bom] = await Promise.all([loadManifests([{ name: 'a.yaml', content }]), loadManifests([{ name: 'a.yaml', content: `\uFEFF${content}` }])]);
  for (const path of [['spec'], ['metadata', 'name'], ['spec', 'containers', 0, 'securityContext', 'privileged']] as Path[]) {
    assert.deepEqual(locate(bom.resources[0]!, path), locate(plain.resources[0]!, path), path.join('.'));
  }
  assert.deepEqual(locate(bom.resources[0]!, ['spec', 'containers', 0, 'securityContext', 'privileged']), { file: 'a.yaml', line: 8, column: 25 });
});
