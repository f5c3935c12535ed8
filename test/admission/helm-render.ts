/**
 * Renders a Helm chart without helm: builds test/admission/helm-render (Go, ~330 lines: Helm's
 * template engine for what bosun's chart uses, on Helm's own libraries sprig and
 * sigs.k8s.io/yaml) offline in GOPATH mode from Debian's packages, and caches the binary under
 * ~/.cache/bosun-test-images/helm-render-<hash of source and go version>/.
 *
 * `helmRenderSkip()` is the node:test skip reason when golang-go or the Go packages are missing,
 * or throws when BOSUN_REQUIRE_INTEGRATION=1 (CI installs them: .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = new URL('./helm-render/main.go', import.meta.url).pathname;
const GOPATH_DEBIAN = '/usr/share/gocode';
/** Debian package → the Go source directory it installs. */
const GO_PACKAGES: Record<string, string> = {
  'golang-github-masterminds-sprig-dev': 'github.com/Masterminds/sprig',
  'golang-k8s-sigs-yaml-dev': 'sigs.k8s.io/yaml',
};

function goVersion(): string | undefined {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Skip reason, or undefined when the renderer can be built; throws when integration is required. */
export function helmRenderSkip(): string | undefined {
  const missing = [
    ...(goVersion() === undefined ? ['golang-go (go)'] : []),
    ...Object.entries(GO_PACKAGES).filter(([, dir]) => !existsSync(join(GOPATH_DEBIAN, 'src', dir))).map(([pkg]) => pkg),
  ];
  if (missing.length === 0) return undefined;
  if (process.env['BOSUN_REQUIRE_INTEGRATION'] === '1') throw new Error(`BOSUN_REQUIRE_INTEGRATION=1 but missing Debian packages for helm-render: ${missing.join(', ')}`);
  return `helm-render needs Debian's ${missing.join(', ')}`;
}

let binary: string | undefined;

/** The renderer's path: built once per source and Go version, then reused. */
export function helmRenderBinary(): string {
  if (binary !== undefined) return binary;
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).update(goVersion() ?? '').digest('hex').slice(0, 16);
  const dir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bosun-test-images', `helm-render-${key}`);
  const bin = join(dir, 'helm-render');
  if (!existsSync(bin)) {
    // GOPATH mode, offline: Debian's Go source plus ours. The go.mod makes the `/v3` import of
    // semver resolve (Go's minimal module compatibility applies to code under a go.mod).
    const gopath = mkdtempSync(join(tmpdir(), 'bosun-helm-render-'));
    try {
      const pkg = join(gopath, 'src', 'helm-render');
      mkdirSync(pkg, { recursive: true });
      copyFileSync(SOURCE, join(pkg, 'main.go'));
      writeFileSync(join(pkg, 'go.mod'), 'module helm-render\n\ngo 1.19\n');
      mkdirSync(dir, { recursive: true });
      const out = join(dir, `helm-render.${process.pid}.tmp`);
      execFileSync('go', ['build', '-o', out, 'helm-render'], {
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
  binary = bin;
  return bin;
}

/** `helm template` for CHART with these arguments (--name, --namespace, --set, -f …). */
export function helmTemplate(chart: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(helmRenderBinary(), [...args, chart], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
