/**
 * Real test images, built offline from Debian's mirror and cached between runs under
 * ~/.cache/bosun-test-images/<recipe hash>/ (never in the repository):
 *
 * - `rootfs/`: `debootstrap --variant=minbase bookworm`;
 * - `oci/` (umoci): tag `debian` = that rootfs as one layer; tag `app` = debian plus a layer with
 *   node_modules, a Python dist-info, a Go binary (Debian's golang-go), a setuid file, a planted
 *   secret file, then a layer whose whiteout deletes the secret again;
 * - `oci-zstd/` (skopeo, zstd layers) and `debian.tar` / `app.tar` (skopeo docker-archive).
 *
 * Tests call `testImages()`: it returns undefined (skip) when the tools are missing, or throws
 * when BOSUN_REQUIRE_INTEGRATION=1.
 */
import '../hermetic.ts';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const REQUIRE_INTEGRATION = process.env['BOSUN_REQUIRE_INTEGRATION'] === '1';

export interface TestImages {
  dir: string;
  rootfs: string;
  oci: string;
  ociZstd: string;
  debianTar: string;
  appTar: string;
}

const MIRROR = 'http://deb.debian.org/debian';
const TOOLS = ['debootstrap', 'umoci', 'skopeo', 'go'];

/** Any change to the recipe below must change this text (it keys the cache). */
const RECIPE = `v4 debootstrap minbase bookworm ${MIRROR}; umoci app layers node/python/go/setuid/secret+whiteout; skopeo zstd + docker-archive`;

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function missingTools(names: string[] = TOOLS): string[] {
  return names.filter((n) => !hasTool(n));
}

/** Skip reason for node:test, or undefined to run; throws when integration is required. */
export function integrationSkip(tools: string[]): string | undefined {
  const missing = missingTools(tools);
  if (missing.length === 0) return undefined;
  if (REQUIRE_INTEGRATION) throw new Error(`BOSUN_REQUIRE_INTEGRATION=1 but missing: ${missing.join(', ')}`);
  return `missing tools: ${missing.join(', ')}`;
}

export function cacheRoot(): string {
  return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bosun-test-images');
}

let memo: TestImages | undefined;

/** Builds (once, under a lock) or reuses the cached images. */
export function testImages(): TestImages | undefined {
  if (memo !== undefined) return memo;
  if (integrationSkip(TOOLS) !== undefined) return undefined;
  const key = createHash('sha256').update(RECIPE).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(), key);
  const images: TestImages = {
    dir,
    rootfs: join(dir, 'rootfs'),
    oci: join(dir, 'oci'),
    ociZstd: join(dir, 'oci-zstd'),
    debianTar: join(dir, 'debian.tar'),
    appTar: join(dir, 'app.tar'),
  };
  if (!existsSync(join(dir, 'DONE'))) {
    mkdirSync(cacheRoot(), { recursive: true });
    // flock serialises concurrent test processes building the same recipe.
    execFileSync('flock', [join(cacheRoot(), `${key}.lock`), process.execPath, import.meta.filename, dir], { stdio: 'inherit' });
  }
  memo = images;
  return images;
}

function run(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], ...(cwd !== undefined && { cwd }) });
}

/** The actual build; runs in a child process under the lock. */
function build(dir: string): void {
  if (existsSync(join(dir, 'DONE'))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rootfs = join(dir, 'rootfs');
  run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, MIRROR]);
  // apt lists and caches differ run to run; they are not part of what we test.
  rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
  const oci = join(dir, 'oci');
  run('umoci', ['init', '--layout', oci]);
  run('umoci', ['new', '--image', `${oci}:debian`]);
  run('umoci', ['insert', '--image', `${oci}:debian`, '--history.created_by', 'debootstrap --variant=minbase bookworm', rootfs, '/']);
  run('umoci', ['config', '--image', `${oci}:debian`, '--config.cmd', '/bin/bash', '--config.env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--os', 'linux', '--architecture', 'amd64']);

  const app = join(dir, 'app-layer');
  writeAppLayer(app);
  run('umoci', ['insert', '--image', `${oci}:debian`, '--tag', 'app', '--history.created_by', 'COPY app / # buildkit', app, '/']);
  run('umoci', ['insert', '--image', `${oci}:app`, '--whiteout', '--history.created_by', 'RUN rm /srv/app/.env', '/srv/app/.env']);
  run('umoci', [
    'config', '--image', `${oci}:app`,
    '--config.env', 'GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345',
    '--config.exposedports', '22/tcp',
    '--config.exposedports', '8080/tcp',
    '--config.workingdir', '/srv/app',
    '--config.entrypoint', '/usr/local/bin/hello',
    '--history.created_by', 'ENV GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345 EXPOSE 22 8080',
  ]);
  run('umoci', ['gc', '--layout', oci]);
  rmSync(app, { recursive: true, force: true });

  run('skopeo', ['copy', '--quiet', '--dest-compress-format', 'zstd', `oci:${oci}:debian`, `oci:${join(dir, 'oci-zstd')}:debian`]);
  run('skopeo', ['copy', '--quiet', `oci:${oci}:debian`, `docker-archive:${join(dir, 'debian.tar')}:bosun-test/debian:bookworm`]);
  run('skopeo', ['copy', '--quiet', `oci:${oci}:app`, `docker-archive:${join(dir, 'app.tar')}:bosun-test/app:1.0`]);
  writeFileSync(join(dir, 'DONE'), `${RECIPE}\n`);
}

