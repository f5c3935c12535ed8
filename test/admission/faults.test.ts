/** Bad input and faults: the webhook answers 4xx or a decision in time, never crashes, and survives certificate rotation and shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
import type { ImageVerifier } from '../../src/admission/signatures.ts';
import { call, pipeline, pod, review, serve, writeTls } from './helpers.ts';

const POD = pod({ containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] });

test('malformed bodies get 400 with the reason; wrong method and path 405/404', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const cases: Array<[string, RegExp]> = [
      ['{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {', /^body is not JSON/],
      ['', /^body is not JSON/],
      ['[]', /not an AdmissionReview object/],
      ['null', /not an AdmissionReview object/],
      ['{"apiVersion":"admission.k8s.io/v2","kind":"AdmissionReview","request":{"uid":"x"}}', /apiVersion must be admission\.k8s\.io\/v1 or v1beta1, got "admission\.k8s\.io\/v2"/],
      ['{"apiVersion":"admission.k8s.io/v1","kind":"Pod","request":{"uid":"x"}}', /kind must be AdmissionReview, got "Pod"/],
      ['{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', /empty admission request/],
      ['{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}', /request\.uid is missing/],
      ['{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","operation":"CREATE"}}', /request\.kind is missing/],
    ];
    for (const [body, reason] of cases) {
      const res = await call(server.port, tls.caCert, 'POST', '/validate', body);
      assert.equal(res.status, 400, body);
      assert.match(res.body, reason);
    }
    assert.equal((await call(server.port, tls.caCert, 'GET', '/validate')).status, 405);
    assert.equal((await call(server.port, tls.caCert, 'POST', '/mutate', '{}')).status, 404);
    // Still serving after all that.
    assert.equal((await call(server.port, tls.caCert, 'POST', '/validate', review(POD))).json().response.allowed, true);
    assert.match((await call(server.port, tls.caCert, 'GET', '/metrics')).body, /^bosun_admission_bad_requests_total 11$/m);
  } finally {
    await server.close();
  }
});

test('a CREATE without an object, and an object of the wrong kind, are refused with status 400 in the review', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const missing = (await call(server.port, tls.caCert, 'POST', '/validate', review(undefined))).json().response;
    assert.deepEqual(missing, { uid: 'a1b2c3', allowed: false, status: { code: 400, message: 'bosun: request.object is missing for CREATE', reason: 'BadRequest' } });
    const body = JSON.parse(review(POD));
    body.request.kind.kind = 'Deployment';
    const wrong = (await call(server.port, tls.caCert, 'POST', '/validate', JSON.stringify(body))).json().response;
    assert.equal(wrong.status.message, 'bosun: request.object is a Pod, but request.kind is Deployment');
  } finally {
    await server.close();
  }
});

test('a 10 MB object is refused with 413 (declared or streamed) and the server keeps serving', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const big = review(pod({ containers: [{ name: 'app', image: 'x', env: [{ name: 'BLOB', value: 'x'.repeat(10 * 1024 * 1024) }] }] }));
    const declared = await call(server.port, tls.caCert, 'POST', '/validate', big);
    assert.equal(declared.status, 413);
    const streamed = await call(server.port, tls.caCert, 'POST', '/validate', big, { 'Transfer-Encoding': 'chunked' }).catch((err: Error) => ({ status: -1, body: err.message }));
    assert.ok(streamed.status === 413 || streamed.status === -1, `streamed: ${streamed.status}`); // the server may cut the upload off before the client reads the answer
    assert.equal((await call(server.port, tls.caCert, 'POST', '/validate', review(POD))).status, 200);
  } finally {
    await server.close();
  }
});

test('slowloris: a client that never finishes its headers is disconnected after headersTimeout', async () => {
  const { server, tls } = await serve(pipeline(), { headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  try {
    const t0 = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: tls.caCert, servername: 'localhost' }, () => {
        socket.write('POST /validate HTTP/1.1\r\nHost: x\r\n');
        const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 100);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(Date.now() - t0);
        });
      });
      socket.on('error', () => {});
      setTimeout(() => reject(new Error('slow client was never disconnected')), 5000).unref();
    });
    assert.ok(closedAfter < 3000, `closed after ${closedAfter} ms`);
    assert.equal((await call(server.port, tls.caCert, 'POST', '/validate', review(POD))).status, 200);
  } finally {
    await server.close();
  }
});

test('flood beyond capacity: excess requests get 429 at once, the rest are decided', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const slow: ImageVerifier = {
    async verify() {
      await gate;
      return { verified: true, detail: 'ok' };
    },
  };
  const p = pipeline({ images: { signatures: [{ images: ['registry.example.com/*'], signers: [{ key: 'k' }] }], budgetMs: 5000, cacheSize: 0 } }, { verifier: slow });
  const { server, tls } = await serve(p, { maxInFlight: 4 });
  try {
    let refused = 0;
    let allRefused: () => void = () => {};
    const sixteen = new Promise<void>((r) => (allRefused = r));
    const pending = Array.from({ length: 20 }, () =>
      call(server.port, tls.caCert, 'POST', '/validate', review(POD)).then((res) => {
        if (res.status === 429 && ++refused === 16) allRefused();
        return res;
      }),
    );
    await sixteen; // the four admitted reviews are still waiting on the registry
    release();
    const results = await Promise.all(pending);
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 4);
    assert.equal(statuses.filter((s) => s === 429).length, 16);
    assert.equal(results.find((r) => r.status === 429)?.headers['retry-after'], '1');
  } finally {
    await server.close();
  }
});

test('certificate replaced mid-flight: new connections get the new certificate, open ones keep working, a half-written pair is ignored', async () => {
  const { server, tls } = await serve(pipeline(), { certPollMs: 60_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: [tls.caCert] });
  const keepAliveCall = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: server.port, path: '/healthz', agent, servername: 'localhost' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    assert.equal(await keepAliveCall(), 200);
    const fresh = writeTls();
    // Half-done rotation: new certificate, old key. Must be ignored.
    writeFileSync(tls.certFile, fresh.cert);
    assert.equal(await server.reloadCertificates(), false);
    assert.equal(await keepAliveCall(), 200, 'open connection survives');
    assert.equal((await call(server.port, tls.caCert, 'GET', '/healthz')).status, 200, 'old pair still served');
    writeFileSync(tls.keyFile, fresh.key);
    await server.reloadCertificates(); // the directory watcher may have been first
    assert.equal(await server.reloadCertificates(), false, 'nothing left to reload');
    assert.equal(await keepAliveCall(), 200, 'open connection survives the swap');
    assert.equal((await call(server.port, fresh.caCert, 'GET', '/healthz')).status, 200, 'new connections get the new certificate');
    await assert.rejects(call(server.port, tls.caCert, 'GET', '/healthz'), /self[- ]signed|unable to verify|certificate/i);
    const metrics = (await call(server.port, fresh.caCert, 'GET', '/metrics')).body;
    assert.match(metrics, /bosun_admission_cert_reloads_total\{result="ok"\} [1-9]/);
    assert.match(metrics, /bosun_admission_cert_reloads_total\{result="error"\} [1-9]/);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test('certificate files changed on disk are picked up by the watcher or the poll', async () => {
  const { server, tls } = await serve(pipeline(), { certPollMs: 200 });
  try {
    const fresh = writeTls();
    writeFileSync(tls.keyFile, fresh.key);
    writeFileSync(tls.certFile, fresh.cert);
    const deadline = Date.now() + 5000;
    while (server.metrics.certReloads === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await call(server.port, fresh.caCert, 'GET', '/healthz')).status, 200);
  } finally {
    await server.close();
  }
});

test('graceful shutdown: in-flight reviews finish, readiness turns 503, then the port closes', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const slow: ImageVerifier = {
    async verify() {
      await gate;
      return { verified: true, detail: 'ok' };
    },
  };
  const p = pipeline({ images: { signatures: [{ images: ['registry.example.com/*'], signers: [{ key: 'k' }] }], budgetMs: 5000 } }, { verifier: slow });
  const { server, tls } = await serve(p);
  const inFlight = call(server.port, tls.caCert, 'POST', '/validate', review(POD));
  await new Promise((r) => setTimeout(r, 100));
  const closing = server.close(5000);
  setTimeout(release, 200);
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.equal(res.json().response.allowed, true);
  await closing;
  await assert.rejects(call(server.port, tls.caCert, 'GET', '/healthz'), /ECONNREFUSED/);
});

test('memory stays flat over 1,500 reviews', async () => {
  const { server, tls } = await serve(pipeline());
  try {
    const body = review(pod({ containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] }));
    const agent = new Agent({ keepAlive: true, maxSockets: 25, ca: tls.caCert });
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i += 25) await Promise.all(Array.from({ length: 25 }, () => call(server.port, tls.caCert, 'POST', '/validate', body, {}, agent)));
    };
    await run(300);
    gc();
    const before = process.memoryUsage().heapUsed;
    await run(1200);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 20 * 1024 * 1024, `heap grew by ${grown} bytes`);
    agent.destroy();
  } finally {
    await server.close();
  }
});


test('a registry that accepts connections and never answers: the real verifier is cut off by the budget', async () => {
  const { createServer } = await import('node:net');
  const { registryVerifier } = await import('../../src/admission/registry-verifier.ts');
  const sockets: import('node:net').Socket[] = [];
  const hang = createServer((s) => void sockets.push(s)).listen(0, '127.0.0.1');
  await new Promise((r) => hang.once('listening', r));
  const port = (hang.address() as import('node:net').AddressInfo).port;
  try {
    const p = pipeline(
      { images: { signatures: [{ images: [`127.0.0.1:${port}/*`], signers: [{ key: 'k' }] }], budgetMs: 300 } },
      { verifier: registryVerifier({ registry: { insecure: true, retries: 1, timeoutMs: 300 } }) },
    );
    const { decodeReview } = await import('../../src/admission/review.ts');
    const t0 = Date.now();
    const r = (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image: `127.0.0.1:${port}/app:1` }] }))).request)).response;
    assert.ok(Date.now() - t0 < 1500, `answered after ${Date.now() - t0} ms`);
    assert.equal(r.allowed, false);
    assert.match(r.status!.message, /ADM-IMAGE-SIGNATURE at spec\.containers\[0\]\.image: .*signature could not be checked: registry did not answer within the 300 ms budget/);
    assert.equal(p.signatures.metrics.registryErrors, 1);
  } finally {
    for (const s of sockets) s.destroy();
    hang.close();
  }
});
