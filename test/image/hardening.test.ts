import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { scanImage } from '../../src/image/scan.ts';
import { spawnSync } from 'node:child_process';
import { makeTar, writeLayout, type TarEntry } from './fixtures.ts';
import { parsePasswd, resolveImageUser } from '../../src/image/hardening/image-user.ts';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';
import { prng } from '../../bench/prng.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bosun-hardening-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function hardening(config: Record<string, unknown>, files: TarEntry[] = [], bosun: Record<string, unknown> = {}) {
  const dir = join(tmp, `h${n++}`);
  writeLayout(dir, [makeTar(files)], { config });
  const r = await scanImage(`oci-layout:${dir}:t`, { config: { waivers: [], checks: {}, ...bosun } as never, scanners: ['hardening'] });
  return r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
}

const HARDENED = { config: { User: '10001', Healthcheck: { Test: ['CMD', '/healthz'] }, ExposedPorts: { '8080/tcp': {} } }, history: [{ created_by: 'COPY app /app' }] };

describe('image hardening checks', () => {
  test('a hardened image has no findings', async () => {
    assert.deepEqual(await hardening(HARDENED), []);
  });

  test('root user: no USER, USER 0, USER root:root; a non-root name passes', async () => {
    const base = { ...HARDENED.config };
    assert.deepEqual(await hardening({ config: { ...base, User: '' } }), ['IMAGE-ROOT-USER high the image config sets no USER: containers run as root']);
    assert.deepEqual(await hardening({ config: { ...base, User: '0' } }), ['IMAGE-ROOT-USER high the image config sets USER 0: containers run as root']);
    assert.deepEqual(await hardening({ config: { ...base, User: 'root:root' } }), ['IMAGE-ROOT-USER high the image config sets USER root:root: containers run as root']);
    assert.deepEqual(await hardening({ config: { ...base, User: 'app' } }), []);
  });

  test('root user as the runtime resolves USER: numeric uids with zeros or a sign, and names /etc/passwd gives uid 0', async () => {
    // runc (and containerd's WithUser) read a user that parses as a Go integer as a uid: `00`, `+0`, `-0` are root.
    const base = { ...HARDENED.config };
    for (const user of ['00', '+0', '-0', '000:1000']) {
      assert.deepEqual(await hardening({ config: { ...base, User: user } }), [`IMAGE-ROOT-USER high the image config sets USER ${user}: containers run as root`], user);
    }
    const passwd = (text: string): TarEntry[] => [{ name: 'etc/passwd', body: text }];
    const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:10001:10001::/app:/bin/false\nbroken:x:abc:0::/:/bin/sh\n';
    assert.deepEqual(await hardening({ config: { ...base, User: 'toor' } }, passwd(PASSWD)), ['IMAGE-ROOT-USER high the image config sets USER toor, which /etc/passwd gives uid 0: containers run as root']);
    // A uid field that does not parse reads as 0 to runc.
    assert.deepEqual(await hardening({ config: { ...base, User: 'broken:app' } }, passwd(PASSWD)), ['IMAGE-ROOT-USER high the image config sets USER broken:app, which /etc/passwd gives uid 0: containers run as root']);
    assert.deepEqual(await hardening({ config: { ...base, User: 'app' } }, passwd(PASSWD)), []);
    // The first matching line wins.
    assert.deepEqual(await hardening({ config: { ...base, User: 'app' } }, passwd('app:x:0:0::/:/bin/sh\napp:x:10001:10001::/:/bin/sh\n')).then((f) => f.length), 1);
    assert.deepEqual(await hardening({ config: { ...base, User: '10001' } }, passwd(PASSWD)), []);
  });

  test('secrets in ENV and build args, values never shown; *_FILE names are references', async () => {
    const f = await hardening({
      config: { ...HARDENED.config, Env: ['DB_PASSWORD=hunter2', 'API_KEY=abc', 'PASSWORD_FILE=/run/secrets/pw', 'PATH=/bin', 'EMPTY_TOKEN='] },
      history: [{ created_by: '|2 GITHUB_TOKEN=ghx VERSION=1.2 /bin/sh -c make' }],
    });
    assert.deepEqual(f, [
      'IMAGE-SECRET-ENV critical ENV DB_PASSWORD is set to a value in the image config (value not shown)',
      'IMAGE-SECRET-ENV critical ENV API_KEY is set to a value in the image config (value not shown)',
      'IMAGE-SECRET-ENV critical build argument GITHUB_TOKEN is recorded with its value in history step 1 (value not shown)',
    ]);
    assert.ok(!f.join().includes('hunter2'));
  });

  test('history: ADD of a URL, curl|sh, FROM latest; ADD --checksum passes', async () => {
    const f = await hardening({
      config: HARDENED.config,
      history: [
        { created_by: 'ADD https://example.com/tool.tgz /opt/' },
        { created_by: 'ADD --checksum=sha256:abc https://example.com/ok.tgz /opt/' },
        { created_by: '/bin/sh -c curl -fsSL https://get.example.com/install.sh | bash' },
        { created_by: 'RUN wget -qO- https://x.example/s | sh -s -- -y' },
        { created_by: '# FROM node:latest' },
        { created_by: '# FROM debian:12@sha256:aaaa' },
      ],
    });
    // Sorted by severity, then rule ID.
    assert.deepEqual(f, [
      'IMAGE-CURL-PIPE-SHELL high history step 3 pipes a download into a shell',
      'IMAGE-CURL-PIPE-SHELL high history step 4 pipes a download into a shell',
      'IMAGE-ADD-REMOTE-URL medium history step 1 ADDs a remote URL without --checksum',
      'IMAGE-LATEST-BASE medium history step 5 builds FROM node:latest, not pinned to a version',
    ]);
  });

  test('SSH port, missing or NONE healthcheck, latest base label', async () => {
    assert.deepEqual(await hardening({ config: { ...HARDENED.config, ExposedPorts: { '22/tcp': {}, '8080/tcp': {} }, Healthcheck: { Test: ['NONE'] }, Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine' } } }), [
      'IMAGE-LATEST-BASE medium the base image docker.io/library/alpine is not pinned to a version',
      'IMAGE-SSH-PORT medium the image exposes 22/tcp',
      'IMAGE-NO-HEALTHCHECK low the image config defines no HEALTHCHECK',
    ]);
  });

  test('setuid/setgid files in the final filesystem and package caches', async () => {
    const f = await hardening(HARDENED, [
      { name: 'usr/bin/su', body: 'x', mode: 0o4755 },
      { name: 'usr/bin/wall', body: 'x', mode: 0o2755 },
      { name: 'usr/bin/ls', body: 'x', mode: 0o755 },
      { name: 'var/cache/apt/archives/curl_8.deb', body: 'x'.repeat(100) },
      { name: 'var/cache/apt/archives/lock', body: '' },
      { name: 'var/lib/apt/lists/deb.debian.org_Packages', body: 'x'.repeat(50) },
    ]);
    assert.deepEqual(f, [
      'IMAGE-SETUID-FILE medium /usr/bin/su is setuid (mode 4755)',
      'IMAGE-SETUID-FILE medium /usr/bin/wall is setgid (mode 2755)',
      'IMAGE-PACKAGE-CACHE low /var/cache/apt/archives holds 1 file(s), 100 bytes',
      'IMAGE-PACKAGE-CACHE low /var/lib/apt/lists holds 1 file(s), 50 bytes',
    ]);
  });

  test('checks.disable and checks.severity from bosun.yaml apply to image checks', async () => {
    const f = await hardening({ config: { User: '' } }, [], { checks: { disable: ['IMAGE-NO-HEALTHCHECK'], severity: { 'IMAGE-ROOT-USER': 'critical' } } });
    assert.deepEqual(f, ['IMAGE-ROOT-USER critical the image config sets no USER: containers run as root']);
  });
});

describe('custom image rules (CEL)', () => {
  test('rules over image.config, image.history and image.packages; a broken expression is E_CONFIG', async () => {
    const rules = [
      { id: 'IMG-NO-BASH', title: 'bash installed', severity: 'medium', when: 'image.packages.exists(p, p.name == "bash")' },
      { id: 'IMG-WORKDIR', title: 'WorkingDir must be /srv', severity: 'low', when: '!has(image.config.WorkingDir) || image.config.WorkingDir != "/srv"', message: 'WorkingDir is not /srv' },
      { id: 'IMG-FEW-LAYERS', title: 'too many layers', severity: 'info', when: 'image.layers > 5 || size(image.history) > 5' },
    ];
    const f = await hardening({ ...HARDENED, config: { ...HARDENED.config, WorkingDir: '/app' } }, [{ name: 'var/lib/dpkg/status', body: 'Package: bash\nStatus: install ok installed\nVersion: 5.2\n\n' }], { imageRules: rules });
    assert.deepEqual(f, ['IMG-NO-BASH medium bash installed', 'IMG-WORKDIR low WorkingDir is not /srv']);
    await assert.rejects(hardening(HARDENED, [], { imageRules: [{ id: 'IMG-BAD', title: 'x', severity: 'low', when: 'image.packages.exists(' }] }), { code: 'E_CONFIG' });
  });
});

/**
 * bosun's reading of USER against runc's own (libcontainer/user, built offline from Debian's
 * golang-github-opencontainers-runc-dev): random user specs (names, numbers with signs and
 * zeros, groups) over random /etc/passwd files (duplicates, bad uid fields, comments, blank and
 * padded lines) and none. Wherever runc starts the container, bosun's uid is runc's.
 */
const RUNC_USER: GoTool = {
  name: 'runc-user',
  source: new URL('./runc-user/main.go', import.meta.url).pathname,
  packages: { 'golang-github-opencontainers-runc-dev': 'github.com/opencontainers/runc/libcontainer/user' },
};

test('USER resolves to the uid runc runs it as', { skip: goToolSkip(RUNC_USER) ?? false }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const names = ['root', 'app', 'toor', 'nobody', '#app', '1000', '0', 'x y'];
  const uids = ['0', '00', '1000', '10001', '+0', '-1', 'abc', '', '65534', ' 5'];
  const specs = ['', '0', '00', '+0', '-0', '-1', '1000', '10001', '0x0', '1e3', 'root', 'app', 'toor', 'nobody', 'missing', '1000:0', 'app:root', ':0', '0:', ' 0', '2147483648'];
  const cases: Array<[string, string | undefined]> = [];
  for (let i = 0; i < 3000; i++) {
    const lines = Array.from({ length: Math.floor(rnd() * 6) }, () => pick(['', '   ', `${pick(names)}:x:${pick(uids)}:0::/:/bin/sh`, `  ${pick(names)}:x:${pick(uids)}`, pick(names)]));
    cases.push([pick(specs), rnd() < 0.15 ? undefined : lines.join(pick(['\n', '\r\n']))]);
  }
  const r = spawnSync(goToolBinary(RUNC_USER), { input: cases.map(([u, p]) => `${u}\t${p === undefined ? '-' : Buffer.from(p).toString('base64')}`).join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n');
  assert.equal(theirs.length, cases.length);
  const wrong: string[] = [];
  let started = 0;
  cases.forEach(([spec, passwd], i) => {
    if (theirs[i] === 'ERR') return; // runc refuses to start the container
    started++;
    const ours = resolveImageUser(spec, passwd === undefined ? undefined : parsePasswd(passwd));
    if (String(ours.uid) !== theirs[i] && wrong.length < 10) wrong.push(`USER ${JSON.stringify(spec)} over ${JSON.stringify(passwd)}: bosun ${ours.uid}, runc ${theirs[i]}`);
  });
  assert.deepEqual(wrong, []);
  assert.ok(started > 1000, `${started} cases runc starts`);
});
