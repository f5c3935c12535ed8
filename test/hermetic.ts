/**
 * Every test process gets its own empty bosun cache directory (`BOSUN_CACHE_DIR`), so nothing a
 * developer has under ~/.cache/bosun (a vulnerability store from `bosun db update`, which image
 * and fs scans use by default; cached blobs and layers) changes what a test sees. The CLI runs
 * that tests spawn inherit it. Imported first by the shared test helpers, and by `npm test`
 * (`--import`) for every test file. The test images' own cache (`bosun-test-images`, under
 * `XDG_CACHE_HOME`) is left alone: it holds inputs, not state bosun reads by default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARK = 'BOSUN_TEST_CACHE_OWNER';

// Once per process (several helpers import this); a child process makes its own.
if (process.env[MARK] !== String(process.pid)) {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-test-cache-'));
  process.env['BOSUN_CACHE_DIR'] = dir;
  process.env[MARK] = String(process.pid);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

export const TEST_CACHE_DIR = process.env['BOSUN_CACHE_DIR']!;
