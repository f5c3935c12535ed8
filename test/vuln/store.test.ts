import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { importOsv } from '../../src/vuln/store/import.ts';
import { migrate } from '../../src/vuln/store/schema.ts';
import { checkFreshness, openStore } from '../../src/vuln/store/store.ts';
import { updateStore } from '../../src/vuln/store/update.ts';
import { readZip } from '../../src/vuln/osv/zip.ts';
import { OSV_DIR, exportFiles, generatedRecord, osvFixtures, serve, tempDir, truncated, writeZip, type Fixture } from './helpers.ts';

const ecosystemOf = (f: Fixture): string => (f.record.affected?.[0]?.package?.ecosystem ?? '').split(':')[0]!;
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function generated(n: number, modified: string) {
  return Array.from({ length: n }, (_, i) => ({ record: generatedRecord('npm', `BOSUN-GEN-${String(i).padStart(4, '0')}`, `gen-pkg-${i}`, `1.${i}.0`, modified) }));
}

/** npm: the four real npm records plus generated ones; Go and Alpine: the real records. */
function bucket(): Map<string, Buffer | string> {
  const fixtures = osvFixtures();
  const pick = (eco: string) => fixtures.filter((f) => ecosystemOf(f) === eco).map((f) => ({ record: f.record, text: f.text }));
  return new Map([...exportFiles('/npm', [...pick('npm'), ...generated(200, '2024-01-01T00:00:00Z')]), ...exportFiles('/Go', pick('Go')), ...exportFiles('/Alpine', pick('Alpine'))]);
}

test('db import: the shared OSV directory, every record valid, lookups by ecosystem and name', (t) => {
  const db = join(tempDir(t), 'osv.sqlite');
  return importOsv(OSV_DIR, { dbPath: db, now: new Date('2026-01-01T00:00:00Z') }).then((stats) => {
    // 50 files, two of them the same ID (PYSEC-2021-63 and its withdrawn variant).
    assert.equal(stats.records, 50);
    assert.equal(stats.skipped, 0);
    const store = openStore(db);
    t.after(() => store.close());
    const status = store.status();
    assert.equal(status.records, 49);
    assert.equal(status.withdrawn, 2);
    assert.deepEqual(store.lookupIds('npm', 'lodash'), ['GHSA-jf85-cpcp-j695']);
    assert.deepEqual(store.lookupIds('Maven', 'org.apache.logging.log4j:log4j-core').sort(), ['GHSA-7rjr-3q55-vv33', 'GHSA-jfh8-c2jp-5v3q']);
    // PyPI names are PEP 503-normalised on both sides.
    assert.deepEqual(store.lookupIds('PyPI', 'PyYAML'), ['GHSA-8q59-q68h-6hv4']);
    assert.deepEqual(store.lookupIds('PyPI', 'pyyaml'), ['GHSA-8q59-q68h-6hv4']);
    assert.ok(store.ecosystems().includes('Alpine:v3.8'));
    // Ten GO- records, GHSA-4374 and the multi-ecosystem GHSA-77rm and GHSA-qppj.
    assert.equal(status.ecosystems.find((e) => e.ecosystem === 'Go')?.records, 13);
  });
});

test('db import: records that are not JSON or break the schema are skipped and counted', async (t) => {
  const dir = tempDir(t);
  const zip = join(dir, 'mixed.zip');
  const good = osvFixtures().slice(0, 3);
  writeFileSync(
    zip,
    writeZip([
      ...good.map((f) => ({ name: f.file, data: f.text })),
      { name: 'broken.json', data: '{"id": "X-1", ' },
      { name: 'no-modified.json', data: JSON.stringify({ id: 'X-2' }) },
      { name: 'bad-range.json', data: JSON.stringify({ id: 'X-3', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'RANGE', events: [{ introduced: '0' }] }] }] }) },
      { name: 'two-keys.json', data: JSON.stringify({ id: 'X-4', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }] }] }) },
      { name: 'README.txt', data: 'not a record' },
    ]),
  );
  const stats = await importOsv(zip, { dbPath: join(dir, 'osv.sqlite') });
  assert.equal(stats.records, 3);
  assert.equal(stats.skipped, 4);
  assert.deepEqual(
    stats.problems.map((p) => [p.file, p.reason.split(' (')[0]]),
    [
      ['broken.json', 'not JSON'],
      ['no-modified.json', '"modified" missing or not an RFC 3339 time'],
      ['bad-range.json', 'affected[0]: ranges[0].type must be SEMVER, ECOSYSTEM or GIT'],
      ['two-keys.json', 'affected[0]: ranges[0].events: each event needs exactly one of introduced, fixed, last_affected, limit'],
    ],
  );
});

