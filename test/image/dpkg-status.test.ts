/**
 * bosun reads var/lib/dpkg/status as dpkg does: random stanzas (field names in any case, as dpkg
 * accepts them; every package state; continuation lines; CRLF-free and extra blank lines) give the
 * packages dpkg-query lists as installed (status word `installed`), with their versions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDpkgStatus } from '../../src/image/analyzers/dpkg/index.ts';
import { prng } from '../../bench/prng.ts';

const dpkgQuery = spawnSync('dpkg-query', ['--version']).status === 0;

test('random status files: the installed packages dpkg-query lists', { skip: dpkgQuery ? undefined : 'no dpkg-query' }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const spell = (field: string): string => pick([field, field, field.toLowerCase(), field.toUpperCase()]);
  const states = ['install ok installed', 'install ok installed', 'hold ok installed', 'deinstall ok config-files', 'install ok half-installed', 'install ok unpacked', 'purge ok not-installed', 'install reinstreq half-configured'];
  const dir = mkdtempSync(join(tmpdir(), 'bosun-dpkg-'));
  try {
    for (let round = 0; round < 20; round++) {
      const stanzas = Array.from({ length: 1 + Math.floor(rnd() * 12) }, (_, i) => {
        const fields = [
          `${spell('Package')}: pkg${round}-${i}`,
          `${spell('Status')}: ${pick(states)}`,
          `${spell('Version')}: ${pick(['1.0', '2:1.2.3-4', '0.9~rc1+dfsg-2', '10'])}`,
          `${spell('Architecture')}: ${pick(['amd64', 'all'])}`,
          `${spell('Maintainer')}: A <a@example.com>`,
          `${spell('Description')}: tool\n second line\n .\n third`,
        ];
        // dpkg keeps no order among fields; the package name usually comes first
        const rest = fields.slice(1);
        for (let j = rest.length - 1; j > 0; j--) {
          const k = Math.floor(rnd() * (j + 1));
          [rest[j], rest[k]] = [rest[k]!, rest[j]!];
        }
        return [fields[0], ...rest].join('\n');
      });
      const text = `${stanzas.join(pick(['\n\n', '\n\n\n']))}\n`;
      mkdirSync(join(dir, 'info'), { recursive: true });
      writeFileSync(join(dir, 'status'), text);
      writeFileSync(join(dir, 'available'), '');
      const r = spawnSync('dpkg-query', [`--admindir=${dir}`, '-W', '-f=${Status} ${Package} ${Version}\\n'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const want = r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.split(' ')[2] === 'installed')
        .map((l) => l.split(' ').slice(3).join(' '))
        .sort();
      const got = parseDpkgStatus(text, 'var/lib/dpkg/status').map((p) => `${p.name} ${p.version}`).sort();
      assert.deepEqual(got, want, text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
