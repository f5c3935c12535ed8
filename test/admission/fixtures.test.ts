/**
 * Every AdmissionReview in shared/testdata/admission, POSTed to a running webhook over HTTPS,
 * under the default policy plus one signature rule for Kubewarden's signed/unsigned test images
 * (the verifier is a stand-in: the fixtures' real images live on ghcr.io). index.json's
 * `expected` describes the upstream policies; bosun's own verdicts are listed here, each with
 * the reason.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageVerifier } from '../../src/admission/signatures.ts';
import { ADMISSION_DATA, call, fixtureBody, pipeline, serve } from './helpers.ts';
import type { AdmissionServer } from '../../src/admission/server.ts';

interface Entry {
  file: string;
  wrapper: string | null;
  dryRun: boolean | null;
}

type Expect = { http: 400; code: RegExp } | { allowed: true; skipped?: string } | { allowed: false; status: 400 | 403; rules?: string[]; message?: RegExp };

const PRIVILEGED = ['K8S-PRIVILEGED', 'pss/privileged'];
const UNSIGNED = ['ADM-IMAGE-SIGNATURE'];

/** bosun's verdict for each fixture; anything not listed is admitted. */
const EXPECTED: Record<string, Expect> = {
  // Malformed envelopes: answered 400 (no uid to answer with, or no operation).
  'connaisseur/21_broken_admission_request.json': { http: 400, code: /request\.uid is missing/ },
  'connaisseur/25_null_request.json': { http: 400, code: /not an AdmissionReview/ },
  'connaisseur/26_broken_update_admission_request.json': { http: 400, code: /request\.uid is missing/ },
  'kubernetes-api/admission.k8s.io.v1.AdmissionReview.json': { http: 400, code: /operation must be CREATE, UPDATE, DELETE or CONNECT, got "operationValue"/ },
  'kubernetes-api/admission.k8s.io.v1beta1.AdmissionReview.json': { http: 400, code: /operation must be CREATE, UPDATE, DELETE or CONNECT, got "operationValue"/ },
  // A Pod request whose object is not a Pod: answered, refused as a bad request.
  'connaisseur/12_err_pod.json': { allowed: false, status: 400, message: /request\.object has no pod spec/ },
  // Privileged containers (regular, init, ephemeral; Pod, Deployment, StatefulSet): the critical check and PSS baseline.
  'kubewarden/pod-privileged-policy/test_data/deployment_with_privileged_containers.json': { allowed: false, status: 403, rules: PRIVILEGED },
  'kubewarden/pod-privileged-policy/test_data/privileged_container.json': { allowed: false, status: 403, rules: PRIVILEGED },
  'kubewarden/pod-privileged-policy/test_data/privileged_ephemeral_container.json': { allowed: false, status: 403, rules: PRIVILEGED },
  'kubewarden/pod-privileged-policy/test_data/privileged_init_container.json': { allowed: false, status: 403, rules: PRIVILEGED },
  'kubewarden/pod-privileged-policy/test_data/statefulset_with_privileged_container.json': { allowed: false, status: 403, rules: PRIVILEGED },
  // Unsigned images under a signature rule, through every workload kind's pod template.
  'kubewarden/verify-image-signatures/test_data/cronjob_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/daemonset_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/deployment_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/job_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/pod_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/replicaset_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/replicationcontroller_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  'kubewarden/verify-image-signatures/test_data/statefulset_creation_unsigned.json': { allowed: false, status: 403, rules: UNSIGNED },
  // Not evaluated: kube-system is exempt; DELETE and CONNECT carry nothing to judge; updates that
  // leave the pod spec alone, or touch an object already being deleted, are not re-judged.
  'connaisseur/06_daemonset.json': { allowed: true, skipped: 'namespace kube-system is exempt' },
  'connaisseur/10_update.json': { allowed: true, skipped: 'pod spec unchanged' },
  'connaisseur/28_deleted_deployment_updated.json': { allowed: true, skipped: 'object is being deleted' },
  'connaisseur/29_deleted_deployment_update_for_delete.json': { allowed: true, skipped: 'pod spec unchanged' },
  'kubewarden/echo/test_data/delete_accept.json': { allowed: true, skipped: 'DELETE is not evaluated' },
  'kubewarden/echo/test_data/delete_reject.json': { allowed: true, skipped: 'DELETE is not evaluated' },
  'kubewarden/echo/test_data/update_accept.json': { allowed: true, skipped: 'pod spec unchanged' },
  'kubewarden/echo/test_data/update_reject.json': { allowed: true, skipped: 'pod spec unchanged' },
  'kubewarden/pod-runtime-class-policy/test_data/PodDeleteRequest.json': { allowed: true, skipped: 'DELETE is not evaluated' },
  'spreadshirt-kube-request-access/pods-exec-connect.json': { allowed: true, skipped: 'CONNECT is not evaluated' },
};

