/**
 * Manifests must mean to bosun what they mean to Kubernetes. kubectl and the API server read YAML
 * with sigs.k8s.io/yaml, whose scalars are YAML 1.1 as go-yaml v2 resolves them: `yes`, `on`, `y`
 * are true, `0755` is octal, `1_000` is 1000, `08` is 8. Read as YAML 1.2 strings instead,
 * `privileged: on` was no privileged container at all. This test runs Kubernetes' own conversion
 * (test/manifests/k8s-yaml, Go, built offline from Debian's packages) on every scalar form below
 * and on random ones, as values and as keys, and compares bosun's reading with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments } from '../../src/manifests/yaml.ts';
import { scanManifests } from '../../src/scan.ts';
import { kubernetes, skipWithoutKubernetesYaml, sortedJson } from './k8s-yaml.ts';
import { prng } from '../../bench/prng.ts';

const skip = skipWithoutKubernetesYaml;

function bosun(doc: string): unknown {
  return parseDocuments(doc)[0]?.value ?? null;
}

/**
 * The documents bosun reads otherwise than Kubernetes (the first `limit`), and how many were
 * compared: documents Kubernetes refuses are left out, and so are those bosun refuses with
 * `refusal` (a fail-closed error, not another reading).
 */
function disagreements(docs: string[], options: { limit?: number; refusal?: string } = {}): { wrong: string[]; compared: number } {
  const want = kubernetes(docs);
  const wrong: string[] = [];
  let compared = 0;
  docs.forEach((doc, i) => {
    if (want[i] === undefined) return; // refused by Kubernetes (no JSON for NaN or infinities)
    let got: unknown;
    try {
      got = bosun(doc);
    } catch (err) {
      if ((err as Error).message === options.refusal) return;
      got = `error: ${(err as Error).message}`;
    }
    compared++;
    if (sortedJson(got) !== sortedJson(want[i]) && wrong.length < (options.limit ?? Infinity)) wrong.push(`${JSON.stringify(doc)}: bosun ${JSON.stringify(got)}, Kubernetes ${JSON.stringify(want[i])}`);
  });
  return { wrong, compared };
}

const FORMS = [
  // booleans, YAML 1.1
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'yEs', 'oN', 'nO', 'tRUE', 'o', 't', 'f',
  // null
  '~', 'null', 'Null', 'NULL', 'nULL', '',
  // integers
  '0', '-0', '+0', '7', '+7', '-7', '007', '0755', '-0755', '08', '09', '0778', '0x1F', '0X1f', '-0x1F', '+0x1f', '0x', '0o17', '0O17', '0o8', '0b101', '-0b101', '0b2', '0B11',
  '1_000', '1__0', '_1', '+_1', '0x_1F', '1_0.5', '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616', '-9223372036854775809', '0xFFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFF', `0x${'0'.repeat(30)}1F`, `0${'0'.repeat(30)}17`, '0o1777777777777777777777', '0o2000000000000000000000', `1${'0'.repeat(400)}`,
  // floats
  '1.5', '-1.5', '+1.5', '1.', '.5', '-.5', '+.5', '1e3', '1E3', '1e+3', '1.5e-3', '.5e3', '1e400', '-1e400', '.5e400', '1_000.5', '0.1_5', '1e', 'e3', '.', '..5', '1.2.3', '0x1p3', '1e3_0',
  '.inf', '.Inf', '.INF', '+.inf', '-.inf', '.nan', '.NaN', '.NAN', 'inf', 'Infinity', 'NaN', 'nan',
  // strings that look like something
  '1:20', '190:20:30', '2024-01-02', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '1.0.0', 'v1', '0.0.0.0', '10.0.0.1', '1-2', '=', '<<x', '-', '+', '0xG', '12abc', 'abc12', '0o', '0b',
];

/**
 * Where bosun still differs, on purpose: keys that are numbers beyond 2^53 or NaN/infinite (Go
 * prints them its own way; no manifest has them), and a lone `-` in a flow sequence, which js-yaml
 * refuses (the document is then reported as a parse error, never misread).
 */
const KNOWN = new Set(['9223372036854775807: v', '18446744073709551616: v', '-9223372036854775809: v', '.inf: v', '.Inf: v', '.INF: v', '+.inf: v', '-.inf: v', '.nan: v', '.NaN: v', '.NAN: v', 'l: [-]']);

test('every scalar form reads as Kubernetes reads it, as a value and as a key', { skip }, () => {
  const docs = FORMS.flatMap((f) => [`v: ${f}`, `${f === '' ? '""' : f}: v`, `l: [${f}]`]).filter((d) => !KNOWN.has(d));
  assert.deepEqual(disagreements(docs).wrong, []);
});

