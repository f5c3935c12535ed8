/**
 * Kubernetes' own YAML → JSON conversion (sigs.k8s.io/yaml over go-yaml v2), as the tests that
 * compare bosun's reading with it call it: test/manifests/k8s-yaml, built offline by go-build.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';

const K8S_YAML: GoTool = {
  name: 'k8s-yaml',
  source: new URL('./k8s-yaml/main.go', import.meta.url).pathname,
  packages: { 'golang-k8s-sigs-yaml-dev': 'sigs.k8s.io/yaml', 'golang-gopkg-yaml.v2-dev': 'gopkg.in/yaml.v2' },
};

/** node:test's skip option: false when the converter can be built. */
export const skipWithoutKubernetesYaml: string | false = goToolSkip(K8S_YAML) ?? false;

/** Kubernetes' JSON for each document (undefined where it refuses one: NaN and infinities have no JSON). */
export function kubernetes(docs: string[]): Array<unknown> {
  const r = spawnSync(goToolBinary(K8S_YAML), { input: docs.join('\0'), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').slice(0, docs.length);
  assert.equal(lines.length, docs.length);
  return lines.map((l) => (l.startsWith('ERR ') ? undefined : JSON.parse(l)));
}

/** JSON with every object's keys sorted (Go's encoding/json writes map keys sorted). */
export function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}
