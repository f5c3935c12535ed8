/** The spider on a real local server: what it follows, what it never requests, and its bounds. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { scanUrl } from '../../src/dast/scan.ts';
import { srcsetUrls, refreshUrl, robotsLinks } from '../../src/dast/spider/links.ts';
import { linksApp, serve } from './apps.ts';

const FAST = { config: false as const, requestsPerSecond: 0, only: [] };

test('follows every kind of link in scope, GET forms only, robots.txt and sitemaps, redirects; nothing else', async () => {
  const s = await serve(linksApp);
  try {
    const r = await scanUrl(`${s.origin}/`, FAST);
    assert.deepEqual([...s.requests].sort(), [
      'GET /',
      'GET /a',
      'GET /allowed',
      'GET /custom-sitemap.xml',
      'GET /frame',
      'GET /from-custom-sitemap?a=1&b=2',
      'GET /from-robots/',
      'GET /from-sitemap',
      'GET /img/1.png',
      'GET /img/2.png',
      'GET /img/3.png',
      'GET /img/4.webp',
      'GET /landed',
      'GET /redirect-me',
      'GET /refreshed',
      'GET /robots.txt',
      'GET /script.js',
      'GET /search?q=bosun',
      'GET /sitemap.xml',
      'GET /style.css',
    ]);
    assert.equal(r.dast.stats.requests, 20);
    // other address, other host, another name for this host, example.com in the sitemap
    assert.equal(r.dast.stats.outOfScope, 4);
    assert.equal(r.dast.stats.stoppedBy, undefined);
  } finally {
    await s.close();
  }
});

test('--submit-forms also submits POST forms, with their default values', async () => {
  const s = await serve(linksApp);
  try {
    await scanUrl(`${s.origin}/`, { ...FAST, submitForms: true, robots: false, sitemap: false });
    assert.ok(s.requests.includes('POST /post-only'));
  } finally {
    await s.close();
  }
});

test('--no-robots/--no-sitemap, --exclude and --max-depth', async () => {
  const s = await serve(linksApp);
  try {
    const r = await scanUrl(`${s.origin}/`, { ...FAST, robots: false, sitemap: false, exclude: ['/img/', 'search'], maxDepth: 0 });
    assert.deepEqual(s.requests, ['GET /']);
    assert.equal(r.dast.stats.beyondDepth > 0, true);
  } finally {
    await s.close();
  }
});

test('--scope lets the spider into another origin; without it that origin gets nothing', async () => {
  const other = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>other</p>'));
  const main = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<a href="${other.origin}/shared">shared</a>`));
  try {
    await scanUrl(`${main.origin}/`, { ...FAST, robots: false, sitemap: false });
    assert.deepEqual(other.requests, []);
    await scanUrl(`${main.origin}/`, { ...FAST, robots: false, sitemap: false, scope: [new URL(other.origin).host] });
    assert.deepEqual(other.requests, ['GET /shared']);
  } finally {
    await main.close();
    await other.close();
  }
});

test('concurrency and rate limits hold', async () => {
  // Counted by the handler (up to the moment it answers): the server's own close events can lag under load.
  let inFlight = 0;
  let maxInFlight = 0;
  const s = await serve((req, res) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const n = Number(/\d+/.exec(req.url ?? '')?.[0] ?? 0);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/html' }).end(n < 30 ? Array.from({ length: 5 }, (_, i) => `<a href="/p${n * 5 + i + 1}">x</a>`).join('') : '');
    }, 20);
  });
  try {
    const r = await scanUrl(`${s.origin}/`, { ...FAST, robots: false, sitemap: false, concurrency: 3, maxPages: 40 });
    assert.equal(maxInFlight, 3);
    assert.equal(r.dast.stats.requests, 40);
    assert.equal(r.dast.stats.stoppedBy, 'pages');
    const before = s.requests.length;
    const t0 = performance.now();
    await scanUrl(`${s.origin}/`, { ...FAST, robots: false, sitemap: false, concurrency: 4, maxPages: 11, requestsPerSecond: 20 });
    const elapsed = performance.now() - t0;
    assert.equal(s.requests.length - before, 11);
    // 11 starts at 20/s: the last starts 500 ms after the first.
    assert.ok(elapsed >= 480, `took ${elapsed} ms`);
  } finally {
    await s.close();
  }
});

test('sends the configured headers and cookie, a browser-like User-Agent, and the Referer', async () => {
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const s = await serve((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/html' }).end(req.url === '/' ? '<a href="/next">n</a>' : '');
  });
  try {
    await scanUrl(`${s.origin}/`, { ...FAST, robots: false, sitemap: false, headers: ['Authorization: Bearer abc'], cookie: 'session=1' });
    assert.equal(seen.length, 2);
    for (const h of seen) {
      assert.equal(h['authorization'], 'Bearer abc');
      assert.equal(h['cookie'], 'session=1');
      assert.match(String(h['user-agent']), /bosun-dast/);
    }
    assert.equal(seen[1]!['referer'], `${s.origin}/`);
  } finally {
    await s.close();
  }
});

test('link parsing details', () => {
  assert.deepEqual(srcsetUrls('a.png 1x, b,c.png 2x,d.png 3w'), ['a.png', 'b,c.png', 'd.png']);
  assert.deepEqual(srcsetUrls('x.png 100w, data:image/png;base64,AA== 2x, y.png (a,b) 3x, z.png'), ['x.png', 'data:image/png;base64,AA==', 'y.png', 'z.png']);
  assert.equal(refreshUrl('0; url=/next'), '/next');
  assert.equal(refreshUrl("5;URL='/quoted'"), '/quoted');
  assert.equal(refreshUrl('30'), undefined);
  assert.deepEqual(robotsLinks('User-agent: *\nDisallow: /\nDisallow: /a/*.php\nAllow: /b # note\nSitemap: https://x/s.xml'), ['/a/', '/b', 'https://x/s.xml']);
});

test('usage errors: not a URL, not http, bad regex, bad header', async () => {
  await assert.rejects(scanUrl('not a url', FAST), { code: 'E_USAGE' });
  await assert.rejects(scanUrl('ftp://127.0.0.1/', FAST), { code: 'E_USAGE' });
  await assert.rejects(scanUrl('http://127.0.0.1:1/', { ...FAST, exclude: ['('] }), { code: 'E_USAGE' });
  await assert.rejects(scanUrl('http://127.0.0.1:1/', { ...FAST, headers: ['no colon'] }), { code: 'E_USAGE' });
  await assert.rejects(scanUrl('http://127.0.0.1:1/', { ...FAST, exclude: ['127'] }), { code: 'E_USAGE' });
});

test('an unreachable target is an input error, not an empty pass', async () => {
  const s = await serve((_req, res) => res.end());
  const origin = s.origin;
  await s.close();
  const r = await scanUrl(`${origin}/`, FAST);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 'E_UNREACHABLE');
});

test('keeps the cookies the site sets and sends them back, as a browser does', async () => {
  const cookies: Array<string | undefined> = [];
  const s = await serve((req, res) => {
    cookies.push(`${req.url} ${req.headers['cookie'] ?? '-'}`);
    const headers: Record<string, string | string[]> = { 'content-type': 'text/html' };
    if (req.url === '/') headers['set-cookie'] = ['sid=abc; Path=/; HttpOnly', 'tls=1; Secure', 'admin=1; Path=/admin'];
    if (req.url === '/logout') headers['set-cookie'] = 'sid=; Max-Age=0; Path=/';
    const body = req.url === '/' ? '<a href="/a">a</a><a href="/admin/x">x</a>' : req.url === '/a' ? '<a href="/logout">out</a>' : req.url === '/logout' ? '<a href="/after">after</a>' : '';
    res.writeHead(200, headers).end(body);
  });
  try {
    await scanUrl(`${s.origin}/`, { ...FAST, robots: false, sitemap: false, concurrency: 1, cookie: 'user=1' });
    assert.deepEqual(cookies, ['/ user=1', '/a user=1; sid=abc', '/admin/x user=1; sid=abc; admin=1', '/logout user=1; sid=abc', '/after user=1']);
  } finally {
    await s.close();
  }
});

test('compressed responses (gzip, deflate, br) are read as a browser reads them; a compression bomb is not', async () => {
  const page = (n: string): string => `<html><body><!-- TODO ${n} --><a href="/next-${n}">n</a></body></html>`;
  const s = await serve((req, res) => {
    const enc = /^\/(gzip|deflate|br|bomb)/.exec(req.url ?? '')?.[1];
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/gzip">g</a><a href="/deflate">d</a><a href="/br">b</a><a href="/bomb">x</a>');
    if (enc === undefined) return void res.writeHead(200, { 'content-type': 'text/html' }).end('');
    const body = enc === 'bomb' ? zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a')) : enc === 'gzip' ? zlib.gzipSync(page(enc)) : enc === 'deflate' ? zlib.deflateSync(page(enc)) : zlib.brotliCompressSync(page(enc));
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': enc === 'bomb' ? 'gzip' : enc }).end(body);
  });
  try {
    const r = await scanUrl(`${s.origin}/`, { config: false, requestsPerSecond: 0, robots: false, sitemap: false, maxResponseBytes: 4 * 1024 * 1024 });
    for (const e of ['gzip', 'deflate', 'br']) assert.ok(s.requests.includes(`GET /next-${e}`), e);
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'DAST-SUSPICIOUS-COMMENTS').map((f) => (f.target.type === 'url' ? new URL(f.target.url).pathname : '')).sort(), ['/br', '/deflate', '/gzip']);
  } finally {
    await s.close();
  }
});

test('bodies are decoded with the declared charset; an unknown one reads as UTF-8', async () => {
  const { decodeBody } = await import('../../src/dast/spider/fetch.ts');
  assert.equal(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1'), 'café');
  assert.equal(decodeBody(Buffer.from('café'), 'x-no-such-charset'), 'café');
  assert.equal(decodeBody(Buffer.from('café'), undefined), 'café');
  // The same decoder serves the next body without carrying state over.
  assert.equal(decodeBody(Buffer.from([0xc3]), undefined), '\ufffd');
  assert.equal(decodeBody(Buffer.from([0xa9]), undefined), '\ufffd');
});