test('random scalars read as Kubernetes reads them', { skip }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const pieces = ['0', '1', '7', '8', '9', '_', '.', 'e', 'E', '+', '-', 'x', 'o', 'b', 'f', 'F', 'a', 'y', 'n', 'O', 'N', 'inf', 'nan'];
  const scalars = new Set<string>();
  while (scalars.size < 3000) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)];
    if (/^[-+]?$/.test(s) || s.startsWith('- ')) continue;
    scalars.add(s);
  }
  const docs = [...scalars].map((s) => `v: ${s}`);
  assert.deepEqual(disagreements(docs, { limit: 20 }).wrong, []);
});

test('`privileged: on`, `hostNetwork: yes` and `0777` modes are what Kubernetes runs, so bosun reports them', async () => {
  const content = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  hostNetwork: yes
  containers:
    - name: c
      image: nginx
      securityContext:
        privileged: on
        allowPrivilegeEscalation: Y
  volumes:
    - name: s
      secret: {secretName: s, defaultMode: 0777}
`;
  const report = await scanManifests([{ name: 'yes.yaml', content }], { config: false });
  const rules = new Set(report.findings.map((f) => f.ruleId));
  for (const id of ['K8S-PRIVILEGED', 'K8S-HOST-NETWORK']) assert.ok(rules.has(id), `${id} in ${[...rules].join(' ')}`);
  const escalation = report.findings.find((f) => f.ruleId === 'K8S-ALLOW-PRIVILEGE-ESCALATION');
  assert.equal(escalation?.message, 'container "c" sets allowPrivilegeEscalation: true');
  assert.equal(escalation?.location?.line, 11);
  const doc = parseDocuments(content)[0]!.value as { spec: { volumes: Array<{ secret: { defaultMode: number } }> } };
  assert.equal(doc.spec.volumes[0]!.secret.defaultMode, 0o777);
});

/**
 * Merge keys (`<<`) as go-yaml v2 applies them, where they are written: a merge replaces the keys
 * before it and later keys replace its own; of a sequence of mappings the first wins. js-yaml kept
 * the keys before a merge, so `{privileged: false, <<: {privileged: true}}` read false to bosun
 * and true to the cluster. Random mappings of explicit keys and merges (inline, aliased,
 * sequences, nested; block and flow), read by both. Where Kubernetes takes a duplicate explicit
 * key (the last wins) bosun refuses the document: never another reading.
 */
test('merge keys read as Kubernetes reads them', { skip }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129) + 1);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const keys = ['a', 'b', 'c'];
  const inline = (): string => `{${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `${pick(keys)}: ${Math.floor(rnd() * 9)}`).filter((p, i, all) => all.findIndex((q) => q.split(':')[0] === p.split(':')[0]) === i).join(', ')}}`;
  const docs: string[] = [];
  for (let n = 0; n < 1500; n++) {
    const anchors = `p: &x ${inline()}\nq: &y ${inline()}\n`;
    const entries: string[] = [];
    const count = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < count; i++) {
      const r = rnd();
      if (r < 0.45) entries.push(`${pick(keys)}: ${10 + Math.floor(rnd() * 9)}`);
      else if (r < 0.6) entries.push(`<<: ${inline()}`);
      else if (r < 0.75) entries.push(`<<: ${pick(['*x', '*y'])}`);
      else if (r < 0.9) entries.push(`<<: [${pick(['*x', '*y', inline()])}, ${pick(['*x', '*y', inline()])}]`);
      else entries.push(`${pick(keys)}: {<<: ${pick(['*x', '*y', inline()])}, ${pick(keys)}: 20}`);
    }
    docs.push(rnd() < 0.5 ? `${anchors}m:\n${entries.map((e) => `  ${e}`).join('\n')}\n` : `${anchors}m: {${entries.join(', ')}}\n`);
  }
  const { wrong, compared } = disagreements(docs, { limit: 10, refusal: 'duplicated mapping key' });
  assert.deepEqual(wrong, []);
  assert.ok(compared > 500, `${compared} documents compared`);
});

test('a merge key that turns privileged back on is reported, at the merge', async () => {
  const content = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers:
    - name: c
      image: nginx
      securityContext:
        privileged: false
        <<: {privileged: true}
    - name: d
      image: nginx
      securityContext: {runAsNonRoot: true, <<: [{privileged: true}, {privileged: false}]}
`;
  const report = await scanManifests([{ name: 'merge.yaml', content }], { config: false });
  const privileged = report.findings.filter((f) => f.ruleId === 'K8S-PRIVILEGED').map((f) => [f.fieldPath, f.location?.line]);
  assert.deepEqual(privileged, [['spec.containers[0].securityContext.privileged', 10], ['spec.containers[1].securityContext.privileged', 13]]);
  assert.deepEqual(report.errors, []);
});
