/**
 * Image references as the runtime reads them. The kubelet, containerd and Docker normalise an
 * image with github.com/docker/distribution/reference (ParseNormalizedNamed); checks that look at
 * the registry (allowed/blocked registries, frozen registries) or the tag (`latest`, pinning) must
 * see the same registry, repository, tag and digest, or a blocked registry slips through under
 * another spelling. test/checks/go-reference (Go, built offline from Debian's packages) is the
 * reference; every valid reference from the generator below must split the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseImage } from '../../src/checks/helpers.ts';
import { scanManifests } from '../../src/scan.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';
import { prng } from '../../bench/prng.ts';

const GO_REFERENCE: GoTool = {
  name: 'go-reference',
  source: new URL('./go-reference/main.go', import.meta.url).pathname,
  packages: { 'golang-github-docker-distribution-dev': 'github.com/docker/distribution/reference', 'golang-github-opencontainers-go-digest-dev': 'github.com/opencontainers/go-digest' },
};
const skip = goToolSkip(GO_REFERENCE) ?? false;

type Parsed = { domain: string; path: string; tag?: string; digest?: string } | { error: string };

function runtime(refs: string[]): Parsed[] {
  const r = spawnSync(goToolBinary(GO_REFERENCE), { input: refs.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Parsed);
}

const DIGEST = `sha256:${'a1'.repeat(32)}`;

function randomReference(rnd: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const host = pick(['', '', 'docker.io/', 'index.docker.io/', 'registry.example.com/', 'registry.example.com:5000/', 'localhost/', 'localhost:5000/', 'gcr.io/', 'k8s.gcr.io/', 'registry.k8s.io/', '127.0.0.1:5000/', 'my-host/', 'my_host.io/', 'ghcr.io/']);
  const parts = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(['nginx', 'team', 'app', 'a.b', 'a_b', 'a__b', 'a-b', 'library', 'x1', 'sub/dir']));
  const tag = rnd() < 0.6 ? `:${pick(['latest', '1.2.3', 'v1', 'A_b-1.0', '1'])}` : '';
  const digest = rnd() < 0.25 ? `@${DIGEST}` : '';
  return `${host}${parts.join('/')}${tag}${digest}`;
}

test('valid image references split as the runtime splits them (registry, repository, tag, digest)', { skip }, () => {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const refs = [...new Set(Array.from({ length: 2000 }, () => randomReference(rnd)))];
  const want = runtime(refs);
  const wrong: string[] = [];
  let valid = 0;
  refs.forEach((ref, i) => {
    const w = want[i]!;
    // the runtime cannot pull it (an error, or a "host" the grammar takes as a path: my_host.io): no registry to trust or block
    if ('error' in w || w.domain === '') return;
    valid++;
    const got = parseImage(ref);
    const same = got.registry === w.domain && got.repository === w.path && got.tag === w.tag && got.digest === w.digest;
    if (!same && wrong.length < 10) wrong.push(`${ref}: bosun ${JSON.stringify(got)}, runtime ${JSON.stringify(w)}`);
  });
  assert.ok(valid > 1000, `${valid} valid references`);
  assert.deepEqual(wrong, []);
});

test('a blocked registry is blocked under every spelling that reaches it', async () => {
  const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers:\n    - {name: c, image: "${image}"}\n`;
  const config: BosunConfig = { waivers: [], checks: { settings: { blockedRegistries: ['docker.io'] } } };
  for (const image of ['nginx', 'docker.io/library/nginx', 'index.docker.io/library/nginx', 'Docker.IO/library/nginx', 'registry-1.docker.io/library/nginx', 'INDEX.docker.io/library/nginx:1', 'docker.io:443/library/nginx', 'index.docker.io:443/library/nginx']) {
    const report = await scanManifests([{ name: 'p.yaml', content: pod(image) }], { config });
    assert.ok(report.findings.some((f) => f.ruleId === 'K8S-IMAGE-REGISTRY-NOT-ALLOWED'), image);
  }
  const blockedPort: BosunConfig = { waivers: [], checks: { settings: { blockedRegistries: ['registry.bad.io', 'Other.Bad.io:443'] } } };
  for (const image of ['registry.bad.io:443/x:1', 'REGISTRY.BAD.IO:443/x', 'other.bad.io/y', 'other.bad.io:443/y']) {
    const report = await scanManifests([{ name: 'p.yaml', content: pod(image) }], { config: blockedPort });
    assert.ok(report.findings.some((f) => f.ruleId === 'K8S-IMAGE-REGISTRY-NOT-ALLOWED'), image);
  }
  const allowed: BosunConfig = { waivers: [], checks: { settings: { allowedRegistries: ['Registry.Example.com/team'] } } };
  // HTTPS's default port is the same registry; another port is another one.
  for (const [image, ok] of [['registry.example.com/team/app:1', true], ['REGISTRY.example.com/team/app', true], ['registry.example.com:443/team/app', true], ['registry.example.com/other/app', false], ['registry.example.com.evil.io/team/app', false], ['registry.example.com:5000/team/app', false]] as const) {
    const report = await scanManifests([{ name: 'p.yaml', content: pod(image) }], { config: allowed });
    assert.equal(report.findings.some((f) => f.ruleId === 'K8S-IMAGE-REGISTRY-NOT-ALLOWED'), !ok, image);
  }
});
