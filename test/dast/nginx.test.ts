/**
 * A real server: Debian's nginx with its default site (only the listen address changed to
 * 127.0.0.1 and a free port), started by the test. The version leak in the Server header and in
 * the default error page, and the missing security headers, are found. Skipped where nginx is not
 * installed, unless BOSUN_REQUIRE_INTEGRATION is set (CI installs it).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { scanUrl } from '../../src/dast/scan.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const DEFAULT_SITE = '/etc/nginx/sites-available/default';
const available = NGINX !== undefined && existsSync(DEFAULT_SITE);
const skip = !available && process.env['BOSUN_REQUIRE_INTEGRATION'] === undefined ? 'nginx is not installed' : false;

let child: ChildProcess | undefined;
let origin = '';
let version = '';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  if (skip !== false) return;
  assert.ok(available, 'nginx and its default site are required (apt-get install nginx)');
  version = /nginx\/([\d.]+)/.exec(spawnSync(NGINX!, ['-v'], { encoding: 'utf8' }).stderr)![1]!;
  const dir = await mkdtemp(join(tmpdir(), 'bosun-nginx-'));
  await mkdir(join(dir, 'logs'));
  const port = await freePort();
  const site = readFileSync(DEFAULT_SITE, 'utf8')
    .replace(/^\s*listen\s+\[::\]:80[^;]*;\s*$/m, '')
    .replace(/^\s*listen\s+80[^;]*;\s*$/m, `\tlisten 127.0.0.1:${port};`);
  const conf = [
    'pid nginx.pid;',
    'error_log logs/error.log;',
    'events { worker_connections 64; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log off;',
    `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    site,
    '}',
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), conf);
  child = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off; master_process off;'], { stdio: 'ignore' });
  await waitForPort(port, 5000);
  origin = `http://127.0.0.1:${port}`;
});

after(() => {
  child?.kill('SIGTERM');
});

test('nginx default site: version leaks and missing headers', { skip }, async () => {
  const r = await scanUrl(`${origin}/`, { config: false, requestsPerSecond: 0 });
  const got = new Set(r.findings.map((f) => `${f.aliases![0]} ${f.target.type === 'url' ? f.target.url.slice(origin.length) : ''}`));
  for (const want of ['zap:10036 /', 'zap:10020 /', 'zap:10021 /', 'zap:10038 /', 'zap:10063 /', 'zap:90004 /', 'zap:10009 /robots.txt', 'zap:10009 /sitemap.xml']) {
    assert.ok(got.has(want), `missing ${want}; got ${[...got].join(', ')}`);
  }
  const server = r.findings.find((f) => f.ruleId === 'DAST-SERVER-HEADER')!;
  assert.equal(server.severity, 'low');
  assert.equal(server.message, `Server Leaks Version Information via "Server" HTTP Response Header Field. Evidence: nginx/${version}`);
  const banner = r.findings.find((f) => f.ruleId === 'DAST-IN-PAGE-BANNER')!;
  assert.match(banner.message, new RegExp(`Evidence: nginx/${version.replace(/\./g, '\\.')}$`));
  // Nothing that needs HTTPS, cookies or forms.
  for (const f of r.findings) assert.ok(!['DAST-HSTS', 'DAST-COOKIE-NO-HTTPONLY', 'DAST-ANTI-CSRF-TOKENS'].includes(f.ruleId), f.ruleId);
  assert.equal(r.dast.stats.requests, 3);
});
