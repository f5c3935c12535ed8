/** Compliance frameworks (data), assessment on the examples, renderers and the CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { frameworks, getFramework, runCompliance, renderCompliance, FRAMEWORK_IDS } from '../../src/compliance/index.ts';
import { allRules } from '../../src/rules.ts';
import { REPO_ROOT, examplesDir } from '../helpers.ts';
import { join } from 'node:path';
import type { BosunConfig } from '../../src/config/types.ts';

const ids = (r: Awaited<ReturnType<typeof runCompliance>>, status: string): string[] => r.controls.filter((c) => c.status === status).map((c) => c.id);

test('every framework file is valid and names only rules bosun has', () => {
  const known = new Set(allRules().map((r) => r.id));
  assert.deepEqual([...frameworks().keys()].sort(), [...FRAMEWORK_IDS].sort());
  for (const f of frameworks().values()) {
    const controlIds = f.controls.map((c) => c.id);
    assert.equal(new Set(controlIds).size, controlIds.length, `${f.id}: duplicate control IDs`);
    for (const c of f.controls) for (const r of c.rules) assert.ok(known.has(r), `${f.id} ${c.id}: unknown rule ${r}`);
    for (const c of f.controls) if (c.rules.length === 0) assert.ok(c.manual !== undefined, `${f.id} ${c.id}: a manual control says what to check`);
  }
});

test('CIS section 5 is complete: all 35 recommendations, and every rule mapped to a 5.x ID is in that control', () => {
  const cis = getFramework('cis-k8s');
  const expected = [
    ...Array.from({ length: 13 }, (_, i) => `5.1.${i + 1}`),
    ...Array.from({ length: 13 }, (_, i) => `5.2.${i + 1}`),
    '5.3.1', '5.3.2', '5.4.1', '5.4.2', '5.5.1', '5.7.1', '5.7.2', '5.7.3', '5.7.4',
  ];
  assert.deepEqual(cis.controls.map((c) => c.id), expected);
  // Opinionated opt-in checks left out of 5.7.3 on purpose: a hardened workload need not set every pod field or SELinux options.
  const excluded = new Set(['5.7.3 K8S-POD-SECURITY-FIELDS-UNSET', '5.7.3 K8S-SELINUX-NOT-SET']);
  for (const rule of allRules()) {
    if (rule.id.startsWith('pss/')) continue; // CIS is assessed with the K8S- checks; PSS has its own frameworks
    for (const id of rule.frameworks.cis ?? []) {
      if (!id.startsWith('5.') || excluded.has(`${id} ${rule.id}`)) continue;
      assert.ok(cis.controls.find((c) => c.id === id)?.rules.includes(rule.id), `${rule.id} maps to CIS ${id} but the control does not list it`);
    }
  }
});

test('the hardened example passes every decidable control of every framework', async () => {
  for (const id of FRAMEWORK_IDS) {
    const r = await runCompliance([examplesDir('hardened')], id, { config: false });
    assert.deepEqual(ids(r, 'fail'), [], id);
    assert.equal(r.summary.score, 100, id);
  }
});

test('the insecure example: exact CIS result', async () => {
  const r = await runCompliance([examplesDir('insecure')], 'cis-k8s', { config: examplesDir('bosun.yaml') });
  assert.deepEqual(r.summary, { controls: 35, pass: 5, fail: 27, manual: 3, notApplicable: 0, score: 15.6 });
  assert.deepEqual(ids(r, 'pass'), ['5.1.7', '5.2.4', '5.2.11', '5.7.1', '5.7.4']);
  assert.deepEqual(ids(r, 'manual'), ['5.3.1', '5.4.2', '5.5.1']);
  const c = r.controls.find((x) => x.id === '5.2.12')!;
  assert.deepEqual(c.findings.map((f) => `${f.ruleId} ${f.target.type === 'resource' ? f.target.name : ''} ${f.location?.line}`), [
    'K8S-HOST-PATH-VOLUME legacy-api 49',
    'K8S-HOST-PATH-VOLUME legacy-api 51',
    'K8S-HOST-PATH-VOLUME backup 121',
  ]);
});

test('the insecure example: exact results of the other frameworks', async () => {
  const expected: Record<string, string[]> = {
    nsa: ['NSA-1.1', 'NSA-1.2', 'NSA-1.3', 'NSA-1.4', 'NSA-1.5', 'NSA-1.6', 'NSA-1.7', 'NSA-1.8', 'NSA-1.9', 'NSA-1.10', 'NSA-2.2', 'NSA-2.3', 'NSA-2.8', 'NSA-2.9', 'NSA-2.10', 'NSA-2.11', 'NSA-3.1', 'NSA-3.2', 'NSA-5.1'],
    'nist-800-190': ['4.1.2', '4.1.4', '4.2.2', '4.3.1', '4.3.2', '4.3.3', '4.4.1', '4.4.2', '4.4.3', '4.4.4', '4.5.2', '4.5.5'],
    'pss-baseline': ['hostNamespaces', 'privileged', 'capabilities', 'hostPathVolumes', 'hostPorts', 'appArmor', 'seccomp'],
    'pss-restricted': ['hostNamespaces', 'privileged', 'hostPorts', 'appArmor', 'volumeTypes', 'privilegeEscalation', 'runningAsNonRoot', 'runningAsNonRootUser', 'seccomp', 'capabilities'],
    'pci-dss': ['1.2.1', '1.3.1', '1.4.1', '2.2.4', '2.2.5', '2.2.6', '2.2.7', '4.2.1', '6.3.3', '7.2.2', '7.2.5', '8.2.2', '8.6.2'],
  };
  for (const [id, fails] of Object.entries(expected)) assert.deepEqual(ids(await runCompliance([examplesDir('insecure')], id, { config: examplesDir('bosun.yaml') }), 'fail'), fails, id);
});

test('controls about kinds absent from the inputs are not applicable; waived findings do not fail a control', async () => {
  const cm = { name: 'cm.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: app }\ndata: { a: b }\n' };
  const r = await runCompliance([cm], 'cis-k8s', { config: false });
  assert.deepEqual(r.summary, { controls: 35, pass: 0, fail: 0, manual: 3, notApplicable: 32, score: null });
  const pod = { name: 'pod.yaml', content: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: app }\nspec:\n  hostPID: true\n  containers: [{ name: c, image: x@sha256:0000000000000000000000000000000000000000000000000000000000000000 }]\n' };
  const config: BosunConfig = { waivers: [{ rule: 'K8S-HOST-PID', reason: 'node agent (SEC-1)' }], checks: {} };
  const waived = (await runCompliance([pod], 'cis-k8s', { config })).controls.find((c) => c.id === '5.2.3')!;
  assert.deepEqual([waived.status, waived.suppressed, waived.findings.length], ['pass', 1, 0]);
  const disabled = (await runCompliance([pod], 'cis-k8s', { config: { waivers: [], checks: { disable: ['K8S-HOST-PID'] } } })).controls.find((c) => c.id === '5.2.3')!;
  assert.equal(disabled.status, 'fail', 'disabling a check does not make its control pass');
});

test('renderers: json round-trips, markdown and html escape user text, html is self-contained and links controls to resources', async () => {
  const evil = { name: 'evil.yaml', content: 'apiVersion: v1\nkind: Pod\nmetadata: { name: "<script>alert(1)</script>|x", namespace: app }\nspec:\n  hostNetwork: true\n  containers: [{ name: c, image: nginx }]\n' };
  const r = await runCompliance([evil], 'pss-baseline', { config: false, now: new Date('2026-01-01T00:00:00Z') });
  assert.deepEqual(JSON.parse(renderCompliance(r, 'json')).summary, r.summary);
  const html = renderCompliance(r, 'html');
  assert.ok(!html.includes('<script>'), 'no raw markup from inputs');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;|x'));
  assert.ok(!/<script|src=|<link/i.test(html), 'no scripts or external assets');
  for (const [, anchor] of html.matchAll(/href="#([^"]+)"/g)) assert.ok(html.includes(`id="${anchor}"`), `dangling link #${anchor}`);
  assert.ok(html.indexOf('badge fail') < html.indexOf('badge pass'), 'failed controls first');
  const md = renderCompliance(r, 'markdown');
  assert.ok(md.includes('\\<script\\>') && md.includes('\\|x'), 'markdown escapes cells');
  assert.match(renderCompliance(r, 'table'), /Pod Security Standards: baseline: score 91.7%: 11 pass, 1 fail, 0 manual, 0 not applicable \(12 controls\)\n$/);
});

const CLI = join(REPO_ROOT, 'src', 'cli', 'main.ts');
function bosun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bosun compliance: exit codes and one-line errors', () => {
  assert.equal(bosun(['compliance', '--framework', 'cis-k8s', examplesDir('hardened'), '--no-config', '-f', 'json']).status, 0);
  assert.equal(bosun(['compliance', '--framework', 'cis', examplesDir('insecure'), '--no-config', '-f', 'json']).status, 1);
  assert.equal(bosun(['compliance', '--framework', 'cis', examplesDir('insecure'), '--no-config', '-f', 'json', '--min-score', '5']).status, 0);
  const unknown = bosun(['compliance', '--framework', 'sox', examplesDir('hardened')]);
  assert.deepEqual([unknown.status, unknown.stderr], [2, 'bosun: --framework: unknown framework "sox" (one of cis-k8s, nsa, nist-800-190, pss-baseline, pss-restricted, pci-dss)\n']);
  assert.equal(bosun(['compliance', examplesDir('hardened')]).status, 2);
  assert.equal(bosun(['compliance', '--framework', 'nsa', examplesDir('hardened'), '-f', 'pdf']).status, 2);
  assert.equal(bosun(['compliance', '--framework', 'nsa', examplesDir('hardened'), '--min-score', 'abc']).status, 2);
  const both = bosun(['compliance', '--framework', 'cis-k8s,nsa', '--framework', 'pci-dss', examplesDir('hardened'), '--no-config', '-f', 'json']);
  assert.equal(both.status, 0);
  assert.deepEqual((JSON.parse(both.stdout) as { reports: Array<{ framework: { id: string } }> }).reports.map((r) => r.framework.id), ['cis-k8s', 'nsa', 'pci-dss']);
  const html = bosun(['compliance', '--framework', 'cis-k8s,pss-restricted', examplesDir('insecure'), '--no-config', '-f', 'html']);
  assert.equal(html.status, 1);
  assert.equal((html.stdout.match(/<section class="framework"/g) ?? []).length, 2);
  for (const [, anchor] of html.stdout.matchAll(/href="#([^"]+)"/g)) assert.ok(html.stdout.includes(`id="${anchor}"`), `dangling link #${anchor}`);
  const missing = bosun(['compliance', '--framework', 'nsa', join(REPO_ROOT, 'nope')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope: no such file or directory\n$/);
});
