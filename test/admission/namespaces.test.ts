/** PSS level per namespace from its pod-security.kubernetes.io labels, read from the API server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pssFromLabels, watchNamespaceLabels } from '../../src/admission/namespaces.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { startFakeApi, writeKubeconfig } from '../cluster/fake-api.ts';
import { pipeline, pod, review } from './helpers.ts';

const PLAIN = pod({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] });
const RUN_AS_ROOT = pod({ containers: [{ name: 'app', image: 'x', securityContext: { runAsUser: 0 } }], hostNetwork: true });

test('pssFromLabels: level and version; invalid labels fall back to restricted:latest as PSA does', () => {
  assert.equal(pssFromLabels(undefined), undefined);
  assert.equal(pssFromLabels({ other: 'x' }), undefined);
  assert.equal(pssFromLabels({ 'pod-security.kubernetes.io/enforce': 'restricted' }), 'restricted:latest');
  assert.equal(pssFromLabels({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.30' }), 'baseline:v1.30');
  assert.equal(pssFromLabels({ 'pod-security.kubernetes.io/enforce': 'strict' }), 'restricted:latest');
  assert.equal(pssFromLabels({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'one' }), 'restricted:latest');
});

test('the namespace label sets the level; bosun.yaml beats it; privileged turns PSS off', async () => {
  const labels: Record<string, Record<string, string>> = {
    strict: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    open: { 'pod-security.kubernetes.io/enforce': 'privileged' },
  };
  const p = pipeline({ namespaces: [{ namespace: 'strict', pss: 'baseline:latest' }] }, { namespaceLabels: (ns) => labels[ns] });
  const unconfigured = pipeline(undefined, { namespaceLabels: (ns) => labels[ns] });
  const decide = async (pl: typeof p, object: Record<string, unknown>, ns: string) => (await pl.decide(decodeReview(review({ ...object, metadata: { name: 'p', namespace: ns } }, { namespace: ns })).request)).response;
  const r = await decide(unconfigured, PLAIN, 'strict');
  assert.equal(r.allowed, false);
  assert.match(r.status!.message, /pss\/runAsNonRoot at spec/);
  assert.equal((await decide(p, PLAIN, 'strict')).allowed, true, 'bosun.yaml says baseline for this namespace');
  const open = await decide(unconfigured, RUN_AS_ROOT, 'open');
  assert.equal(open.allowed, true, 'privileged: no PSS (hostNetwork is a high built-in check, warned)');
  assert.ok(open.warnings?.some((w) => w.startsWith('K8S-HOST-NETWORK')));
  const unlabelled = await decide(unconfigured, RUN_AS_ROOT, 'elsewhere');
  assert.equal(unlabelled.allowed, false, 'baseline:latest default forbids hostNetwork');
  assert.match(unlabelled.status!.message, /pss\/hostNamespaces/);
});

test('watchNamespaceLabels lists Namespaces through the kubeconfig (paginated) and refreshes', async () => {
  const objects = Array.from({ length: 7 }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}`, labels: { 'pod-security.kubernetes.io/enforce': i % 2 === 0 ? 'restricted' : 'baseline' } } }));
  const api = await startFakeApi({ objects, token: 'bosun-token', maxPage: 3 });
  try {
    const watch = await watchNamespaceLabels({ kubeconfig: writeKubeconfig(api.url, { token: 'bosun-token' }), refreshMs: 60_000 });
    try {
      assert.deepEqual(watch.labels('ns-4'), { 'pod-security.kubernetes.io/enforce': 'restricted' });
      assert.deepEqual(watch.labels('ns-5'), { 'pod-security.kubernetes.io/enforce': 'baseline' });
      assert.equal(watch.labels('missing'), undefined);
      assert.equal(api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces')).length, 3, 'three pages of at most 3');
      await watch.refresh();
      assert.equal(api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces')).length, 6);
    } finally {
      watch.stop();
    }
  } finally {
    await api.close();
  }
});

test('watchNamespaceLabels fails at start when the API refuses (the server must not start half-configured)', async () => {
  const api = await startFakeApi({ objects: [], token: 'right' });
  try {
    await assert.rejects(watchNamespaceLabels({ kubeconfig: writeKubeconfig(api.url, { token: 'wrong' }) }), { code: 'E_CLUSTER_AUTH', message: `namespace labels: ${api.url} answered HTTP 401 to list Namespaces (the credentials were rejected)` });
  } finally {
    await api.close();
  }
});
