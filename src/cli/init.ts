import { parseArgs } from 'node:util';
import { EXIT } from '../core/errors.ts';
import { writeStarterConfig } from '../config/init.ts';

const USAGE = `Usage: bosun init [DIR] [--force]

Writes a commented starter bosun.yaml (failOn, pss, waivers, checks, exclude …) into DIR (default: .).
Refuses when DIR already has a bosun.yaml or bosun.yml, unless --force.
`;

export async function runInit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  const path = await writeStarterConfig(positionals[0] ?? '.', { force: values.force === true });
  process.stdout.write(`wrote ${path}\n`);
  return EXIT.passed;
}
