/** The AdmissionReview contract and the policy modes, end to end over HTTPS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageVerifier } from '../../src/admission/signatures.ts';
import type { AdmissionConfigInput } from '../../src/admission/config.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { call, deployment, pipeline, pod, review, serve } from './helpers.ts';

const PRIVILEGED_POD = pod({ containers: [{ name: 'app', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] });
const PLAIN_POD = pod({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] });

async function ask(config: AdmissionConfigInput | undefined, body: string, verifier?: ImageVerifier): Promise<any> {
  const { server, tls } = await serve(pipeline(config, verifier === undefined ? {} : { verifier }));
  try {
    const res = await call(server.port, tls.caCert, 'POST', '/validate', body);
    assert.equal(res.status, 200, res.body);
    return res.json().response;
  } finally {
    await server.close();
  }
}

test('default policy: privileged pod denied with 403 naming both rules and the field; uid echoed', async () => {
  const r = await ask(undefined, review(PRIVILEGED_POD));
  assert.equal(r.uid, 'a1b2c3');
  assert.equal(r.allowed, false);
  assert.equal(r.status.code, 403);
  assert.equal(
    r.status.message,
    'bosun denied Pod team/p: K8S-PRIVILEGED at spec.containers[0].securityContext.privileged: container "app" runs privileged; ' +
      'pss/privileged at spec.containers[0].securityContext.privileged: privileged (container "app" must not set securityContext.privileged=true) [PodSecurity "baseline:latest"]',
  );
});

test('default policy admits a plain pod (baseline passes; medium findings are off)', async () => {
  const r = await ask(undefined, review(PLAIN_POD));
  assert.deepEqual(r, { uid: 'a1b2c3', allowed: true });
});

test('dryRun gets the same answer (bosun has no side effects)', async () => {
  const r = await ask(undefined, review(PRIVILEGED_POD, { dryRun: true, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] } }));
  assert.equal(r.allowed, false);
  assert.equal(r.status.code, 403);
});

test('warn mode: warnings, each at most 120 characters, and the request is allowed', async () => {
  const r = await ask({ pss: 'restricted:latest', pssMode: 'warn', severityModes: { critical: 'warn' } }, review(PRIVILEGED_POD));
  assert.equal(r.allowed, true);
  assert.ok(r.warnings.length >= 5, JSON.stringify(r.warnings));
  for (const w of r.warnings) assert.ok(w.length <= 120, w);
  assert.ok(r.warnings.some((w: string) => w.startsWith('K8S-PRIVILEGED spec.containers[0].securityContext.privileged: ')));
  assert.ok(r.warnings.some((w: string) => w.startsWith('pss/runAsNonRoot ')));
});

test('audit mode per namespace: allowed, violations in auditAnnotations', async () => {
  const r = await ask({ namespaces: [{ namespace: 'team', mode: 'audit' }] }, review(PRIVILEGED_POD));
  assert.equal(r.allowed, true);
  assert.deepEqual(Object.keys(r.auditAnnotations).sort(), ['k8s-privileged', 'pss-privileged']);
  assert.match(r.auditAnnotations['k8s-privileged'], /^K8S-PRIVILEGED at spec\.containers\[0\]\.securityContext\.privileged: /);
});

test('per-rule modes: namespace rule beats the global one; a namespace PSS level applies to its pods only', async () => {
  const config: AdmissionConfigInput = { rules: { 'pss/*': 'warn' }, namespaces: [{ namespace: 'team', pss: 'restricted:latest', rules: { 'pss/runAsNonRoot': 'enforce' } }] };
  const r = await ask(config, review(PLAIN_POD));
  assert.equal(r.allowed, false);
  assert.match(r.status.message, /pss\/runAsNonRoot at spec/);
  assert.doesNotMatch(r.status.message, /pss\/allowPrivilegeEscalation/);
  assert.ok(r.warnings.some((w: string) => w.startsWith('pss/allowPrivilegeEscalation')));
  const other = await ask(config, review({ ...PLAIN_POD, metadata: { name: 'p', namespace: 'other' } }, { namespace: 'other' }));
  assert.deepEqual(other, { uid: 'a1b2c3', allowed: true });
});

test('per-object ignore annotations do not bypass admission', async () => {
  const annotated = { ...PRIVILEGED_POD, metadata: { name: 'p', namespace: 'team', annotations: { 'bosun.dev/ignore': 'K8S-PRIVILEGED,pss/privileged' } } };
  const r = await ask(undefined, review(annotated));
  assert.equal(r.allowed, false);
});

test('image rules: allowed registries and digest pinning are enforced when configured', async () => {
  const r = await ask({ images: { allowedRegistries: ['registry.example.com'], requireDigest: true } }, review(pod({ containers: [{ name: 'a', image: 'docker.io/library/nginx:1.27' }, { name: 'b', image: 'registry.example.com/app:1.0' }] })));
  assert.equal(r.allowed, false);
  assert.match(r.status.message, /K8S-IMAGE-REGISTRY-NOT-ALLOWED at spec\.containers\[0\]\.image/);
  assert.match(r.status.message, /K8S-IMAGE-NOT-PINNED-BY-DIGEST at spec\.containers\[0\]\.image/);
  assert.match(r.status.message, /K8S-IMAGE-NOT-PINNED-BY-DIGEST at spec\.containers\[1\]\.image/);
  assert.doesNotMatch(r.status.message, /K8S-IMAGE-REGISTRY-NOT-ALLOWED at spec\.containers\[1\]/);
});

test('workload kinds are checked through their pod templates; v1beta1 is answered as v1beta1', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const body = JSON.parse(review(deployment({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] })));
    body.apiVersion = 'admission.k8s.io/v1beta1';
    const res = await call(server.port, tls.caCert, 'POST', '/validate', JSON.stringify(body));
    const out = res.json();
    assert.equal(out.apiVersion, 'admission.k8s.io/v1beta1');
    assert.match(out.response.status.message, /K8S-PRIVILEGED at spec\.template\.spec\.containers\[0\]\.securityContext\.privileged/);
  } finally {
    await server.close();
  }
});

test('UPDATE: unchanged pod spec is not re-judged; a changed one is', async () => {
  const privileged = deployment({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] });
  const scaled = { ...privileged, spec: { ...(privileged['spec'] as object), replicas: 5 } };
  const same = await ask(undefined, review(scaled, { operation: 'UPDATE', oldObject: privileged }));
  assert.equal(same.allowed, true);
  const before = deployment({ containers: [{ name: 'app', image: 'x' }] });
  const changed = await ask(undefined, review(privileged, { operation: 'UPDATE', oldObject: before }));
  assert.equal(changed.allowed, false);
});

test('pods/ephemeralcontainers: a privileged debug container is denied', async () => {
  const old = pod({ containers: [{ name: 'app', image: 'x' }] });
  const debugged = pod({ containers: [{ name: 'app', image: 'x' }], ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }] });
  const r = await ask(undefined, review(debugged, { operation: 'UPDATE', subResource: 'ephemeralcontainers', requestSubResource: 'ephemeralcontainers', oldObject: old }));
  assert.equal(r.allowed, false);
  assert.match(r.status.message, /K8S-PRIVILEGED at spec\.ephemeralContainers\[0\]\.securityContext\.privileged: container "debugger" runs privileged/);
});

test('other subresources (status, scale) are admitted without evaluation', async () => {
  const r = await ask(undefined, review(PRIVILEGED_POD, { operation: 'UPDATE', subResource: 'status', oldObject: PRIVILEGED_POD }));
  assert.equal(r.allowed, true);
});

test('policy hook: evaluator violations go through the same modes', async () => {
  const p = pipeline({ rules: { 'team/no-latest': 'warn' } }, { policies: [() => [{ ruleId: 'team/no-latest', severity: 'medium', fieldPath: 'spec', message: 'no' }, { ruleId: 'team/label', severity: 'low', message: 'needs label owner' }]] });
  const r = await p.decide(decodeReview(review(PLAIN_POD)).request);
  assert.equal(r.response.allowed, false);
  assert.equal(r.response.status?.message, 'bosun denied Pod team/p: team/label: needs label owner');
  assert.deepEqual(r.response.warnings, ['team/no-latest spec: no']);
});

const SIGNED_ONLY = { images: { signatures: [{ images: ['registry.example.com/*'], signers: [{ key: 'k' }] }], budgetMs: 200 } };

test('signatures: verified images are cached (LRU+TTL); cache hits show in /metrics', async () => {
  let calls = 0;
  const verifier: ImageVerifier = {
    async verify() {
      calls++;
      return { verified: true, detail: 'ok' };
    },
  };
  const { server, tls } = await serve(pipeline(SIGNED_ONLY, { verifier }));
  try {
    for (let i = 0; i < 3; i++) assert.equal((await call(server.port, tls.caCert, 'POST', '/validate', review(PLAIN_POD))).json().response.allowed, true);
    assert.equal(calls, 1);
    const metrics = (await call(server.port, tls.caCert, 'GET', '/metrics')).body;
    assert.match(metrics, /^bosun_admission_signature_cache_hits_total 2$/m);
    assert.match(metrics, /^bosun_admission_signature_cache_misses_total 1$/m);
    assert.match(metrics, /^bosun_admission_requests_total\{decision="allowed"\} 3$/m);
    assert.match(metrics, /^bosun_admission_request_duration_seconds_count 3$/m);
  } finally {
    await server.close();
  }
});

test('signatures: a hanging registry is answered within the budget (deny by default, allow+warn when configured)', async () => {
  const hang: ImageVerifier = { verify: () => new Promise(() => {}) };
  const t0 = Date.now();
  const denied = await ask(SIGNED_ONLY, review(PLAIN_POD), hang);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(denied.allowed, false);
  assert.match(denied.status.message, /ADM-IMAGE-SIGNATURE at spec\.containers\[0\]\.image: image "registry\.example\.com\/app:1\.0" has no valid signature by a trusted signer: signature could not be checked: registry did not answer within the 200 ms budget/);
  const allowed = await ask({ images: { ...SIGNED_ONLY.images, onRegistryError: 'allow' } }, review(PLAIN_POD), hang);
  assert.equal(allowed.allowed, true);
  assert.match(allowed.warnings[0], /^ADM-IMAGE-SIGNATURE spec\.containers\[0\]\.image: image "registry\.example\.com\/app:1\.0" admitted unverified/);
});

test('health, readiness and metrics endpoints; binds 127.0.0.1 by default', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const address = server.server.address();
    assert.equal(typeof address === 'object' && address !== null ? address.address : '', '127.0.0.1');
    assert.equal((await call(server.port, tls.caCert, 'GET', '/healthz')).status, 200);
    assert.equal((await call(server.port, tls.caCert, 'GET', '/readyz')).status, 200);
    const m = await call(server.port, tls.caCert, 'GET', '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.body, /# TYPE bosun_admission_request_duration_seconds histogram/);
  } finally {
    await server.close();
  }
});

test('logs never carry request headers or userInfo.extra (tokens)', async () => {
  const logs: string[] = [];
  const { server, tls } = await serve(pipeline(), { log: (e) => logs.push(JSON.stringify(e)) });
  try {
    const body = JSON.parse(review(PRIVILEGED_POD));
    body.request.userInfo.extra = { 'authentication.kubernetes.io/credential-id': ['JTI=secret-token-id'] };
    await call(server.port, tls.caCert, 'POST', '/validate', JSON.stringify(body), { Authorization: 'Bearer sekrit-bearer-token' });
    await call(server.port, tls.caCert, 'POST', '/validate', '{bad', { Authorization: 'Bearer sekrit-bearer-token' });
  } finally {
    await server.close();
  }
  const all = logs.join('\n');
  assert.match(all, /"uid":"a1b2c3"/);
  assert.doesNotMatch(all, /sekrit|secret-token-id/);
});

test('scan attestation rule: fresh and clean admits; old, failing or missing is denied as ADM-IMAGE-SCAN-ATTESTATION', async () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const digest = `sha256:${'d'.repeat(64)}`;
  const scan = (scannedAt: string, summary: Record<string, number>) => ({ predicateType: 'https://bosun.dev/attestation/scan/v1', predicate: { scanner: { name: 'bosun', version: '0.1.0' }, scannedAt, summary, scanned: { digest, platform: 'linux/amd64' } } });
  const { scanned: _, ...unnamed } = scan('2026-11-29T00:00:00Z', { high: 0 }).predicate;
  const cases: Array<[string, Array<{ predicateType: string; predicate: unknown }>, string | undefined]> = [
    ['clean, 1 day old', [scan('2026-11-28T12:00:00Z', { critical: 0, high: 0, medium: 4 })], undefined],
    ['10 days old', [scan('2026-11-19T12:00:00Z', { critical: 0, high: 0 })], 'scan attestation is 10 days old (limit 7)'],
    ['one high finding', [scan('2026-11-29T11:00:00Z', { critical: 0, high: 1 })], 'scan attestation reports 1 high'],
    ['none', [], 'no scan attestation by a trusted signer'],
    ['an old failing one and a good one', [scan('2026-11-01T00:00:00Z', { critical: 3 }), scan('2026-11-29T00:00:00Z', { high: 0 })], undefined],
    ['clean but naming no scanned manifest (older bosun)', [{ predicateType: 'https://bosun.dev/attestation/scan/v1', predicate: unnamed }], 'scan attestation does not name the manifest it scanned (attested by an older bosun: attest a new report)'],
  ];
  for (const [name, attestations, problem] of cases) {
    const verifier: ImageVerifier = { verify: async () => ({ verified: true, detail: 'key:0', digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', attestations }) };
    const p = pipeline({ images: { signatures: [{ images: ['registry.example.com/*'], signers: [{ key: 'k' }], scanAttestation: { failOn: 'high', maxAgeDays: 7 } }] } }, { verifier, now: () => now });
    const r = (await p.decide(decodeReview(review(PLAIN_POD)).request)).response;
    if (problem === undefined) assert.equal(r.allowed, true, name);
    else assert.equal(r.status?.message, `bosun denied Pod team/p: ADM-IMAGE-SCAN-ATTESTATION at spec.containers[0].image: image "registry.example.com/app:1.0" has no acceptable scan attestation: ${problem}`, name);
  }
});