test('zip reader: ZIP64 end records and stored entries', (t) => {
  const dir = tempDir(t);
  const entries = [{ name: 'a.json', data: '{"a":1}' }, { name: 'b/c.json', data: 'x'.repeat(5000) }];
  for (const [name, opts] of [['z64.zip', { zip64: true }], ['stored.zip', { stored: true }]] as const) {
    writeFileSync(join(dir, name), writeZip(entries, opts));
    assert.deepEqual([...readZip(join(dir, name))].map((e) => [e.name, e.data.length]), [['a.json', 7], ['b/c.json', 5000]]);
  }
});

test('db update: full download from a local OSV export, then incremental via modified_id.csv', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const server = await serve(t, bucket());
  const first = await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm', 'Go', 'Alpine'], now: new Date('2026-01-01T00:00:00Z') });
  assert.deepEqual(first.map((r) => [r.ecosystem, r.mode, r.records, r.skipped]), [['npm', 'full', 204, 0], ['Go', 'full', 11, 0], ['Alpine', 'full', 2, 0]]);
  assert.deepEqual(server.requests, ['/npm/all.zip', '/Go/all.zip', '/Alpine/all.zip']);
  let store = openStore(db);
  assert.equal(store.status().records, 217);
  assert.deepEqual(store.lookupIds('npm', 'gen-pkg-7'), ['BOSUN-GEN-0007']);
  store.close();

  // One changed record and one new record, newer than anything imported.
  const changed = generatedRecord('npm', 'BOSUN-GEN-0007', 'gen-pkg-7', '9.9.9', '2025-06-01T00:00:00Z');
  const added = generatedRecord('npm', 'BOSUN-NEW-0001', 'brand-new', '2.0.0', '2025-06-02T00:00:00Z');
  const npm = [...osvFixtures().filter((f) => ecosystemOf(f) === 'npm').map((f) => ({ record: f.record })), ...generated(200, '2024-01-01T00:00:00Z').filter((g) => g.record.id !== changed.id), { record: changed }, { record: added }];
  for (const [k, v] of exportFiles('/npm', npm)) server.files.set(k, v);
  server.requests.length = 0;
  const second = await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm', 'Go'], now: new Date('2026-01-02T00:00:00Z') });
  assert.deepEqual(second.map((r) => [r.ecosystem, r.mode, r.records]), [['npm', 'incremental', 2], ['Go', 'unchanged', 0]]);
  assert.deepEqual(server.requests.sort(), ['/Go/modified_id.csv', '/npm/BOSUN-GEN-0007.json', '/npm/BOSUN-NEW-0001.json', '/npm/modified_id.csv']);
  store = openStore(db);
  t.after(() => store.close());
  assert.equal(store.status().records, 218);
  assert.deepEqual(store.lookup('npm', 'gen-pkg-7')[0]?.affected?.[0]?.ranges?.[0]?.events, [{ introduced: '0' }, { fixed: '9.9.9' }]);
  assert.deepEqual(store.lookupIds('npm', 'brand-new'), ['BOSUN-NEW-0001']);
  const npmSource = store.status().sources.find((s) => s.name === 'npm')!;
  assert.deepEqual([npmSource.records, npmSource.mode, npmSource.newestModified, npmSource.updatedAt], [205, 'incremental', '2025-06-02T00:00:00Z', '2026-01-02T00:00:00.000Z']);
});

