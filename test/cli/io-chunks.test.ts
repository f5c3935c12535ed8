/** writeOutputChunks: chunks land in the file in order, with back-pressure; a bad path is an E_OUTPUT error naming it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputChunks } from '../../src/cli/io.ts';
import { BosunError } from '../../src/core/errors.ts';

test('writeOutputChunks writes every chunk in order (more than the stream buffers at once)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-io-'));
  const file = join(dir, 'out.json');
  const chunks = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(4, '0')}:${'x'.repeat(1 << 12)}\n`);
  await writeOutputChunks(chunks, file);
  assert.equal(await readFile(file, 'utf8'), chunks.join(''));
});

test('writeOutputChunks to a path that cannot be written is an E_OUTPUT error naming it', async () => {
  const file = join(tmpdir(), 'bosun-no-such-dir', 'deeper', 'out.json');
  await assert.rejects(writeOutputChunks(['{}\n', 'more'], file), (err: unknown) => err instanceof BosunError && err.code === 'E_OUTPUT' && err.message.startsWith(`${file}: cannot write report`));
});
