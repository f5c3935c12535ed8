/** `bosun keygen` and `bosun verify --bundle` as a user runs them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPrivateKey } from '../../src/sign/keys.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const DATA = new URL('../../../shared/testdata/sigstore/', import.meta.url).pathname;
const CONF = `${DATA}conformance/bundle-verify/`;
const IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

function bosun(args: string[], cwd = ROOT, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('keygen writes cosign.key (encrypted with BOSUN_PASSWORD) and cosign.pub, and will not overwrite them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-keygen-'));
  const r = bosun(['keygen'], dir, { BOSUN_PASSWORD: 's3cret' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'Private key written to cosign.key\nPublic key written to cosign.pub\n');
  const key = readPrivateKey(readFileSync(join(dir, 'cosign.key'), 'utf8'), 's3cret');
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const again = bosun(['keygen'], dir, { BOSUN_PASSWORD: 's3cret' });
  assert.equal(again.status, 2);
  assert.equal(again.stderr, 'bosun: cosign.key already exists (use --force to overwrite)\n');
});

test('verify --bundle: keyless with the exact identity passes (exit 0); another identity fails (exit 1) naming the code', () => {
  const args = ['verify', '--bundle', `${CONF}happy-path-v0.3/bundle.sigstore.json`, '--artifact', `${CONF}a.txt`, '--trusted-root', `${DATA}trusted-roots/public-good.json`, '--certificate-oidc-issuer', ISSUER];
  const ok = bosun([...args, '--certificate-identity', IDENTITY]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /: verified: signed by https:\/\/github\.com\/sigstore-conformance\/.*@refs\/heads\/main \(https:\/\/token\.actions\.githubusercontent\.com\)\n$/);
  const bad = bosun([...args, '--certificate-identity', `${IDENTITY}x`]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /: FAILED: UNTRUSTED_SIGNER_ERROR: /);
});

test('verify --bundle with --key and --artifact-digest (managed key case)', () => {
  const dir = `${CONF}managed-key-happy-path/`;
  const digest = 'sha256:' + (spawnSync('sha256sum', [`${CONF}a.txt`], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '');
  const r = bosun(['verify', '--bundle', `${dir}bundle.sigstore.json`, '--artifact-digest', digest, '--trusted-root', `${DATA}trusted-roots/public-good.json`, '--key', `${dir}key.pub`, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.deepEqual(JSON.parse(r.stdout), { bundle: `${dir}bundle.sigstore.json`, verified: true, detail: 'signed by the given key' });
});

test('verify usage errors exit 2', () => {
  const r = bosun(['verify', 'registry.example.com/app:1']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'bosun: give --key, or --certificate-identity with --certificate-oidc-issuer\n');
});

test('sign/attest: --help says where the signature goes; a missing key or image is a usage error (exit 2)', () => {
  const help = bosun(['sign', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /pushes it to the image's repository: the Sigstore bundle v0\.3 as an\nOCI 1\.1 referrer/);
  const noKey = bosun(['sign', 'registry.example.com/app:1']);
  assert.equal(noKey.status, 2);
  assert.match(noKey.stderr, /^bosun: Usage:\n {2}bosun sign IMAGE --key cosign\.key/);
  const attest = bosun(['attest', '--key', 'k']);
  assert.equal(attest.status, 2);
  assert.match(attest.stderr, /bosun attest IMAGE --key cosign\.key --type vuln\|sbom\|scan --predicate FILE/);
});