test('db update: too many changes fall back to the full export', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const server = await serve(t, new Map(exportFiles('/npm', generated(5, '2024-01-01T00:00:00Z'))));
  await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'] });
  for (const [k, v] of exportFiles('/npm', generated(5, '2025-01-01T00:00:00Z'))) server.files.set(k, v);
  const again = await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'], maxIncremental: 3 });
  assert.deepEqual(again.map((r) => [r.mode, r.records]), [['full', 5]]);
  // --full over every source in the store: rebuilt from empty, same content.
  const full = await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'], full: true });
  assert.deepEqual(full.map((r) => [r.ecosystem, r.mode, r.records]), [['npm', 'full', 5]]);
  const store = openStore(db);
  t.after(() => store.close());
  assert.deepEqual([store.status().records, store.lookupIds('npm', 'gen-pkg-3'), store.status().sources.map((s) => [s.name, s.records, s.mode])], [5, ['BOSUN-GEN-0003'], [['npm', 5, 'full']]]);
});

test('db update: an interrupted download, a corrupt zip or a server error leaves the previous store intact', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const files = bucket();
  const server = await serve(t, files);
  await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'] });
  const before = sha(db);
  const goodZip = files.get('/Go/all.zip') as Buffer;

  const corruptZip = Buffer.from(goodZip);
  corruptZip[60] = corruptZip[60]! ^ 0xff; // inside the first entry's deflated data
  const cases: Array<[string, Parameters<typeof server.files.set>[1], string, RegExp]> = [
    ['truncated', truncated(goodZip), 'E_DB_DOWNLOAD', /\/Go\/all\.zip: (download interrupted after \d+ bytes|truncated download)/],
    ['corrupt', corruptZip, 'E_ZIP_CORRUPT', /corrupt zip archive/],
    ['cut short', goodZip.subarray(0, goodZip.length - 30), 'E_ZIP_CORRUPT', /no end-of-central-directory record/],
    ['server error', (_q, r) => void r.writeHead(500).end(), 'E_DB_DOWNLOAD', /\/Go\/all\.zip: HTTP 500/],
  ];
  for (const [name, body, code, message] of cases) {
    server.files.set('/Go/all.zip', body);
    // npm goes first and succeeds; the Go failure must still discard it.
    await assert.rejects(updateStore({ dbPath: db, source: server.url, ecosystems: ['npm', 'Go'], full: true }), (err: Error & { code?: string }) => {
      assert.equal(err.code, code, name);
      assert.match(err.message, message, name);
      return true;
    });
    assert.equal(sha(db), before, name);
    assert.deepEqual(readdirSync(dir), ['osv.sqlite'], name);
  }
  const store = openStore(db);
  t.after(() => store.close());
  assert.deepEqual(store.status().sources.map((s) => s.name), ['npm']);
});

test('db update: stale temporaries are removed, a live lock refuses, a dead one is taken over', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const server = await serve(t, new Map(exportFiles('/npm', generated(3, '2024-01-01T00:00:00Z'))));
  writeFileSync(`${db}.tmp-999999-1`, 'left by a killed update');
  writeFileSync(`${db}.lock`, String(process.pid));
  await assert.rejects(updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'] }), { code: 'E_DB_LOCKED' });
  writeFileSync(`${db}.lock`, '2147483646');
  await updateStore({ dbPath: db, source: server.url, ecosystems: ['npm'] });
  assert.deepEqual(readdirSync(dir), ['osv.sqlite']);
});

