import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scanFilesystem } from '../../src/image/fs-scan.ts';
import { REPO_ROOT } from '../helpers.ts';
import { distSkip, integrationSkip, testImages } from './images.ts';

const BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');
function bosun(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'bosun-fs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, body: string): void {
  mkdirSync(join(tmp, 'repo', rel, '..'), { recursive: true });
  writeFileSync(join(tmp, 'repo', rel), body);
}

before(() => {
  write('web/package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'web' }, 'node_modules/left-pad': { version: '1.3.0', license: 'WTFPL' }, 'node_modules/gpl-lib': { version: '2.0.0', license: 'GPL-3.0-only' } } }));
  write('web/node_modules/ignored/package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/x': { version: '9.9.9' } } }));
  write('svc/requirements.txt', 'requests==2.31.0\nflask>=2.0\n');
  write('svc/go.mod', 'module example.com/svc\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n');
  write('svc/.env.production', 'STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n');
  write('.git/config', 'token = ghp_0123456789abcdefghijABCDEFGHIJ012345\n');
  write('custom.lock', 'requests==2.0.0\n');
  write('bosun.yaml', 'failOn: high\nlicenses:\n  deny: ["GPL-3.0-*"]\n');
});

describe('bosun fs scan', () => {
  test('lockfiles, secrets and licences of a tree; .git and node_modules skipped', async () => {
    const r = await scanFilesystem(join(tmp, 'repo'), { config: join(tmp, 'repo/bosun.yaml'), lockfiles: [{ type: 'requirements', path: join(tmp, 'repo/custom.lock') }] });
    assert.deepEqual(r.packages.map((p) => `${p.purl} ${p.path.replace(tmp, '')}`), [
      'pkg:golang/github.com/pkg/errors@0.9.1 svc/go.mod',
      'pkg:golang/stdlib@1.22 svc/go.mod',
      'pkg:npm/gpl-lib@2.0.0 web/package-lock.json',
      'pkg:npm/left-pad@1.3.0 web/package-lock.json',
      'pkg:pypi/flask@2.0 svc/requirements.txt',
      'pkg:pypi/requests@2.0.0 /repo/custom.lock',
      'pkg:pypi/requests@2.31.0 svc/requirements.txt',
    ]);
    assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.target.type} ${f.location?.file ?? (f.target.type === 'file' ? f.target.path : '')}`), [
      'LICENSE-DENIED high file web/package-lock.json',
      'secret/stripe-secret-token critical file svc/.env.production',
    ]);
    assert.equal(r.image.source, 'filesystem');
    assert.equal(r.summary.gateFailed, true);
    assert.ok(!JSON.stringify(r).includes('sk_live_4eC39'));
  });

  test('CLI: fs scan exit codes, --lockfile, SBOM output', { skip: distSkip(BIN) }, () => {
    const r = bosun(['fs', 'scan', 'repo', '--format', 'json', '--no-config'], tmp);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).packages.length, 6);
    const ok = bosun(['fs', 'scan', '--lockfile', 'requirements:repo/custom.lock', '--format', 'json', '--no-config'], tmp);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).packages.map((p: { purl: string }) => p.purl), ['pkg:pypi/requests@2.0.0']);
    const bad = bosun(['fs', 'scan', '--lockfile', 'nonsense:x'], tmp);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--lockfile: expected TYPE:PATH/);
    const sbom = bosun(['sbom', 'repo', '--format', 'cyclonedx'], tmp);
    assert.equal(sbom.status, 0, sbom.stderr);
    assert.equal(JSON.parse(sbom.stdout).specVersion, '1.6');
    const spdx = bosun(['sbom', 'repo', '--format', 'spdx'], tmp);
    assert.equal(JSON.parse(spdx.stdout).spdxVersion, 'SPDX-2.3');
  });
});

describe('bosun image scan (CLI)', { skip: integrationSkip(['debootstrap', 'umoci', 'skopeo', 'go']) ?? (existsSync(BIN) ? undefined : 'dist not built') }, () => {
  test('JSON report of the app image: inventory, findings, gate, no secret values', () => {
    const imgs = testImages()!;
    const r = bosun(['image', 'scan', `oci-layout:${imgs.oci}:app`, '--format', 'json', '--no-config'], tmp);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.os, { family: 'debian', version: '12', name: 'Debian GNU/Linux 12 (bookworm)', codename: 'bookworm' });
    assert.equal(report.packages.length, 99);
    const p = report.packages.find((x: { name: string }) => x.name === 'libc6');
    assert.deepEqual(Object.keys(p).sort(), ['arch', 'dependsOn', 'ecosystem', 'layer', 'licenses', 'name', 'path', 'purl', 'source', 'version']);
    assert.equal(p.path, 'var/lib/dpkg/status');
    assert.ok(!r.stdout.includes('ghp_0123456789abcdefghij'));
    assert.ok(!r.stdout.includes('AKIAQYLPMN5HFIQR7XQZ'));
    assert.ok(!r.stdout.includes('S3cr3tPassw0rd'));
    const rules = report.findings.map((f: { ruleId: string }) => f.ruleId);
    for (const id of ['IMAGE-ROOT-USER', 'IMAGE-SECRET-ENV', 'IMAGE-SSH-PORT', 'IMAGE-NO-HEALTHCHECK', 'IMAGE-SETUID-FILE', 'IMAGE-PACKAGE-CACHE', 'secret/aws-access-key-id', 'secret/aws-secret-access-key', 'secret/database-url-password', 'secret/github-pat']) assert.ok(rules.includes(id), id);
    const sarif = bosun(['image', 'scan', `oci-layout:${imgs.oci}:app`, '--format', 'sarif', '--no-config', '--scanners', 'secret'], tmp);
    assert.equal(sarif.status, 1);
    assert.equal(JSON.parse(sarif.stdout).version, '2.1.0');
    const table = bosun(['image', 'scan', `oci-layout:${imgs.oci}:debian`, '--format', 'table', '--no-config', '--scanners', ''], tmp);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^Image: oci-layout:.*:debian \(sha256:[a-f0-9]{64}\)\nOS: Debian GNU\/Linux 12 \(bookworm\)\nPackages: 88 \(deb 88\)\n/);
    const missing = bosun(['image', 'scan', `oci-layout:${tmp}/nope`], tmp);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^bosun: oci-layout:.*: not an OCI image layout/);
  });
});
