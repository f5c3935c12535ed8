/** Every cell of every truth table in ../shared/testdata/netpol (FORMAT.md) must match. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from '../../src/manifests/load.ts';
import { ManifestIndex } from '../../src/manifests/index-set.ts';
import { buildNetpolModel } from '../../src/netpol/model.ts';
import { NetpolEvaluator } from '../../src/netpol/evaluate.ts';
import { computeMatrix, matrixObject, parsePortProto } from '../../src/netpol/matrix.ts';
import { SHARED_TESTDATA } from '../helpers.ts';

const DIR = join(SHARED_TESTDATA, 'netpol');
type Table = Record<string, Record<string, Record<string, boolean>>>;
interface Expected {
  ports: Array<{ port: number; protocol: string }>;
  pods: string[];
  combined: Table;
  ingressExpected?: Table;
  egressExpected?: Table;
  external?: { ips: string[]; toExternal: Table; fromExternal: Table };
}

const cases = readdirSync(DIR).filter((d) => existsSync(join(DIR, d, 'expected.json'))).sort();
let totalCells = 0;

for (const name of cases) {
  test(`netpol conformance: ${name}`, async () => {
    const expected = JSON.parse(readFileSync(join(DIR, name, 'expected.json'), 'utf8')) as Expected;
    const loaded = await loadManifests([join(DIR, name, 'cluster.yaml'), join(DIR, name, 'policies.yaml')]);
    assert.deepEqual(loaded.errors, []);
    const model = buildNetpolModel(new ManifestIndex(loaded.resources), { externals: expected.external?.ips ?? [] });
    assert.deepEqual(model.issues, []);
    const ev = new NetpolEvaluator(model);
    const ports = expected.ports.map((p) => parsePortProto(`${p.port}/${p.protocol}`)!);
    const pods = expected.pods.map((k) => model.byKey.get(k)!);
    assert.deepEqual(model.pods.map((p) => p.key).sort(), [...expected.pods].sort());
    const mismatches: string[] = [];
    const check = (table: Table | undefined, label: string, verdict: (from: string, to: string, port: number) => boolean): void => {
      if (table === undefined) return;
      for (const [from, row] of Object.entries(table)) {
        for (const [to, cells] of Object.entries(row)) {
          for (const [key, want] of Object.entries(cells)) {
            const port = ports.findIndex((p) => `${p.port}/${p.protocol}` === key);
            totalCells++;
            const got = verdict(from, to, port);
            if (got !== want) mismatches.push(`${label} ${from} -> ${to} ${key}: want ${want}, got ${got}`);
          }
        }
      }
    };
    const ep = (k: string) => model.byKey.get(k)!;
    // The fast matrix path and the explaining path must agree with the table and with each other.
    const matrix = matrixObject(computeMatrix(ev, ports, pods));
    check(expected.combined, 'combined', (f, t, i) => matrix.matrix[f]![t]![`${ports[i]!.port}/${ports[i]!.protocol}`]!);
    check(expected.combined, 'combined(explain)', (f, t, i) => ev.connection(ep(f), ep(t), ports[i]!).allowed);
    check(expected.ingressExpected, 'ingress', (f, t, i) => ev.explain('ingress', ep(t), ep(f), ports[i]!).allowed);
    check(expected.egressExpected, 'egress', (f, t, i) => ev.explain('egress', ep(f), ep(t), ports[i]!).allowed);
    check(expected.external?.toExternal, 'toExternal', (f, t, i) => ev.connectionAllowed(ep(f), ep(t), ports[i]!));
    check(expected.external?.fromExternal, 'fromExternal', (f, t, i) => ev.connectionAllowed(ep(f), ep(t), ports[i]!));
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatching cells`);
  });
}

test('netpol conformance: every case ran', () => {
  assert.ok(cases.length >= 90, `found ${cases.length} cases`);
  assert.ok(totalCells > 0);
  process.stdout.write(`# netpol conformance: ${cases.length} cases, ${totalCells} cells checked\n`);
});
