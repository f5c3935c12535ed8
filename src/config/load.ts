// Temporary minimal loader; replaced by the validated (zod) loader.
import { readFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import jsyaml from 'js-yaml';
import type { BosunConfig } from './types.ts';
import { BosunError } from '../core/errors.ts';

export const CONFIG_FILE_NAMES = ['bosun.yaml', 'bosun.yml'];

export async function findConfigFile(startDir: string): Promise<string | undefined> {
  let dir = startDir;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      try {
        await access(p);
        return p;
      } catch {}
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function loadConfigFile(path: string): Promise<BosunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read config`, { cause: err });
  }
  const raw = (jsyaml.load(text) ?? {}) as Partial<BosunConfig>;
  return { source: path, waivers: raw.waivers ?? [], checks: raw.checks ?? {}, ...(raw.failOn && { failOn: raw.failOn }), ...(raw.pss && { pss: raw.pss }) };
}
