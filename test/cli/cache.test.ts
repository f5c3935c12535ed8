/** `bosun cache info|clean`: what the cache directory holds, and removing all of it or only old files, never outside it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.ts';

const BIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

function bosun(cacheDir: string, args: string[]) {
  return spawnSync(process.execPath, [BIN, 'cache', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, BOSUN_CACHE_DIR: cacheDir, NO_COLOR: '1' } });
}

/** A cache with two blobs (one old), two layer records (one old), a store, and a link pointing outside it. */
function fixture(): { dir: string; outside: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-cache-'));
  const outside = mkdtempSync(join(tmpdir(), 'bosun-outside-'));
  writeFileSync(join(outside, 'precious'), 'keep me');
  const put = (rel: string, bytes: number, daysOld: number): void => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, Buffer.alloc(bytes, 1));
    const t = (Date.now() - daysOld * 86_400_000) / 1000;
    utimesSync(p, t, t);
  };
  put(`blobs/sha256/${'a'.repeat(64)}`, 1000, 40);
  put(`blobs/sha256/${'b'.repeat(64)}`, 2000, 1);
  put('layers/sha256/old.json', 10, 40);
  put('layers/sha256/new.json', 20, 1);
  put('vuln/osv.sqlite', 300, 40);
  symlinkSync(outside, join(dir, 'blobs', 'sha256', 'escape'));
  return { dir, outside };
}

test('cache info lists every part with files, bytes and the oldest file', () => {
  const { dir } = fixture();
  const r = bosun(dir, ['info', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as { cacheDir: string; parts: Array<{ part: string; files: number; bytes: number; oldest?: number }> };
  assert.equal(info.cacheDir, dir);
  assert.deepEqual(info.parts.map((p) => [p.part, p.files]), [['blobs', 3], ['layers', 2], ['vuln', 1]]);
  assert.equal(info.parts[1]!.bytes, 30);
  assert.ok(Date.now() - info.parts[0]!.oldest! > 39 * 86_400_000);
  assert.match(bosun(dir, ['info']).stdout, /^blobs\s+3 files/m);
});

test('cache clean --older-than removes only old files; the link is removed as a link, what it points at stays', () => {
  const { dir, outside } = fixture();
  const r = bosun(dir, ['clean', '--older-than', '30d']);
  assert.equal(r.status, 0, r.stderr);
  // (the link was made just now: not old)
  assert.deepEqual(readdirSync(join(dir, 'blobs', 'sha256')).sort(), ['b'.repeat(64), 'escape']);
  assert.deepEqual(readdirSync(join(dir, 'layers', 'sha256')), ['new.json']);
  assert.ok(existsSync(join(dir, 'vuln', 'osv.sqlite')), 'the store is kept unless asked for');
  assert.ok(existsSync(join(outside, 'precious')));
  assert.match(r.stdout, /^blobs: removed \d files/m);
});

test('cache clean removes blobs and layers; --all or --vuln the store too; nothing outside the cache', () => {
  const { dir, outside } = fixture();
  assert.equal(bosun(dir, ['clean']).status, 0);
  assert.deepEqual([existsSync(join(dir, 'blobs')), existsSync(join(dir, 'layers')), existsSync(join(dir, 'vuln', 'osv.sqlite'))], [false, false, true]);
  assert.ok(existsSync(join(outside, 'precious')));
  assert.equal(bosun(dir, ['clean', '--all']).status, 0);
  assert.equal(existsSync(join(dir, 'vuln')), false);
  assert.ok(existsSync(dir), 'the cache directory itself stays');
});

test('bad usage exits 2 with one line', () => {
  const { dir } = fixture();
  for (const args of [['clean', '--older-than', 'soon'], ['prune'], ['info', '--format', 'xml'], ['info', 'extra']]) {
    const r = bosun(dir, args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.match(bosun(dir, ['clean', '--older-than', 'soon']).stderr, /--older-than: "soon" is not an age/);
});
