/** `bosun keygen [--prefix cosign] [--force]`: a cosign-compatible key pair (PREFIX.key, PREFIX.pub). */
import { access, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BosunError, EXIT, UsageError } from '../core/errors.ts';
import { generateKeyPair } from '../sign/keys.ts';
import { readPassword } from './password.ts';

const USAGE = `Usage: bosun keygen [--prefix cosign] [--force]

Writes a cosign-compatible ECDSA P-256 key pair: PREFIX.key (encrypted with the password from
BOSUN_PASSWORD, or asked for on a terminal) and PREFIX.pub. Refuses to overwrite unless --force.
`;

export async function runKeygen(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { prefix: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  const prefix = values.prefix ?? 'cosign';
  if (prefix === '') throw new UsageError('--prefix must not be empty');
  for (const file of [`${prefix}.key`, `${prefix}.pub`]) {
    if (values.force !== true && (await exists(file))) throw new BosunError('E_EXISTS', `${file} already exists (use --force to overwrite)`);
  }
  const password = await readPassword({ confirm: true });
  const pair = generateKeyPair(password);
  await writeFile(`${prefix}.key`, pair.privateKey, { mode: 0o600 });
  await writeFile(`${prefix}.pub`, pair.publicKey);
  process.stderr.write(`Private key written to ${prefix}.key\nPublic key written to ${prefix}.pub\n`);
  return EXIT.passed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
