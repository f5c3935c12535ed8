/** `bosun admission serve` as a process: bosun.yaml with a ValidatingAdmissionPolicy and namespace modes, JSON logs, SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, deployment, review, writeTls } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
    - expression: "object.spec.replicas <= 5"
      message: "at most 5 replicas"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit}
spec:
  policyName: replica-limit
  validationActions: [Deny]
`;

const CONFIG = `policies: [policy.yaml]
admission:
  namespaces:
    - namespace: legacy
      mode: warn
`;

test('serve: VAP from bosun.yaml policies denies, a warn-mode namespace only warns, SIGTERM shuts down cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-serve-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'bosun.yaml'), CONFIG);
  const tls = writeTls(dir);
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'admission', 'serve', '--config', join(dir, 'bosun.yaml'), '--tls-cert', tls.certFile, '--tls-key', tls.keyFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /"msg":"listening","host":"127\.0\.0\.1","port":(\d+)/.exec(stderr);
      if (m !== null) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  try {
    const big = deployment({ containers: [{ name: 'app', image: 'x' }] });
    (big['spec'] as Record<string, unknown>)['replicas'] = 10;
    const denied = (await call(port, tls.caCert, 'POST', '/validate', review(big))).json().response;
    assert.equal(denied.allowed, false);
    assert.match(denied.status.message, /^bosun denied Deployment team\/web: vap\/replica-limit: at most 5 replicas$/);
    const legacy = { ...big, metadata: { name: 'web', namespace: 'legacy' } };
    const warned = (await call(port, tls.caCert, 'POST', '/validate', review(legacy, { namespace: 'legacy' }))).json().response;
    assert.equal(warned.allowed, true);
    assert.deepEqual(warned.warnings, ['vap/replica-limit: at most 5 replicas']);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.some((l) => l['msg'] === 'admission review' && l['allowed'] === false && (l['enforced'] as string[]).includes('vap/replica-limit')));
  assert.ok(lines.some((l) => l['msg'] === 'shutting down' && l['signal'] === 'SIGTERM'));
});

test('serve refuses to start on a broken policy file (a broken policy must never silently admit)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-serve-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY.replace('object.spec.replicas <= 5', 'object.spec.replicas <='));
  writeFileSync(join(dir, 'bosun.yaml'), CONFIG);
  const tls = writeTls(dir);
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'admission', 'serve', '--config', join(dir, 'bosun.yaml'), '--tls-cert', tls.certFile, '--tls-key', tls.keyFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /^bosun: .*replica-limit.*$/m);
});
