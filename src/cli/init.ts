import { parseArgs } from 'node:util';
import { EXIT } from '../core/errors.ts';
import { writeStarterConfig } from '../config/init.ts';

export async function runInit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' } } });
  const path = await writeStarterConfig(positionals[0] ?? '.', { force: values.force === true });
  process.stdout.write(`wrote ${path}\n`);
  return EXIT.passed;
}
