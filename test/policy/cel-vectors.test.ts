/**
 * The Kubernetes CEL vectors (../shared/testdata/cel-k8s, see its SOURCE.md): every vector gives
 * its expected result or error (phase checked), except the ones listed in cel-known-gaps.json,
 * which must still fail (so the list only shrinks). Everything in not-in-kubernetes/ fails to compile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonForCel } from '../../src/policy/values.ts';
import { compileCel } from '../../src/policy/cel.ts';
import { checkVector, type Vector } from './vector-check.ts';

const dir = fileURLToPath(new URL('../../../shared/testdata/cel-k8s/', import.meta.url));
const gaps = new Set<string>(JSON.parse(readFileSync(new URL('./cel-known-gaps.json', import.meta.url), 'utf8')) as string[]);

function vectors(path: string): Vector[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => parseJsonForCel(l) as Vector);
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  test(`cel-k8s ${file}`, () => {
    const failures: string[] = [];
    const fixed: string[] = [];
    for (const v of vectors(dir + file)) {
      const key = `${file} ${v.expr}`;
      const result = checkVector(v);
      if (gaps.has(key)) {
        if (result === null) fixed.push(key);
      } else if (result !== null) failures.push(`${JSON.stringify(v.expr)}: ${result}`);
    }
    assert.deepEqual(failures, [], `${failures.length} vectors fail`);
    assert.deepEqual(fixed, [], 'now passing: remove from cel-known-gaps.json');
  });
}

test('cel-k8s not-in-kubernetes: every expression fails to compile', () => {
  const notIn = `${dir}not-in-kubernetes/`;
  const compiled: string[] = [];
  for (const file of readdirSync(notIn).filter((f) => f.endsWith('.jsonl'))) {
    for (const v of vectors(notIn + file)) {
      try {
        compileCel(v.expr, Object.keys(v.bindings ?? {}));
        compiled.push(`${file} ${v.expr}`);
      } catch {
        /* rejected, as in Kubernetes */
      }
    }
  }
  const known = compiled.filter((k) => gaps.has(`not-in-kubernetes/${k}`));
  assert.deepEqual(compiled.filter((k) => !gaps.has(`not-in-kubernetes/${k}`)), []);
  assert.equal(known.length, [...gaps].filter((g) => g.startsWith('not-in-kubernetes/')).length);
});
