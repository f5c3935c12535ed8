/** The key password: BOSUN_PASSWORD (or COSIGN_PASSWORD, as cosign reads it), else a prompt on the terminal. */
import { UsageError } from '../core/errors.ts';

export async function readPassword(o: { confirm: boolean }): Promise<string> {
  const fromEnv = process.env['BOSUN_PASSWORD'] ?? process.env['COSIGN_PASSWORD'];
  if (fromEnv !== undefined) return fromEnv;
  if (process.stdin.isTTY !== true) throw new UsageError('no password: set BOSUN_PASSWORD (or run on a terminal to be prompted)');
  const first = await prompt('Enter password for private key: ');
  if (o.confirm && (await prompt('Enter password for private key again: ')) !== first) throw new UsageError('passwords do not match');
  return first;
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new UsageError('cancelled'));
          return;
        }
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
