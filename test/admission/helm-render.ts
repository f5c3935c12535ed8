/**
 * Renders a Helm chart without helm: builds test/admission/helm-render (Go, ~330 lines: Helm's
 * template engine for what bosun's chart uses, on Helm's own libraries sprig and
 * sigs.k8s.io/yaml) offline in GOPATH mode from Debian's packages, and caches the binary under
 * ~/.cache/bosun-test-images/helm-render-<hash of source and go version>/.
 *
 * `helmRenderSkip()` is the node:test skip reason when golang-go or the Go packages are missing,
 * or throws when BOSUN_REQUIRE_INTEGRATION=1 (CI installs them: .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';

const HELM_RENDER: GoTool = {
  name: 'helm-render',
  source: new URL('./helm-render/main.go', import.meta.url).pathname,
  packages: { 'golang-github-masterminds-sprig-dev': 'github.com/Masterminds/sprig', 'golang-k8s-sigs-yaml-dev': 'sigs.k8s.io/yaml' },
};

/** Skip reason, or undefined when the renderer can be built; throws when integration is required. */
export function helmRenderSkip(): string | undefined {
  return goToolSkip(HELM_RENDER);
}

/** The renderer's path: built once per source and Go version, then reused. */
export function helmRenderBinary(): string {
  return goToolBinary(HELM_RENDER);
}

/** `helm template` for CHART with these arguments (--name, --namespace, --set, -f …). */
export function helmTemplate(chart: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(helmRenderBinary(), [...args, chart], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
