import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDebianCopyright } from '../../src/image/analyzers/dpkg/index.ts';
import { classifyLicense, expressionAllowed } from '../../src/image/licenses/index.ts';
import { normalizeLicense } from '../../src/image/licenses/normalize.ts';
import { scanImage } from '../../src/image/scan.ts';
import { makeTar, writeLayout } from './fixtures.ts';

describe('licence normalisation and classes', () => {
  test('package metadata names → SPDX', () => {
    const cases: [string, string][] = [
      ['GPL-2+', 'GPL-2.0-or-later'],
      ['GPL-2', 'GPL-2.0-only'],
      ['GPLv3+', 'GPL-3.0-or-later'],
      ['LGPL-2.1+', 'LGPL-2.1-or-later'],
      ['Expat', 'MIT'],
      ['Apache 2.0', 'Apache-2.0'],
      ['BSD-3-clause', 'BSD-3-Clause'],
      ['public-domain', 'LicenseRef-public-domain'],
      ['GPL-2+ or Artistic', 'GPL-2.0-or-later OR Artistic-1.0'],
      ['MIT AND ISC', 'MIT AND ISC'],
      ['GPL-3.0-or-later WITH Bison exception', 'GPL-3.0-or-later WITH Bison exception'],
      ['Some Custom Licence', 'LicenseRef-Some-Custom-Licence'],
    ];
    for (const [input, want] of cases) assert.equal(normalizeLicense(input), want, input);
  });

  test('categories', () => {
    assert.deepEqual(['AGPL-3.0-only', 'GPL-3.0-or-later', 'MPL-2.0', 'MIT', 'MIT-0', 'CC0-1.0', 'LicenseRef-foo'].map(classifyLicense), ['forbidden', 'restricted', 'reciprocal', 'notice', 'permissive', 'unencumbered', 'unknown']);
  });

  test('DEP-5 copyright files: machine-readable only', () => {
    assert.deepEqual(parseDebianCopyright('Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: Expat\n Permission is hereby granted\n\nLicense: GPL-2+\n text\n'), ['GPL-2.0-or-later', 'MIT']);
    assert.equal(parseDebianCopyright('This package was debianized by someone.\nLicense: GPL\n'), undefined);
  });

  test('OR needs one allowed side, AND needs both', () => {
    const policy = { deny: ['GPL-3.0-*'] };
    assert.deepEqual(expressionAllowed('MIT OR GPL-3.0-only', policy), { allowed: true, offending: [] });
    assert.deepEqual(expressionAllowed('MIT AND GPL-3.0-only', policy), { allowed: false, offending: ['GPL-3.0-only'] });
    assert.deepEqual(expressionAllowed('GPL-3.0-or-later WITH Bison exception', policy), { allowed: false, offending: ['GPL-3.0-or-later'] });
    assert.deepEqual(expressionAllowed('Apache-2.0', { allow: ['MIT', 'BSD-*'] }), { allowed: false, offending: ['Apache-2.0'] });
  });
});

describe('licence policy on an image', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-lic-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const pj = (name: string, license: string) => JSON.stringify({ name, version: '1.0.0', license });

  test('deny GPL-3.0: one finding per denied package, severity by class; ignorePackages', async () => {
    const dir = join(tmp, 'img');
    writeLayout(dir, [
      makeTar([
        { name: 'app/node_modules/gpl/package.json', body: pj('gpl', 'GPL-3.0-only') },
        { name: 'app/node_modules/either/package.json', body: pj('either', '(MIT OR GPL-3.0-only)') },
        { name: 'app/node_modules/agpl/package.json', body: pj('agpl', 'AGPL-3.0-only') },
        { name: 'app/node_modules/ok/package.json', body: pj('ok', 'MIT') },
        { name: 'app/node_modules/skipme/package.json', body: pj('skipme', 'GPL-3.0-or-later') },
      ]),
    ]);
    const r = await scanImage(`oci-layout:${dir}:t`, { config: { waivers: [], checks: {}, licenses: { deny: ['GPL-3.0-*', 'AGPL-*'], ignorePackages: ['skip*'] } } as never, scanners: ['license'] });
    assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.message}`), [
      'LICENSE-DENIED critical npm package agpl@1.0.0 is licensed AGPL-3.0-only (forbidden: AGPL-3.0-only denied by bosun.yaml licenses)',
      'LICENSE-DENIED high npm package gpl@1.0.0 is licensed GPL-3.0-only (restricted: GPL-3.0-only denied by bosun.yaml licenses)',
    ]);
    assert.equal(r.summary.gateFailed, true);
    assert.deepEqual(r.packages.find((p) => p.name === 'either')!.licenses, ['MIT OR GPL-3.0-only']);
  });
});
