/** Terminal and file output for commands. */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { BosunError } from '../core/errors.ts';

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream, forced?: boolean): boolean {
  if (forced !== undefined) return forced;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined) {
    // A reader that went away (`| head`) is not an error of ours: nothing is left to write to.
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err && (err as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(err) : resolve())));
    return;
  }
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new BosunError('E_OUTPUT', `${file}: cannot write report (${(err as Error).message})`, { cause: err });
  }
}

/**
 * Write `chunks` to `file` (stdout when undefined) as they come, waiting when the stream is
 * full: for reports too big to build as one string first.
 */
export async function writeOutputChunks(chunks: Iterable<string>, file: string | undefined): Promise<void> {
  const stream: NodeJS.WritableStream = file === undefined ? process.stdout : createWriteStream(file);
  let failed: Error | undefined;
  const onError = (err: Error): void => {
    failed ??= err;
  };
  stream.on('error', onError);
  const fail = (err: Error): never => {
    if (file === undefined) throw err;
    throw new BosunError('E_OUTPUT', `${file}: cannot write report (${err.message})`, { cause: err });
  };
  try {
    for (const chunk of chunks) {
      if (failed !== undefined) fail(failed);
      if (!stream.write(chunk)) await drainOrEnd(stream);
    }
    if (failed !== undefined) fail(failed);
    if (file === undefined) await new Promise<void>((resolve, reject) => process.stdout.write('', (err) => (err ? reject(err) : resolve())));
    else await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (failed !== undefined) fail(failed);
  } catch (err) {
    // The reader of stdout went away (`bosun scan … | head`): nothing left to write to.
    if (file === undefined && (err as NodeJS.ErrnoException).code === 'EPIPE') return;
    if (err instanceof BosunError || file === undefined) throw err;
    fail(err as Error);
  } finally {
    stream.off('error', onError);
  }
}

/** Resolves when the stream can take more, or has failed or closed (the caller checks which). */
function drainOrEnd(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}
