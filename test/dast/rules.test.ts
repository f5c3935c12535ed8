/**
 * Table tests per rule on synthetic messages: sub-alerts, risks and evidence exactly, and the
 * near misses that must stay quiet.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { BUILTIN_JS_VULNS_UPDATED } from '../../src/dast/js-vulns/builtin.ts';
import { rulesFor } from '../../src/dast/analyze.ts';
import { BOSUN_SETTINGS } from '../../src/dast/rule.ts';
import { DAST_RULES, ruleByZapId } from '../../src/dast/rules/index.ts';
import { alerts, message, type MessageSpec } from './helpers.ts';

type Case = [name: string, zapId: number, spec: MessageSpec, expected: string[], settings?: ReadonlyMap<string, string>];

const USER = new Map([[BOSUN_SETTINGS.usernames, 'alice\nbob']]);
const JS = { 'content-type': 'application/javascript' };
const TARGET = 'https://app.example.com/';
const at = (now: string, extra: Array<[string, string]> = []): ReadonlyMap<string, string> => new Map([[BOSUN_SETTINGS.target, TARGET], [BOSUN_SETTINGS.now, now], ...extra]);

const HTML = '<html><body><a href="/x">x</a></body></html>';
const SAFE_HTML_HEADERS = { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'; form-action 'self'" };

const CASES: Case[] = [
  // 10020 anti-clickjacking
  ['10020 missing', 10020, { html: HTML }, ['10020-1 medium ']],
  ['10020 multiple', 10020, { html: HTML, headers: { 'x-frame-options': ['DENY', 'SAMEORIGIN'] } }, ['10020-2 medium DENY, SAMEORIGIN']],
  ['10020 via meta', 10020, { html: '<meta http-equiv="X-Frame-Options" content="DENY">', headers: { 'x-frame-options': 'DENY' } }, ['10020-3 medium <meta http-equiv="X-Frame-Options" content="DENY">']],
  ['10020 malformed', 10020, { html: HTML, headers: { 'x-frame-options': 'ALLOW-FROM https://a.example' } }, ['10020-4 medium ALLOW-FROM https://a.example']],
  ['10020 frame-ancestors suffices', 10020, { html: HTML, headers: SAFE_HTML_HEADERS }, []],
  ['10020 not HTML', 10020, { text: '{}', headers: { 'content-type': 'application/json' } }, []],
  ['10020 redirect', 10020, { html: HTML, status: 302, headers: { location: '/' } }, []],
  // 10021
  ['10021 missing', 10021, { text: 'a', headers: { 'content-type': 'text/plain' } }, ['10021 low ']],
  ['10021 wrong value', 10021, { text: 'a', headers: { 'x-content-type-options': 'sniff' } }, ['10021 low sniff']],
  ['10021 nosniff', 10021, { text: 'a', headers: { 'x-content-type-options': 'NoSniff' } }, []],
  ['10021 error ignored', 10021, { text: 'a', status: 404 }, []],
  // 10035 HSTS
  ['10035 missing', 10035, { html: HTML }, ['10035-1 low ']],
  ['10035 max-age=0', 10035, { html: HTML, headers: { 'strict-transport-security': 'max-age=0' } }, ['10035-2 low max-age=0']],
  ['10035 multiple', 10035, { html: HTML, headers: { 'strict-transport-security': ['max-age=1', 'max-age=2'] } }, ['10035-3 low max-age=1, max-age=2']],
  ['10035 no max-age', 10035, { html: HTML, headers: { 'strict-transport-security': 'includeSubDomains' } }, ['10035-5 low includeSubDomains']],
  ['10035 malformed', 10035, { html: HTML, headers: { 'strict-transport-security': 'max-age=1;;x' } }, ['10035-6 low max-age=1;;x']],
  ['10035 on http', 10035, { url: 'http://app.example.com/', html: HTML, headers: { 'strict-transport-security': 'max-age=1' } }, ['10035-7 info max-age=1']],
  ['10035 good', 10035, { html: HTML, headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } }, []],
  ['10035 http without', 10035, { url: 'http://app.example.com/', html: HTML }, []],
  // 10036 / 10034
  ['10036 version', 10036, { text: '', headers: { server: 'nginx/1.22.1' } }, ['10036 low nginx/1.22.1']],
  ['10036 product only', 10036, { text: '', headers: { server: 'nginx' } }, ['10036 info nginx']],
  ['10036 none', 10036, { text: '' }, []],
  ['10034 heartbleed', 10034, { headers: { server: 'Apache OpenSSL/1.0.1f' } }, ['10034 high OpenSSL/1.0.1f']],
  ['10034 fixed', 10034, { headers: { server: 'Apache OpenSSL/1.0.1g' } }, []],
  // header leaks
  ['10037', 10037, { headers: { 'x-powered-by': 'Express' } }, ['10037 low X-Powered-By: Express']],
  ['10039', 10039, { headers: { 'x-backend-server': 'b1' } }, ['10039 low X-Backend-Server: b1']],
  ['10052', 10052, { headers: { 'x-chromephp-data': 'e30=' } }, ['10052 medium X-ChromePhp-Data: e30=']],
  ['10056', 10056, { headers: { 'x-debug-token-link': '/_profiler/1' } }, ['10056 low X-Debug-Token-Link: /_profiler/1']],
  ['10061', 10061, { headers: { 'x-aspnetmvc-version': '5.2' } }, ['10061 low X-AspNetMvc-Version: 5.2']],
  // 10038 / 10055 CSP
  ['10038 missing', 10038, { html: HTML }, ['10038-1 medium ']],
  ['10038 obsolete', 10038, { html: HTML, headers: { 'x-content-security-policy': "default-src 'self'" } }, ["10038-2 info default-src 'self'"]],
  ['10038 report-only', 10038, { html: HTML, headers: { 'content-security-policy-report-only': "default-src 'self'" } }, ["10038-3 info default-src 'self'"]],
  ['10038 meta counts', 10038, { html: `<meta http-equiv="Content-Security-Policy" content="default-src 'self'">` }, []],
  ['10055 wildcard', 10055, { headers: { 'content-security-policy': "default-src *; frame-ancestors 'none'; form-action 'self'" } }, ["10055-4 medium default-src *; frame-ancestors 'none'; form-action 'self'"]],
  ['10055 unsafe-inline/eval', 10055, { headers: { 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'" } }, [
    "10055-5 medium default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "10055-6 medium default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "10055-10 medium default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
  ]],
  ['10055 no fallback', 10055, { headers: { 'content-security-policy': "default-src 'self'" } }, ["10055-13 medium default-src 'self'"]],
  ['10055 nonce makes unsafe-inline inert', 10055, { headers: { 'content-security-policy': "default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'" } }, []],
  ['10055 strict', 10055, { headers: SAFE_HTML_HEADERS }, []],
  // cookies
  ['10010', 10010, { headers: { 'set-cookie': ['a=1; Secure', 'b=2; HttpOnly'] } }, ['10010 low Set-Cookie: a']],
  ['10010 deletion skipped', 10010, { headers: { 'set-cookie': 'a=; Max-Age=0' } }, []],
  ['10011 https', 10011, { headers: { 'set-cookie': ['a=1; HttpOnly', 'b=2; secure'] } }, ['10011 low Set-Cookie: a']],
  ['10011 http', 10011, { url: 'http://app.example.com/', headers: { 'set-cookie': 'a=1' } }, []],
  ['10054', 10054, { headers: { 'set-cookie': ['a=1', 'b=2; SameSite=None', 'c=3; SameSite=Loose', 'd=4; SameSite=Strict', 'e=5; samesite=lax'] } }, ['10054-1 low Set-Cookie: a', '10054-2 low Set-Cookie: b', '10054-3 low Set-Cookie: c']],
  ['90033', 90033, { url: 'https://www.app.example.com/', headers: { 'set-cookie': ['a=1; Domain=.app.example.com', 'b=1; Domain=www.app.example.com', 'c=1'] } }, ['90033 info Set-Cookie: a']],
  // body rules
  ['2 private IP', 2, { text: 'db at 192.168.1.20 and ip-10-0-0-7.ec2.internal' }, ['2 low 192.168.1.20']],
  ['2 EC2 name alone', 2, { text: 'host ip-172-31-5-9 up' }, ['2 low ip-172-31-5-9']],
  ['2 at the start', 2, { text: '10.1.2.3' }, ['2 low 10.1.2.3']],
  ['2 public and version numbers', 2, { text: 'v10.1.2.3.4 1.10.0.1 8.8.8.8' }, []],
  ['10009 banner on error', 10009, { status: 500, text: 'nginx/1.22.1' }, ['10009 low nginx/1.22.1']],
  ['10009 not on 200', 10009, { text: 'nginx/1.22.1' }, []],
  ['10023', 10023, { html: 'PHP Warning: x' }, ['10023 low PHP Warning']],
  ['90022 trace', 90022, { text: 'java.lang.NullPointerException' }, ['90022 medium java.lang.NullPointerException']],
  ['90022 500', 90022, { status: 500, text: 'oops' }, ['90022 low HTTP/1.1 500 OK']],
  ['90022 clean', 90022, { text: 'all good' }, []],
  ['90022 Node.js frame', 90022, { text: 'Error: x\n    at handler (/app/server.js:10:5)\n' }, ['90022 medium at handler (/app/server.js:10:5)']],
  ['90022 Java frame', 90022, { text: 'at com.acme.Foo.bar(Foo.java:42)' }, ['90022 medium at com.acme.Foo.bar(Foo.java:42)']],
  ['90022 Spring', 90022, { text: 'org.springframework.beans.BeanCreationException: no' }, ['90022 medium org.springframework.beans.BeanCreationException']],
  ['90022 .NET frame', 90022, { text: '   at Foo.Bar() in C:\\src\\Foo.cs:line 12' }, ['90022 medium at Foo.Bar() in C:\\src\\Foo.cs:line 12']],
  ['90022 PHP', 90022, { html: '<b>x</b> Warning: Division by zero in /var/www/a.php on line <b>3</b>' }, ['90022 medium Warning: Division by zero in /var/www/a.php on line <b>3</b>']],
  ['90022 CSS url() is not a frame', 90022, { text: 'a { background: url(/img.png) } b(x) in y' }, []],
  ['10027 html comment', 10027, { html: '<!-- fixme later -->' }, ['10027 info fixme']],
  ['10027 js comment', 10027, { text: '// query the DB here\nx()', headers: { 'content-type': 'text/javascript' } }, ['10027 info query']],
  ['10027 url in code is not a comment', 10027, { text: 'var u = "https://x/admin";', headers: { 'content-type': 'text/javascript' } }, []],
  ['10027 harmless comment', 10027, { html: '<!-- layout -->' }, []],
  ['10033', 10033, { html: '<title>Index of /backup</title>' }, ['10033 medium <title>Index of /backup</title>']],
  ['10062 Luhn-valid', 10062, { text: 'cc 5555-5555-5555-4444' }, ['10062 high 5555-5555-5555-4444']],
  ['10062 Luhn-invalid', 10062, { text: 'cc 4111 1111 1111 1112' }, []],
  ['10096', 10096, { text: `ts=${Math.floor(Date.now() / 1000)}` }, [`10096 low ${Math.floor(Date.now() / 1000)}`]],
  ['10096 far past', 10096, { text: 'id=1000000000' }, []],
  ['10097 bcrypt', 10097, { text: '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy' }, ['10097 high $2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy']],
  ['10097 MD5 crypt in a header', 10097, { headers: { 'x-pw': '$1$salt$qJH7.N4xYta3aEG/dfqo/0' } }, ['10097 high $1$salt$qJH7.N4xYta3aEG/dfqo/0']],
  ['10097 ETag is not a disclosure', 10097, { headers: { etag: '"5f4dcc3b5aa765d61d8327deb882cf99"' } }, []],
  ['10097 md5', 10097, { text: 'h=5f4dcc3b5aa765d61d8327deb882cf99' }, ['10097 low 5f4dcc3b5aa765d61d8327deb882cf99']],
  ['10098 star', 10098, { headers: { 'access-control-allow-origin': '*' } }, ['10098 medium Access-Control-Allow-Origin: *']],
  ['10098 explicit origin', 10098, { headers: { 'access-control-allow-origin': 'https://a.example' } }, []],
  ['10099', 10099, { text: '<?php echo 1; ?>' }, ['10099 medium <?php echo 1;']],
  ['10110 inline eval', 10110, { html: '<script>eval(x)</script>' }, ['10110 low eval']],
  ['10110 evaluate() is fine', 10110, { html: '<script>evaluate(x)</script>' }, []],
  ['90002', 90002, { text: 'rO0ABXNyAA' }, ['90002 medium rO0ABXNyAA']],
  ['90030', 90030, { text: '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">', headers: { 'content-type': 'text/xml' } }, ['90030 info <definitions xmlns="http://schemas.xmlsoap.org/wsdl/"']],
  // HTML structure
  ['10017', 10017, { html: '<script src="https://cdn.example.net/a.js"></script><script src="/local.js"></script><script src="https://cdn.example.net/b.js" integrity="sha384-x"></script>' }, ['10017 low <script src="https://cdn.example.net/a.js">']],
  ['90003', 90003, { html: '<link rel="stylesheet" href="https://cdn.example.net/a.css"><link rel="icon" href="https://cdn.example.net/i.png">' }, ['90003 medium <link rel="stylesheet" href="https://cdn.example.net/a.css">']],
  ['10115', 10115, { html: '<script src="https://polyfill.io/v3/polyfill.min.js"></script>' }, ['10115 high <script src="https://polyfill.io/v3/polyfill.min.js">']],
  ['10040', 10040, { html: '<script src="http://cdn.example.net/a.js"></script><a href="http://example.com/">plain links are fine</a>' }, ['10040 low <script src="http://cdn.example.net/a.js">']],
  ['10041', 10041, { url: 'http://app.example.com/', html: '<form action="https://app.example.com/login"></form>' }, ['10041 medium <form action="https://app.example.com/login">']],
  ['10042', 10042, { html: '<form action="http://app.example.com/login"></form>' }, ['10042 medium <form action="http://app.example.com/login">']],
  ['10042 relative action stays on HTTPS', 10042, { html: '<form action="/login"></form><form action="//app.example.com/x"></form><form action="login"></form>' }, []],
  ['10042 relative action under an http <base>', 10042, { html: '<base href="http://app.example.com/"><form action="login"></form>' }, ['10042 medium <form action="login">']],
  ['10041 relative action under an https <base>', 10041, { url: 'http://app.example.com/', html: '<base href="https://app.example.com/"><form action="/login"></form>' }, ['10041 medium <form action="/login">']],
  ['10041 protocol-relative action stays on HTTP', 10041, { url: 'http://app.example.com/', html: '<form action="//app.example.com/login"></form><form action="/x"></form>' }, []],
  ['10108', 10108, { html: '<a href="https://other.example/" target="_blank">o</a><a href="https://other.example/" target="_blank" rel="noopener">ok</a><a href="/in" target="_blank">same site</a>' }, ['10108 medium <a href="https://other.example/" target="_blank">']],
  ['10109 spa', 10109, { html: '<a href="#">menu</a><script src="/main.js"></script>' }, ['10109 info <a href="#">']],
  ['10109 normal site', 10109, { html: '<a href="/about">about</a><script src="/main.js"></script>' }, []],
  ['10202', 10202, { html: '<form action="/a" method="post"><input name="q"></form><form action="/b"><input type="hidden" name="authenticity_token"></form>' }, ['10202 medium <form action="/a" method="post">']],
  ['10026', 10026, { html: '<form method="post"></form><form action="/b"></form>' }, ['10026 medium <form method="post">']],
  ['90011', 90011, { html: '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' }, ['90011 info <meta http-equiv="Content-Type" content="text/html; charset=windows-1252">']],
  ['90011 utf8 spelling', 90011, { html: '<meta charset="UTF8">' }, []],
  ['10044 big', 10044, { status: 302, headers: { location: '/x' }, text: 'x'.repeat(400) }, ['10044-1 low /x']],
  ['10044 hrefs', 10044, { status: 302, headers: { location: '/x' }, text: '<a href="/a">a</a><a href="/b">b</a>' }, ['10044-2 low /x']],
  ['10044 small', 10044, { status: 302, headers: { location: '/x' }, text: '<a href="/x">moved</a>' }, []],
  ['10050 age', 10050, { headers: { age: '30' } }, ['10050 info Age: 30']],
  ['10050 x-cache', 10050, { headers: { 'x-cache': 'Hit from cloudfront' } }, ['10050 info Hit from cloudfront']],
  ['10063 html', 10063, { html: HTML }, ['10063-1 low ']],
  ['10063 feature-policy', 10063, { html: HTML, headers: { 'feature-policy': "camera 'none'" } }, ["10063-2 low camera 'none'"]],
  ['10063 json', 10063, { text: '{}', headers: { 'content-type': 'application/json' } }, []],
  ['90004 html', 90004, { html: HTML, headers: { 'cross-origin-resource-policy': 'same-site' } }, ['90004-2 low ', '90004-3 low ']],
  ['90004 json', 90004, { text: '{}', headers: { 'content-type': 'application/json' } }, ['90004-1 low ']],
  ['10015 https html', 10015, { html: HTML, headers: { 'cache-control': 'no-cache' } }, ['10015 info no-cache']],
  ['10015 css skipped', 10015, { text: 'a{}', headers: { 'content-type': 'text/css' } }, []],
  ['10019 missing', 10019, { text: 'x' }, ['10019-1 info ']],
  ['10019 empty', 10019, { text: 'x', headers: { 'content-type': '' } }, ['10019-2 info ']],
  ['10019 no body', 10019, {}, []],
  ['10105 challenge', 10105, { url: 'http://app.example.com/', status: 401, headers: { 'www-authenticate': 'Digest realm="x"' } }, ['10105 medium WWW-Authenticate: Digest realm="x"']],
  ['10105 captured', 10105, { url: 'http://app.example.com/', requestHeaders: { authorization: 'Basic dXNlcjpwYXNz' } }, ['10105-1 high Authorization: Basic …']],
  ['10105 https', 10105, { status: 401, headers: { 'www-authenticate': 'Basic' } }, []],
  // parameters
  ['3 query', 3, { url: 'https://app.example.com/?PHPSESSID=abcdef0123456789' }, ['3 medium abcdef0123456789']],
  ['3 path', 3, { url: 'https://app.example.com/cart;jsessionid=ABCDEF123456' }, ['3 medium ABCDEF123456']],
  ['3 short', 3, { url: 'https://app.example.com/?sid=1' }, []],
  ['10024 email value', 10024, { url: 'https://app.example.com/?to=alice@example.com' }, ['10024 info alice@example.com']],
  ['10024 harmless', 10024, { url: 'https://app.example.com/?page=2' }, []],
  ['10025', 10025, { requestHeaders: { referer: 'https://app.example.com/?ssn=123-45-6789' } }, ['10025 info 123-45-6789']],
  ['10028', 10028, { url: 'https://app.example.com/go?next=https://evil.example/x', status: 302, headers: { location: 'https://evil.example/x' } }, ['10028 high https://evil.example/x']],
  ['10028 same host', 10028, { url: 'https://app.example.com/go?next=/home', status: 302, headers: { location: '/home' } }, []],
  ['10029', 10029, { url: 'https://app.example.com/?lang=klingon', headers: { 'set-cookie': 'lang=klingon' } }, ['10029 info klingon']],
  ['10030', 10030, { url: 'https://app.example.com/?cs=utf-7', html: HTML, headers: { 'content-type': 'text/html; charset=utf-7' } }, ['10030 info utf-7']],
  ['10031', 10031, { url: 'https://app.example.com/?img=banner', html: '<img src="banner.png">' }, ['10031 info <img src="banner.png">']],
  ['10031 same field echo', 10031, { url: 'https://app.example.com/?q=shoes', html: '<input name="q" value="shoes">' }, []],
  ['10043', 10043, { url: 'https://app.example.com/?id=item42', html: '<a onclick="buy(\'item42\')">buy</a>' }, ['10043 info <a onclick="buy(\'item42\')">']],
  // view state
  ['10032 no MAC', 10032, { html: `<input name="__VIEWSTATE" value="${Buffer.from('\xff\x01\x0f\x0fdd', 'latin1').toString('base64')}">` }, [`10032-2 high ${Buffer.from('\xff\x01\x0f\x0fdd', 'latin1').toString('base64')}`]],
  ['10032 split', 10032, { html: '<input name="__VIEWSTATEFIELDCOUNT" value="3">' }, ['10032-5 info 3']],
  ['90001', 90001, { html: '<input name="javax.faces.ViewState" value="H4sIAAAAAAAAAA">' }, ['90001 medium H4sIAAAAAAAAAA']],
  ['90001 server-side id', 90001, { html: '<input name="javax.faces.ViewState" value="-123:456">' }, []],
  // 10003 vulnerable JS libraries (built-in Retire.js data)
  ['10003 file name', 10003, { url: 'https://app.example.com/static/jquery-1.8.1.min.js', text: '(function(){})();', headers: JS }, ['10003 medium jquery-1.8.1.min.js']],
  ['10003 banner in a bundle', 10003, { url: 'https://app.example.com/static/vendor.js', text: '/*! jQuery v3.4.1 | (c) JS Foundation */\n!function(){}();', headers: JS }, ['10003 medium /*! jQuery v3.4.1']],
  ['10003 risk follows the data', 10003, { url: 'https://app.example.com/lib/lodash-4.17.4.min.js', text: '', headers: JS }, ['10003 high lodash-4.17.4.min.js']],
  ['10003 CDN path', 10003, { url: 'https://cdn.example.com/ajax/libs/jqueryui/1.12.1/jquery-ui.min.js', text: '', headers: JS }, ['10003 medium https://cdn.example.com/ajax/libs/jqueryui/1.12.1/jquery-ui.min.js']],
  ['10003 patched version', 10003, { url: 'https://app.example.com/jquery-3.7.1.min.js', text: '/*! jQuery v3.7.1 */', headers: JS }, []],
  ['10003 fixed in exactly this version', 10003, { url: 'https://app.example.com/bootstrap-3.4.1.js', text: '', headers: JS }, []],
  ['10003 not a script', 10003, { url: 'https://app.example.com/jquery-1.8.1.js', status: 404, text: 'nope' }, []],
  // 10049 content cacheability
  ['10049 public max-age', 10049, { headers: { 'cache-control': 'public, max-age=600' } }, ['10049-3 info max-age=600']],
  ['10049 s-maxage wins', 10049, { headers: { 'cache-control': 'max-age=0, s-maxage=60' } }, ['10049-3 info s-maxage=60']],
  ['10049 heuristic from Last-Modified', 10049, { headers: { date: 'Sun, 29 Nov 2026 00:00:00 GMT', 'last-modified': 'Thu, 19 Nov 2026 00:00:00 GMT' } }, ['10049-3 info Last-Modified: Thu, 19 Nov 2026 00:00:00 GMT (heuristic: 10% of its age)']],
  ['10049 no-store', 10049, { headers: { 'cache-control': 'no-store, max-age=600' } }, []],
  ['10049 private', 10049, { headers: { 'cache-control': 'private, max-age=600' } }, []],
  ['10049 no-cache means revalidate', 10049, { headers: { 'cache-control': 'no-cache, max-age=600' } }, []],
  ['10049 no lifetime: stale', 10049, { html: HTML }, []],
  ['10049 Authorization without public', 10049, { requestHeaders: { authorization: 'Bearer x' }, headers: { 'cache-control': 'max-age=600' } }, []],
  ['10049 Age past the lifetime', 10049, { headers: { 'cache-control': 'max-age=60', age: '120' } }, []],
  ['10049 POST without explicit lifetime', 10049, { method: 'POST', headers: { date: 'Sun, 29 Nov 2026 00:00:00 GMT', 'last-modified': 'Thu, 19 Nov 2026 00:00:00 GMT' } }, []],
  // 10057 username hash
  ['10057 md5 and sha-256', 10057, { html: `<p id="${createHash('md5').update('alice').digest('hex')}">${createHash('sha256').update('bob').digest('hex').toUpperCase()}</p>` }, [`10057 info ${createHash('md5').update('alice').digest('hex')}`, `10057 info ${createHash('sha256').update('bob').digest('hex').toUpperCase()}`], USER],
  ['10057 in a header', 10057, { headers: { 'x-user': createHash('sha1').update('alice').digest('hex') } }, [`10057 info ${createHash('sha1').update('alice').digest('hex')}`], USER],
  ['10057 other hashes', 10057, { html: `<p>${createHash('md5').update('carol').digest('hex')}</p>` }, [], USER],
  ['10057 no usernames', 10057, { html: `<p>${createHash('md5').update('alice').digest('hex')}</p>` }, []],
  // 10111 authentication request
  ['10111 form post', 10111, { url: 'https://app.example.com/login', method: 'POST', requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.example&pwd=x&authenticity_token=t' }, ['10111 info email, pwd']],
  ['10111 JSON', 10111, { url: 'https://app.example.com/api/session', method: 'POST', requestHeaders: { 'content-type': 'application/json' }, body: '{"username": "u", "password": "p"}' }, ['10111 info username, password']],
  ['10111 registration', 10111, { url: 'https://app.example.com/signup', method: 'POST', requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=u&password=p' }, []],
  ['10111 password alone', 10111, { url: 'https://app.example.com/unlock?password=p&x=1' }, []],
  // 10112 session management response
  ['10112 token in JSON', 10112, { text: '{"access_token": "abcdefghijklmnopqrstuvwxyz", "expires_in": 3600}', headers: { 'content-type': 'application/json' } }, ['10112 info "access_token": "abcdefgh…"']],
  ['10112 short value', 10112, { text: '{"token": "abc"}', headers: { 'content-type': 'application/json' } }, []],
  ['10112 not JSON', 10112, { html: '<p>"token": "abcdefghijklmnopqrstuvwxyz"</p>' }, []],
  // 10113 verification request
  ['10113 names the user', 10113, { requestHeaders: { cookie: 'sid=1' }, html: '<p>Hello, alice!</p>' }, ['10113 info alice'], USER],
  ['10113 without credentials', 10113, { html: '<p>Hello, alice!</p>' }, [], USER],
  ['10113 part of a word', 10113, { requestHeaders: { cookie: 'sid=1' }, html: '<p>malice</p>' }, [], USER],
  ['10113 inside a tag', 10113, { requestHeaders: { authorization: 'Bearer t' }, html: '<input name="user" value="alice">' }, [], USER],
  // 10116 JS vulnerability data out of date (built-in data reviewed on BUILTIN_JS_VULNS_UPDATED)
  ['10116 fresh', 10116, { url: TARGET, html: HTML }, [], at('2027-01-01T00:00:00Z')],
  ['10116 over 180 days', 10116, { url: TARGET, html: HTML }, [`10116 low ${BUILTIN_JS_VULNS_UPDATED}`], at('2027-07-01T00:00:00Z')],
  ['10116 over two years', 10116, { url: TARGET, html: HTML }, [`10116 high ${BUILTIN_JS_VULNS_UPDATED}`], at('2029-01-01T00:00:00Z')],
  ['10116 only on the target', 10116, { url: `${TARGET}other`, html: HTML }, [], at('2029-01-01T00:00:00Z')],
];

for (const [name, zapId, spec, expected, settings] of CASES) {
  test(`zap:${name}`, () => {
    const rule = ruleByZapId(zapId);
    assert.ok(rule !== undefined, `rule ${zapId}`);
    assert.deepEqual(alerts(rule, spec, settings), expected);
  });
}

test('a rule left out for a kind of response (its `applies`) alerts on none of that kind', () => {
  // Every case, and variants of it with another content type, status, scheme, cookie or parameter:
  // each rule the dispatch leaves out must return nothing when called on the message directly.
  const types = ['text/html', 'application/xhtml+xml', 'application/javascript', 'text/css', 'application/json', 'application/javascript+json', 'image/png', 'image/svg+xml', 'text/plain', 'application/xml', undefined];
  let skipped = 0;
  for (const [name, , spec, , settings] of CASES) {
    const variants: MessageSpec[] = [spec];
    const headers = spec.headers ?? {};
    for (const t of types) {
      const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
      variants.push({ ...spec, html: undefined, text: spec.html ?? spec.text ?? '', headers: t === undefined ? rest : { ...rest, 'content-type': t } });
    }
    for (const status of [101, 200, 204, 302, 404, 500, 99, 600]) variants.push({ ...spec, status });
    const url = new URL(spec.url ?? 'https://app.example.com/page');
    for (const scheme of ['http:', 'https:']) variants.push({ ...spec, url: `${scheme}//${url.host}${url.pathname}${url.search}` });
    variants.push({ ...spec, headers: { ...headers, 'set-cookie': 'sid=abcdef123; Domain=example.com' } }, { ...spec, url: `${url.origin}${url.pathname}?q=utf-8&sid=abcdefgh12` });
    for (const v of variants) {
      const msg = message(v);
      const picked = new Set(rulesFor(DAST_RULES, msg));
      for (const rule of DAST_RULES) {
        if (picked.has(rule)) continue;
        skipped++;
        assert.deepEqual(rule.scan(message(v), settings ?? USER), [], `${name}: ${rule.zapId} left out of ${JSON.stringify(v)}`);
      }
    }
  }
  assert.ok(skipped > 1000, `${skipped} rule calls left out`);
});

test('ZAP rule options: rules.csrf.ignorelist, rules.csrf.ignore.attname/attvalue, rules.cookie.ignorelist', () => {
  const csrf = ruleByZapId(10202)!;
  const page = { html: '<form name="search" action="/s"></form><form id="login" action="/l" method="post"></form><form data-no-csrf action="/n" method="post"></form><form action="/x" method="post"></form>' };
  assert.deepEqual(alerts(csrf, page).length, 4);
  const settings = new Map([['rules.csrf.ignorelist', 'search, login'], ['rules.csrf.ignore.attname', 'data-no-csrf']]);
  assert.deepEqual(alerts(csrf, page, settings), ['10202 info <form data-no-csrf action="/n" method="post">', '10202 medium <form action="/x" method="post">']);
  const withValue = new Map([['rules.csrf.ignore.attname', 'data-no-csrf'], ['rules.csrf.ignore.attvalue', 'yes']]);
  assert.equal(alerts(csrf, page, withValue).filter((a) => a.startsWith('10202 info')).length, 0);
  const cookies = { headers: { 'set-cookie': ['_ga=1', 'sid=2'] } };
  const ignoreGa = new Map([['rules.cookie.ignorelist', '_ga']]);
  for (const id of [10010, 10011, 10054]) assert.deepEqual(alerts(ruleByZapId(id)!, cookies, ignoreGa).map((a) => a.split(' ').pop()), ['sid']);
});

test('every rule has a positive case here (the hardened twin in baseline.test.ts is the negative for all)', () => {
  for (const r of DAST_RULES) {
    const mine = CASES.filter(([, id]) => id === r.zapId);
    assert.ok(mine.some(([, , , e]) => e.length > 0), `${r.zapId} has no positive case`);
  }
});

test('rule metadata: unique IDs, ZAP alias, reference, one file per plugin ID', () => {
  const ids = new Set(DAST_RULES.map((r) => r.id));
  assert.equal(ids.size, DAST_RULES.length);
  assert.equal(new Set(DAST_RULES.map((r) => r.zapId)).size, DAST_RULES.length);
  for (const r of DAST_RULES) {
    assert.match(r.id, /^DAST-[A-Z0-9-]+$/);
    assert.deepEqual(r.aliases, [`zap:${r.zapId}`]);
    assert.equal(r.references![0], `https://www.zaproxy.org/docs/alerts/${r.zapId}/`);
  }
  assert.equal(DAST_RULES.length, 65);
});

test('hash prefilter: a run of 32 hex digits at any offset is seen, 31 is not', async () => {
  const { mayHoldHash } = await import('../../src/dast/rules/hash-disclosure.ts');
  const hex = 'abcdef0123456789ABCDEF0123456789';
  for (let offset = 0; offset < 70; offset++) {
    const pad = 'x'.repeat(offset);
    assert.equal(mayHoldHash(`${pad}${hex} tail`), true, `32 at ${offset}`);
    assert.equal(mayHoldHash(`${pad}${hex.slice(1)} tail ${hex.slice(2)}`), false, `31 at ${offset}`);
  }
  assert.equal(mayHoldHash('price: $5'), true);
  assert.equal(mayHoldHash('ab'.repeat(15) + ' ' + 'cd'.repeat(15)), false);
});

test('private IP prefilter: every text the pattern matches in passes the cheap look', async () => {
  const { mayHoldPrivateIp } = await import('../../src/dast/rules/private-ip.ts');
  const rule = ruleByZapId(2)!;
  const parts = ['10.', '172.', '16.', '31.', '192.', '168.', '168', '5.', '9.', '0', '1', '2', '5', '9', '.', '-', 'ip', 'ip-', ' ', 'a', '::', ':80'];
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let matched = 0;
  for (let n = 0; n < 20000; n++) {
    let text = '';
    for (let k = next() % 12; k >= 0; k--) text += parts[next() % parts.length];
    const hit = rule.scan(message({ text, url: 'https://scanned.example/' }), new Map()).length > 0;
    if (hit) matched++;
    if (hit) assert.equal(mayHoldPrivateIp(text), true, text);
  }
  assert.ok(matched > 30, `${matched} random texts matched`);
  for (const text of ['172.16.5.9', 'x 192.168.1.1', '10.1.1.1', 'ip-172-16-1-1', 'ip-192-168-1-1:8080']) {
    assert.ok(rule.scan(message({ text }), new Map()).length > 0, text);
    assert.equal(mayHoldPrivateIp(text), true, text);
  }
  assert.equal(mayHoldPrivateIp('Item 15: lorem ipsum. page 13'), false);
});

test('a reference told to be on the page host without parsing it resolves to the page host', async () => {
  const { otherHost, resolve, surelySameHost } = await import('../../src/dast/rules/common.ts');
  const msg = message({ url: 'https://app.example.com/dir/page?x=1', html: '<p>' });
  const doc = { baseHref: undefined } as unknown as Parameters<typeof surelySameHost>[1];
  const parts = ['/', '\\', '//', 'evil.example', 'a', '.', '..', '?', '#', ':', 'http:', 'https:', 'javascript:', '\t', '\n', '\r', ' ', '\u0001', '\u00a0', '%2F', '@', 'x.js'];
  let seed = 11;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let fast = 0;
  for (let n = 0; n < 20000; n++) {
    let ref = '';
    for (let k = next() % 6; k >= 0; k--) ref += parts[next() % parts.length];
    if (!surelySameHost(ref, doc)) continue;
    fast++;
    const url = resolve(ref, msg);
    assert.ok(url === undefined || !otherHost(url, msg), JSON.stringify(ref));
    assert.ok(url === undefined || url.host === 'app.example.com', JSON.stringify(ref));
  }
  assert.ok(fast > 1000, `${fast} told without parsing`);
  for (const ref of ['//evil.example/x.js', '/\t/evil.example/x.js', '\\\\evil.example/x.js', '\u0001//evil.example/x.js', 'https://evil.example/x.js']) assert.equal(surelySameHost(ref, doc), false, ref);
  assert.equal(surelySameHost('/x.js', { baseHref: 'https://cdn.example/' } as unknown as Parameters<typeof surelySameHost>[1]), false);
});