test('store schema: an older store is migrated on update, a newer or foreign file is refused', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'osv.sqlite');
  const old = new DatabaseSync(db);
  migrate(old, db, 1);
  const oldRecord = generatedRecord('npm', 'OLD-1', 'old-pkg', '2.0.0', '2020-01-01T00:00:00Z', { details: 'long text '.repeat(50) });
  const { rid } = old.prepare("INSERT INTO records (id, modified, withdrawn, source, json) VALUES ('OLD-1', '2020-01-01T00:00:00Z', 0, 'x', ?) RETURNING rid").get(JSON.stringify(oldRecord)) as { rid: number };
  old.prepare("INSERT INTO affected (rid, ecosystem, name) VALUES (?, 'npm', 'old-pkg')").run(rid);
  old.close();
  assert.throws(() => openStore(db), { code: 'E_DB_VERSION' });
  await importOsv(join(OSV_DIR, 'GHSA-jf85-cpcp-j695.json').replace(/GHSA.*/, ''), { dbPath: db });
  const store = openStore(db);
  assert.equal(store.status().schemaVersion, 5);
  assert.equal(store.status().records, 50);
  // Migrations 4 and 5 rewrote the record into its deflated text, head and package rows, which lookups read.
  assert.deepEqual(store.lookup('npm', 'old-pkg'), [{ id: 'OLD-1', modified: '2020-01-01T00:00:00Z', summary: 'generated record for old-pkg', affected: [{ package: { ecosystem: 'npm', name: 'old-pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }] }]);
  store.close();

  const newer = new DatabaseSync(db);
  newer.exec('PRAGMA user_version = 99');
  newer.close();
  assert.throws(() => openStore(db), { code: 'E_DB_VERSION', message: /newer than this bosun understands/ });
  writeFileSync(db, 'not a database at all, just text that is long enough to look like a file');
  assert.throws(() => openStore(db), { code: 'E_DB_CORRUPT' });
  assert.throws(() => openStore(join(dir, 'missing.sqlite')), { code: 'E_DB_MISSING' });
  assert.ok(!existsSync(join(dir, 'missing.sqlite')));
});

test('freshness: age against --max-db-age', () => {
  const status = { path: 'x', schemaVersion: 2, records: 0, withdrawn: 0, bytes: 0, ecosystems: [], sources: [], updatedAt: '2026-01-01T00:00:00.000Z' };
  assert.deepEqual(checkFreshness(status, 86_400_000, new Date('2026-01-01T12:00:00Z')), { ok: true, ageMs: 43_200_000, message: undefined });
  assert.equal(checkFreshness(status, 86_400_000, new Date('2026-01-04T00:00:00Z')).message, 'vulnerability store is 3d old (limit 24h): run "bosun db update"');
  assert.equal(checkFreshness({ ...status, updatedAt: undefined }, 1).ok, false);
});

test('db import: a zip spread over worker threads in chunks is written in archive order; a repeated ID keeps the last record', async (t) => {
  const dir = tempDir(t);
  const zip = join(dir, 'big.zip');
  // 4,500 entries: three chunks of up to 2,000, dealt to the workers; GEN-0005 appears again in the last chunk.
  const entries = generated(4500, '2024-01-01T00:00:00Z').map((g) => ({ name: `${g.record.id}.json`, data: JSON.stringify(g.record) }));
  const replaced = generatedRecord('npm', 'BOSUN-GEN-0005', 'moved-pkg', '7.0.0', '2024-02-01T00:00:00Z');
  entries.splice(4200, 0, { name: 'BOSUN-GEN-0005.again.json', data: JSON.stringify(replaced) });
  writeFileSync(zip, writeZip(entries));
  const db = join(dir, 'osv.sqlite');
  // Three workers whatever the machine: chunks 0 and 2 come from different threads than chunk 1.
  const stats = await importOsv(zip, { dbPath: db, workers: 3 });
  assert.deepEqual([stats.records, stats.skipped, stats.newestModified], [4501, 0, '2024-02-01T00:00:00Z']);
  const store = openStore(db);
  t.after(() => store.close());
  assert.equal(store.status().records, 4500);
  // The later record replaced the earlier one whole: its package rows went with it.
  assert.deepEqual(store.lookupIds('npm', 'gen-pkg-5'), []);
  assert.deepEqual(store.lookup('npm', 'moved-pkg').map((r) => [r.id, r.modified, r.affected?.[0]?.ranges?.[0]?.events]), [['BOSUN-GEN-0005', '2024-02-01T00:00:00Z', [{ introduced: '0' }, { fixed: '7.0.0' }]]]);
  assert.deepEqual(store.lookupIds('npm', 'gen-pkg-4499'), ['BOSUN-GEN-4499']);
  assert.deepEqual(store.status().ecosystems, [{ ecosystem: 'npm', records: 4500 }]);
});
