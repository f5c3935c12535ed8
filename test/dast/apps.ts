/**
 * Local targets for the DAST tests, all on 127.0.0.1 with an OS-chosen port: a deliberately weak
 * app with one page per passive rule, its hardened twin, a crawl-features app and a hostile app
 * (infinite links, redirect loops, a 100 MB response, a slow drip, off-scope links).
 */
import { generateWebhookCerts } from '../../src/admission/certs.ts';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  origin: string;
  /** Paths requested, in order (with query), e.g. `GET /a?b=1`. */
  requests: string[];
  maxInFlight: number;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, origin: string) => void;

// A throwaway certificate made at test time: no private key is committed (bosun's own secret
// scanner would rightly flag one).
const generated = generateWebhookCerts({ service: 'dast-test', namespace: 'test', extraNames: ['localhost', '127.0.0.1'] });
const TLS = { key: generated.key, cert: generated.cert };

export async function serve(handler: Handler, tls = false): Promise<TestServer> {
  let inFlight = 0;
  const state = { requests: [] as string[], maxInFlight: 0 };
  let origin = '';
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    state.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', origin);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      (req as http.IncomingMessage & { body?: string }).body = body;
      handler(req, res, url, origin);
    });
  };
  const server = tls ? https.createServer(TLS, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get requests() {
      return state.requests;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string | string[]>, body: string | Buffer = ''): void {
  res.writeHead(status, headers);
  res.end(body);
}

const html = (body: string, head = ''): string => `<!DOCTYPE html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;
const HTML = 'text/html; charset=utf-8';

// ── the weak app: each path triggers the rules in its comment ────────────────────────────────

/** ZAP plugin ID → the path on the weak app that triggers it, and the scheme it needs ('' = both). */
export const WEAK_PAGES: ReadonlyArray<readonly [number, string, '' | 'http' | 'https']> = [
  [2, '/private-ip', ''],
  [3, '/session?jsessionid=A1B2C3D4E5F6A7B8', ''],
  [10009, '/error-banner', ''],
  [10010, '/cookies', ''],
  [10011, '/cookies', 'https'],
  [10015, '/', 'https'],
  [10017, '/cross-domain-script', ''],
  [10019, '/no-content-type', ''],
  [10020, '/', ''],
  [10021, '/', ''],
  [10023, '/debug', ''],
  [10024, '/account?password=hunter2', ''],
  [10025, '/after-account', ''],
  [10026, '/form-no-action', ''],
  [10027, '/comments', ''],
  [10028, '/redirect?url=http://evil.example/', ''],
  [10029, '/set-pref?theme=darkmode', ''],
  [10030, '/charset?enc=iso-8859-1', ''],
  [10031, '/search?q=bosunterm', ''],
  [10032, '/viewstate', ''],
  [10033, '/files/', ''],
  [10034, '/heartbleed', ''],
  [10035, '/', 'https'],
  [10036, '/heartbleed', ''],
  [10037, '/leaky-headers', ''],
  [10038, '/', ''],
  [10039, '/leaky-headers', ''],
  [10040, '/mixed', 'https'],
  [10041, '/login', 'http'],
  [10042, '/login', 'https'],
  [10043, '/search?q=bosunterm', ''],
  [10044, '/big-redirect', ''],
  [10050, '/cached', ''],
  [10052, '/leaky-headers', ''],
  [10054, '/cookies', ''],
  [10055, '/csp-weak', ''],
  [10056, '/leaky-headers', ''],
  [10061, '/leaky-headers', ''],
  [10062, '/pii', ''],
  [10063, '/', ''],
  [10096, '/timestamp', ''],
  [10097, '/hash', ''],
  [10098, '/cors', ''],
  [10099, '/source.php', ''],
  [10105, '/admin', 'http'],
  [10108, '/tabnab', ''],
  [10109, '/spa', ''],
  [10110, '/app.js', ''],
  [10115, '/polyfill', ''],
  [10202, '/form-no-action', ''],
  [90001, '/jsf', ''],
  [90002, '/jsf', ''],
  [90003, '/cross-domain-script', ''],
  [90004, '/', ''],
  [90011, '/charset-mismatch', ''],
  [90022, '/app-error', ''],
  [90030, '/service.wsdl', ''],
  [90033, '/cookies', ''],
  [10003, '/js/jquery-1.8.1.min.js', ''],
  [10049, '/public', ''],
  [10057, '/avatar', ''],
  [10111, '/signin?username=bosun-user&password=secret&csrf_token=t', ''],
  [10112, '/api/token', ''],
  [10113, '/profile', ''],
  [10116, '/', ''],
];

/** The account the DAST tests scan as (`usernames` option); the weak app leaks it, the hardened twin never shows it. */
export const TEST_USER = 'bosun-user';

const VIEWSTATE = Buffer.concat([Buffer.from([0xff, 0x01]), Buffer.from('\x0f\x0f\x05\x0a-123456789dd', 'latin1')]).toString('base64');
const JAVA_OBJECT = 'rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3Rvcg==';

export const weakApp: Handler = (req, res, url, origin) => {
  const other = origin.startsWith('https:') ? origin.replace('https:', 'http:') : origin.replace('http:', 'https:');
  const links = [...new Set([...WEAK_PAGES.map(([, p]) => p), '/signin-form'])].filter((p) => p !== '/after-account' && !p.startsWith('/signin?')).map((p) => `<a href="${p.replace(/&/g, '&amp;')}">${p}</a>`).join('\n');
  switch (url.pathname) {
    case '/':
      return send(res, 200, { 'content-type': HTML }, html(links));
    case '/private-ip':
      return send(res, 200, { 'content-type': HTML }, html('<p>Upstream: 10.0.0.12:8080</p>'));
    case '/session':
    case '/after-account':
    case '/files/other':
      return send(res, 200, { 'content-type': HTML }, html('<p>ok</p>'));
    case '/error-banner':
      return send(res, 404, { 'content-type': HTML }, html('<hr><address>Apache/2.4.41 (Ubuntu) Server at 127.0.0.1 Port 80</address>'));
    case '/cookies':
      return send(res, 200, { 'content-type': HTML, 'set-cookie': ['sid=abc123; Path=/', 'wide=1; Domain=0.0.1; Path=/; HttpOnly; Secure; SameSite=Lax'] }, html('<p>cookies</p>'));
    case '/cross-domain-script':
      return send(res, 200, { 'content-type': HTML }, html('<script src="https://cdn.example.com/lib.js"></script><a href="/">home</a>'));
    case '/polyfill':
      return send(res, 200, { 'content-type': HTML }, html('<script src="https://cdn.polyfill.io/v3/polyfill.min.js" integrity="sha384-x"></script><a href="/">home</a>'));
    case '/no-content-type':
      return send(res, 200, {}, 'plain words');
    case '/debug':
      return send(res, 200, { 'content-type': HTML }, html('<b>Warning: Cannot modify header information - headers already sent</b>'));
    case '/account':
      return send(res, 200, { 'content-type': HTML }, html('<a href="/after-account">next</a>'));
    case '/form-no-action':
      return send(res, 200, { 'content-type': HTML }, html('<form method="post"><input name="comment"></form>'));
    case '/comments':
      return send(res, 200, { 'content-type': HTML }, html('<!-- TODO: remove the admin backdoor --><p>hi</p>'));
    case '/redirect':
      return send(res, 302, { location: url.searchParams.get('url') ?? '/', 'content-type': HTML });
    case '/set-pref':
      return send(res, 200, { 'content-type': HTML, 'set-cookie': `theme=${url.searchParams.get('theme') ?? ''}; HttpOnly; SameSite=Lax; Secure` }, html('<p>saved</p>'));
    case '/charset':
      return send(res, 200, { 'content-type': `text/html; charset=${url.searchParams.get('enc') ?? 'utf-8'}` }, html('<p>charset</p>'));
    case '/search': {
      const q = url.searchParams.get('q') ?? '';
      return send(res, 200, { 'content-type': HTML }, html(`<input name="last" value="${q}"><div onclick="track('${q}')">results</div>`));
    }
    case '/viewstate':
      return send(res, 200, { 'content-type': HTML }, html(`<form action="/vs" method="post"><input type="hidden" name="__VIEWSTATE" value="${VIEWSTATE}"><input type="hidden" name="csrf_token" value="t"></form>`));
    case '/files/':
      return send(res, 200, { 'content-type': HTML }, '<html><head><title>Index of /files/</title></head><body><h1>Index of /files/</h1><a href="other">other</a></body></html>');
    case '/heartbleed':
      return send(res, 200, { 'content-type': HTML, server: 'Apache/2.2.22 (Ubuntu) OpenSSL/1.0.1e' }, html('<p>tls</p>'));
    case '/leaky-headers':
      return send(res, 200, { 'content-type': HTML, 'x-powered-by': 'PHP/8.1.2', 'x-backend-server': 'app-01.internal', 'x-chromelogger-data': 'eyJ2ZXJzaW9uIjoiNC4wIn0=', 'x-debug-token': 'a1b2c3', 'x-aspnet-version': '4.0.30319' }, html('<p>headers</p>'));
    case '/mixed':
      return send(res, 200, { 'content-type': HTML }, html('<img src="http://127.0.0.1:1/pixel.png">'));
    case '/login':
      return send(res, 200, { 'content-type': HTML }, html(`<form action="${other}/session-login" method="post"><input type="hidden" name="csrf_token" value="t"><input name="user"></form>`));
    case '/big-redirect':
      return send(res, 302, { location: '/', 'content-type': HTML }, html(`<p>${'account data '.repeat(200)}</p>`));
    case '/cached':
      return send(res, 200, { 'content-type': HTML, age: '120' }, html('<p>cached</p>'));
    case '/csp-weak':
      return send(res, 200, { 'content-type': HTML, 'content-security-policy': "default-src *; script-src 'self' 'unsafe-inline' 'unsafe-eval'" }, html('<p>csp</p>'));
    case '/pii':
      return send(res, 200, { 'content-type': HTML }, html('<p>Card on file: 4111 1111 1111 1111</p>'));
    case '/timestamp':
      return send(res, 200, { 'content-type': 'application/json' }, `{"created": ${Math.floor(Date.now() / 1000) - 86_400}}`);
    case '/hash':
      return send(res, 200, { 'content-type': 'application/json' }, '{"hash": "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}');
    case '/cors':
      return send(res, 200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }, '{"ok": true}');
    case '/source.php':
      return send(res, 200, { 'content-type': 'text/plain' }, '<?php $db = connect("root", $password); ?>');
    case '/admin':
      return send(res, 401, { 'content-type': HTML, 'www-authenticate': 'Basic realm="admin"' }, html('<p>login</p>'));
    case '/tabnab':
      return send(res, 200, { 'content-type': HTML }, html('<a href="https://example.com/" target="_blank">docs</a>'));
    case '/spa':
      return send(res, 200, { 'content-type': HTML }, html('<div id="app"></div><script src="/app.js"></script>'));
    case '/app.js':
      return send(res, 200, { 'content-type': 'application/javascript' }, 'var data = load();\nvar out = eval(data);\n');
    case '/jsf':
      return send(res, 200, { 'content-type': HTML }, html(`<form action="/faces" method="post"><input type="hidden" name="javax.faces.ViewState" value="${JAVA_OBJECT}"><input type="hidden" name="csrf_token" value="t"></form>`));
    case '/charset-mismatch':
      return send(res, 200, { 'content-type': HTML }, html('<p>x</p>', '<meta charset="iso-8859-1">'));
    case '/app-error':
      return send(res, 200, { 'content-type': 'text/plain' }, 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n');
    case '/js/jquery-1.8.1.min.js':
      return send(res, 200, { 'content-type': 'application/javascript' }, '/*! jQuery v1.8.1 jquery.com | jquery.org/license */\n(function(a,b){})(window);\n');
    case '/public':
      return send(res, 200, { 'content-type': HTML, 'cache-control': 'public, max-age=86400' }, html('<p>Your orders</p>'));
    case '/avatar':
      return send(res, 200, { 'content-type': HTML }, html(`<div data-user="${createHash('md5').update(TEST_USER).digest('hex')}">avatar</div>`));
    case '/signin-form':
      return send(res, 200, { 'content-type': HTML }, html(`<form action="/signin" method="get"><input name="username" value="${TEST_USER}"><input type="password" name="password" value="secret"><input type="hidden" name="csrf_token" value="t"></form>`));
    case '/api/token':
      return send(res, 200, { 'content-type': 'application/json' }, '{"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3N1bi11c2VyIn0.c2lnbmF0dXJl", "token_type": "Bearer"}');
    case '/profile':
      return send(res, 200, { 'content-type': HTML }, html(`<p>Signed in as ${TEST_USER}</p>`));
    case '/service.wsdl':
      return send(res, 200, { 'content-type': 'text/xml' }, '<?xml version="1.0"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" name="svc"></wsdl:definitions>');
    default:
      return send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  }
};

// ── the hardened twin: the same features, done safely; triggers no rule ──────────────────────

const SAFE_HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(), geolocation=(), microphone=()',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache, no-store, must-revalidate',
  'referrer-policy': 'no-referrer',
};

export const hardenedApp: Handler = (req, res, url, origin) => {
  const headers: Record<string, string | string[]> = { ...SAFE_HEADERS };
  if (origin.startsWith('https:')) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  const ok = (type: string, body: string, extra: Record<string, string | string[]> = {}): void => send(res, 200, { ...headers, 'content-type': type, ...extra }, body);
  const nav = '<a href="/cookies">cookies</a> <a href="/search?q=bosunterm">search</a> <a href="/form">form</a> <a href="/go?to=home">go</a> <a href="/app">app</a> <a href="/external">external</a> <a href="/account?view=summary">account</a> <a href="/data.json">data</a> <a href="/missing">missing</a>';
  switch (url.pathname) {
    case '/':
      return ok(HTML, html(nav));
    case '/cookies':
      return ok(HTML, html('<p>cookies</p>'), { 'set-cookie': ['sid=abc123; Path=/; HttpOnly; Secure; SameSite=Strict', 'pref=compact; Path=/; HttpOnly; Secure; SameSite=Lax'] });
    case '/search':
      return ok(HTML, html(`<p>Results for ${(url.searchParams.get('q') ?? '').replace(/[<>&"']/g, '')}</p><form action="/submit" method="post"><input type="hidden" name="csrf_token" value="t"><input name="q"></form>`));
    case '/form':
      return ok(HTML, html('<form action="/submit" method="post"><input type="hidden" name="csrf_token" value="t"><input name="comment"></form>'));
    case '/submit':
      return ok(HTML, html('<p>thanks</p>'));
    case '/go':
      return send(res, 302, { ...headers, location: '/', 'content-type': HTML }, '');
    case '/app':
      return ok(HTML, html('<a href="/">home</a><div id="root"></div><script src="/js/jquery-3.7.1.min.js"></script><script src="/app.js"></script>'));
    case '/js/jquery-3.7.1.min.js':
      return ok('application/javascript', '/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n(function(a){})(window);\n');
    case '/app.js':
      return ok('application/javascript', 'document.getElementById("root").textContent = "ready";\n');
    case '/external':
      return ok(HTML, html('<script src="https://cdn.example.com/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin="anonymous"></script><a href="https://example.com/" target="_blank" rel="noopener noreferrer">docs</a>'));
    case '/account':
      return ok(HTML, html('<p>Card ending 1111</p><a href="/">home</a>'));
    case '/data.json':
      return ok('application/json', '{"status": "ok", "items": 3}');
    case '/robots.txt':
      return ok('text/plain', 'User-agent: *\nDisallow: /private/\n');
    case '/sitemap.xml':
      return ok('application/xml', `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/</loc></url></urlset>`);
    default:
      return send(res, 404, { ...headers, 'content-type': HTML }, html('<p>Not found</p>'));
  }
};

// ── crawl features: every kind of link the spider must follow, and what it must not do ───────

export const linksApp: Handler = (req, res, url, origin) => {
  const page = (body: string, head = ''): void => send(res, 200, { 'content-type': HTML }, html(body, head));
  switch (url.pathname) {
    case '/':
      return page(
        [
          '<a href="/a">a</a>',
          '<a href="/a#frag">same page</a>',
          '<a href="mailto:x@example.com">mail</a><a href="javascript:void(0)">js</a>',
          '<img src="/img/1.png" srcset="/img/2.png 2x, /img/3.png 3x">',
          '<picture><source srcset="/img/4.webp"></picture>',
          '<link rel="stylesheet" href="/style.css"><script src="/script.js"></script>',
          '<iframe src="/frame"></iframe>',
          '<form action="/search" method="get"><input name="q"><input type="submit" name="go" value="Go"></form>',
          '<form action="/post-only" method="post"><input name="comment" value="hi"></form>',
          '<a href="/redirect-me">redirect</a>',
          '<a href="http://127.0.0.2:9/off">other address</a><a href="https://example.com/">other host</a>',
          `<a href="${origin.replace('127.0.0.1', 'localhost')}/alias">other name</a>`,
        ].join('\n'),
        '<meta http-equiv="refresh" content="30; url=/refreshed">',
      );
    case '/redirect-me':
      return send(res, 301, { location: '/landed' });
    case '/robots.txt':
      return send(res, 200, { 'content-type': 'text/plain' }, 'User-agent: *\nDisallow: /from-robots/\nAllow: /allowed*.html$\nSitemap: /custom-sitemap.xml\n');
    case '/sitemap.xml':
      return send(res, 200, { 'content-type': 'application/xml' }, `<?xml version="1.0"?><urlset><url><loc>${origin}/from-sitemap</loc></url><url><loc>https://example.com/x</loc></url></urlset>`);
    case '/custom-sitemap.xml':
      return send(res, 200, { 'content-type': 'application/xml' }, `<?xml version="1.0"?><urlset><url><loc>${origin}/from-custom-sitemap?a=1&amp;b=2</loc></url></urlset>`);
    default:
      if (['/style.css', '/script.js', '/img/1.png', '/img/2.png', '/img/3.png', '/img/4.webp'].includes(url.pathname)) return send(res, 200, { 'content-type': 'application/octet-stream' }, 'x');
      return page('<p>leaf</p>');
  }
};

// ── hostile: what a scan must survive ────────────────────────────────────────────────────────

export function hostileApp(offScopeOrigin: string): Handler {
  return (req, res, url) => {
    const page = (body: string): void => send(res, 200, { 'content-type': HTML }, html(body));
    const p = url.pathname;
    if (p === '/') {
      return page(`<a href="/gen/1">gen</a><a href="/loop/a">loop</a><a href="/chain/1">chain</a><a href="/big">big</a><a href="/drip">drip</a><a href="${offScopeOrigin}/steal">off</a><a href="//evil.example/x">proto-relative</a>`);
    }
    let m = /^\/gen\/(\d+)$/.exec(p);
    if (m !== null) {
      const n = Number(m[1]);
      return page(`<a href="/gen/${n + 1}">next</a><a href="/gen/${n * 2 + 7}">jump</a><a href="/gen/${n}?r=${n}">self</a><a href="${offScopeOrigin}/gen/${n}">off</a>`);
    }
    if (p === '/loop/a') return send(res, 302, { location: '/loop/b' });
    if (p === '/loop/b') return send(res, 302, { location: '/loop/a' });
    m = /^\/chain\/(\d+)$/.exec(p);
    if (m !== null) return send(res, 302, { location: `/chain/${Number(m[1]) + 1}` });
    if (p === '/big') return streamBig(res, 100 * 1024 * 1024);
    if (p === '/drip') return drip(res);
    return send(res, 404, { 'content-type': 'text/plain' }, 'no');
  };
}

/** 100 MB of HTML, written with back-pressure so only the client's reading pace matters. */
function streamBig(res: http.ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': HTML, 'content-length': String(total) });
  const chunk = Buffer.alloc(64 * 1024, '<p>big</p>\n');
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  pump();
}

/** Headers at once, then one byte every 100 ms, forever (until the client goes). */
function drip(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': HTML });
  res.write('<html><body>');
  const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('.')), 100);
  res.on('close', () => clearInterval(t));
  res.on('error', () => undefined);
}
