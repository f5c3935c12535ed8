/** Terminal and file output for commands. */
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
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return;
  }
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new BosunError('E_OUTPUT', `${file}: cannot write report (${(err as Error).message})`, { cause: err });
  }
}
