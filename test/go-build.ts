/**
 * Builds a small Go program from test sources offline, in GOPATH mode against Debian's Go
 * packages (/usr/share/gocode), and caches the binary under
 * ~/.cache/bosun-test-images/<name>-<hash of source and go version>/. Used for reference
 * implementations the tests compare bosun with (Helm's template engine, Kubernetes' YAML).
 *
 * `goToolSkip()` is the node:test skip reason when golang-go or a Go package is missing, or throws
 * when BOSUN_REQUIRE_INTEGRATION=1 (CI installs them: .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const GOPATH_DEBIAN = '/usr/share/gocode';

export interface GoTool {
  /** Names the cache directory and the binary. */
  name: string;
  /** The program's main.go. */
  source: string;
  /** Debian package → the Go source directory it installs under /usr/share/gocode/src. */
  packages: Record<string, string>;
}

function goVersion(): string | undefined {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Skip reason, or undefined when the tool can be built; throws when integration is required. */
export function goToolSkip(tool: GoTool): string | undefined {
  const missing = [
    ...(goVersion() === undefined ? ['golang-go (go)'] : []),
    ...Object.entries(tool.packages).filter(([, dir]) => !existsSync(join(GOPATH_DEBIAN, 'src', dir))).map(([pkg]) => pkg),
  ];
  if (missing.length === 0) return undefined;
  if (process.env['BOSUN_REQUIRE_INTEGRATION'] === '1') throw new Error(`BOSUN_REQUIRE_INTEGRATION=1 but missing Debian packages for ${tool.name}: ${missing.join(', ')}`);
  return `${tool.name} needs Debian's ${missing.join(', ')}`;
}

const built = new Map<string, string>();

/** The tool's path: built once per source and Go version, then reused. */
export function goToolBinary(tool: GoTool): string {
  const known = built.get(tool.name);
  if (known !== undefined) return known;
  const source = readFileSync(tool.source);
  const key = createHash('sha256').update(source).update(goVersion() ?? '').digest('hex').slice(0, 16);
  const dir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bosun-test-images', `${tool.name}-${key}`);
  const bin = join(dir, tool.name);
  if (!existsSync(bin)) {
    // GOPATH mode, offline: Debian's Go source plus ours. The go.mod makes versioned imports
    // (`/v3`) resolve (Go's minimal module compatibility applies to code under a go.mod).
    const gopath = mkdtempSync(join(tmpdir(), `bosun-${tool.name}-`));
    try {
      const pkg = join(gopath, 'src', tool.name);
      mkdirSync(pkg, { recursive: true });
      copyFileSync(tool.source, join(pkg, 'main.go'));
      writeFileSync(join(pkg, 'go.mod'), `module ${tool.name}\n\ngo 1.19\n`);
      mkdirSync(dir, { recursive: true });
      const out = join(dir, `${tool.name}.${process.pid}.tmp`);
      execFileSync('go', ['build', '-o', out, tool.name], {
        cwd: gopath,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, GO111MODULE: 'off', GOPATH: `${GOPATH_DEBIAN}:${gopath}`, GOCACHE: join(gopath, 'cache'), GOFLAGS: '', GOPROXY: 'off' },
      });
      // Concurrent test processes may both build: the rename is atomic, the last one wins.
      renameSync(out, bin);
    } finally {
      rmSync(gopath, { recursive: true, force: true });
    }
  }
  built.set(tool.name, bin);
  return bin;
}
