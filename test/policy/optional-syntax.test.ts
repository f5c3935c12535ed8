/** The optional list/map literal rewrite: exact output, strings and comments untouched, and evaluation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteOptionalLiterals } from '../../src/policy/optional-syntax.ts';
import { evaluateCel } from '../../src/policy/cel.ts';
import { fromCel } from '../../src/policy/values.ts';

test('rewrites optional elements and entries, leaves everything else alone', () => {
  assert.equal(rewriteOptionalLiterals('[a, ?b, c]'), '[optional.of(a), b, optional.of(c)].k8s_optList()');
  assert.equal(rewriteOptionalLiterals("{?'k': v, 'k2': w}"), "{'k': v, 'k2': optional.of(w)}.k8s_optMap()");
  for (const same of ["x[?0]", "a ? [b] : {c: d}", "'[?x]' + \"{?'k': v}\"", 'm.?k', "[1, 2] // [?x]", "r'[?' + b'?'"]) assert.equal(rewriteOptionalLiterals(same), same);
});

test('optional literals evaluate as in cel-go', () => {
  assert.deepEqual(fromCel(evaluateCel("['a', ?optional.none(), ?optional.of('b'), 'c']")), ['a', 'b', 'c']);
  assert.deepEqual(fromCel(evaluateCel("{?'a': optional.none(), ?'b': object.?spec.?replicas, 'c': object.spec.replicas}", { object: { spec: { replicas: 3 } } })), { b: 3, c: 3 });
  assert.deepEqual(fromCel(evaluateCel("[[?optional.of(1)], [?optional.none()]]")), [[1], []]);
});