/** Files of the `app` layer: installed packages of three ecosystems, a Go binary, a secret. */
function writeAppLayer(root: string): void {
  rmSync(root, { recursive: true, force: true });
  const nm = join(root, 'srv/app/node_modules');
  const pkg = (sub: string, body: object) => {
    mkdirSync(join(nm, sub), { recursive: true });
    writeFileSync(join(nm, sub, 'package.json'), JSON.stringify(body, null, 2));
  };
  mkdirSync(join(root, 'srv/app'), { recursive: true });
  writeFileSync(join(root, 'srv/app/package.json'), JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true, dependencies: { express: '^4.18.2', '@types/node': '^20.0.0' } }, null, 2));
  pkg('express', { name: 'express', version: '4.18.2', license: 'MIT', dependencies: { debug: '2.6.9' } });
  pkg('debug', { name: 'debug', version: '2.6.9', license: 'MIT', dependencies: { ms: '2.0.0' } });
  pkg('ms', { name: 'ms', version: '2.0.0', license: 'MIT' });
  pkg('@types/node', { name: '@types/node', version: '20.11.5', license: 'MIT' });
  pkg('express/node_modules/ms', { name: 'ms', version: '2.1.3', license: 'MIT' });
  pkg('gpl-thing', { name: 'gpl-thing', version: '0.1.0', license: 'GPL-3.0-only' });
  const site = join(root, 'usr/local/lib/python3.11/dist-packages');
  mkdirSync(join(site, 'requests-2.31.0.dist-info'), { recursive: true });
  writeFileSync(join(site, 'requests-2.31.0.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\nRequires-Dist: urllib3 (<3,>=1.21.1)\n\nPython HTTP for Humans.\n');
  mkdirSync(join(site, 'urllib3-2.0.7.dist-info'), { recursive: true });
  writeFileSync(join(site, 'urllib3-2.0.7.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: urllib3\nVersion: 2.0.7\nLicense-Expression: MIT\n\n');
  writeFileSync(join(root, 'srv/app/.env'), 'AWS_ACCESS_KEY_ID=AKIAQYLPMN5HFIQR7XQZ\nAWS_SECRET_ACCESS_KEY=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\n');
  mkdirSync(join(root, 'srv/app/config'), { recursive: true });
  writeFileSync(join(root, 'srv/app/config/settings.py'), 'DEBUG = False\nDATABASE_URL = "postgres://app:S3cr3tPassw0rd@db:5432/app"\n');
  // Documentation paths are allow-listed: this must not be reported.
  mkdirSync(join(root, 'usr/share/doc/demo-app'), { recursive: true });
  writeFileSync(join(root, 'usr/share/doc/demo-app/README'), 'export GITHUB_TOKEN=ghp_abcdefghijABCDEFGHIJ0123456789abcdef\n');
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
  writeFileSync(join(root, 'usr/local/bin/suid-helper'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(root, 'usr/local/bin/suid-helper'), 0o4755);
  buildGoBinary(join(root, 'usr/local/bin/hello'));
}

/** A Go program with one dependency replaced by a local module, so the build info lists it. */
function buildGoBinary(out: string): void {
  const src = `${out}.src`;
  rmSync(src, { recursive: true, force: true });
  mkdirSync(join(src, 'greeter'), { recursive: true });
  writeFileSync(join(src, 'go.mod'), 'module example.com/hello\n\ngo 1.19\n\nrequire example.com/greeter v1.2.3\n\nreplace example.com/greeter => ./greeter\n');
  writeFileSync(join(src, 'main.go'), 'package main\n\nimport "example.com/greeter"\n\nfunc main() { greeter.Hello() }\n');
  writeFileSync(join(src, 'greeter/go.mod'), 'module example.com/greeter\n\ngo 1.19\n');
  writeFileSync(join(src, 'greeter/greeter.go'), 'package greeter\n\nimport "fmt"\n\nfunc Hello() { fmt.Println("hello") }\n');
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOCACHE: join(src, '.gocache'), GOPATH: join(src, '.gopath'), CGO_ENABLED: '0' };
  execFileSync('go', ['build', '-o', out, '.'], { cwd: src, env, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(src, { recursive: true, force: true });
}

if (process.argv[1] === import.meta.filename && process.argv[2] !== undefined) {
  const target = process.argv[2];
  const tmp = `${target}.building`;
  if (!existsSync(join(target, 'DONE'))) {
    build(tmp);
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
    // Recorded for the dpkg test: what dpkg-query prints for the same rootfs.
    const out = execFileSync('dpkg-query', [`--admindir=${join(target, 'rootfs/var/lib/dpkg')}`, '-W', '-f', '${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n']).toString();
    writeFileSync(join(target, 'dpkg-query.tsv'), out);
  }
  void readFileSync;
}

/** Skip reason for CLI tests when dist/ is not built (npm test builds it); a failure when integration is required. */
export function distSkip(bin: string): string | undefined {
  if (existsSync(bin)) return undefined;
  if (REQUIRE_INTEGRATION) throw new Error(`BOSUN_REQUIRE_INTEGRATION=1 but ${bin} is not built (npm run build)`);
  return 'dist not built (npm test builds it)';
}