const verifier: ImageVerifier = {
  async verify(image) {
    return image.endsWith(':signed') ? { verified: true, detail: 'signed by the test key' } : { verified: false, detail: 'no signature found' };
  },
};

const index = JSON.parse(readFileSync(join(ADMISSION_DATA, 'index.json'), 'utf8')) as Entry[];
let server: AdmissionServer;
let ca: string;
const logs: Array<Record<string, unknown>> = [];

before(async () => {
  const p = pipeline({ images: { signatures: [{ images: ['ghcr.io/kubewarden/test-verify-image-signatures:*'], signers: [{ key: 'test' }] }] } }, { verifier });
  const started = await serve(p, { log: (e) => logs.push(e) });
  server = started.server;
  ca = started.tls.caCert;
});
after(() => server.close());

test('index.json lists 73 fixtures and every expectation names one of them', () => {
  assert.equal(index.length, 73);
  const files = new Set(index.map((e) => e.file));
  for (const f of Object.keys(EXPECTED)) assert.ok(files.has(f), f);
});

for (const entry of index) {
  test(`admission fixture ${entry.file}`, async () => {
    const body = fixtureBody(entry.file, entry.wrapper);
    const res = await call(server.port, ca, 'POST', '/validate', body);
    const want = EXPECTED[entry.file] ?? { allowed: true };
    if ('http' in want) {
      assert.equal(res.status, 400);
      assert.match(res.body, want.code);
      return;
    }
    assert.equal(res.status, 200);
    const sent = JSON.parse(body);
    const review = res.json();
    assert.equal(review.apiVersion, sent.apiVersion, 'answered in the version it came in');
    assert.equal(review.kind, 'AdmissionReview');
    assert.equal(review.response.uid, sent.request.uid, 'uid echoed');
    assert.equal(review.response.allowed, want.allowed, JSON.stringify(review.response));
    assert.equal('patch' in review.response, false, 'a validating webhook never patches');
    for (const w of review.response.warnings ?? []) assert.ok(w.length <= 120, w);
    const log = logs.find((l) => l['uid'] === sent.request.uid && l['msg'] === 'admission review' && l['kind'] === sent.request.kind.kind);
    if (want.allowed) {
      assert.equal(review.response.status, undefined);
      if (want.skipped !== undefined) assert.ok(logs.some((l) => l['skipped'] === want.skipped));
      return;
    }
    assert.equal(review.response.status.code, want.status);
    if (want.message !== undefined) assert.match(review.response.status.message, want.message);
    if (want.rules !== undefined) {
      assert.ok(log !== undefined);
      for (const rule of want.rules) assert.match(review.response.status.message, new RegExp(`${rule.replace('/', '\\/')} at spec\\.`), 'message names the rule and the field');
    }
  });
}

test('a denial names every violated rule and field (unsigned Deployment)', async () => {
  const res = await call(server.port, ca, 'POST', '/validate', fixtureBody('kubewarden/verify-image-signatures/test_data/deployment_creation_unsigned.json', 'AdmissionRequest'));
  const message: string = res.json().response.status.message;
  assert.match(message, /^bosun denied Deployment /);
  assert.match(message, /ADM-IMAGE-SIGNATURE at spec\.template\.spec\.containers\[0\]\.image: image "ghcr\.io\/kubewarden\/test-verify-image-signatures:unsigned" has no valid signature by a trusted signer: no signature found/);
});
