/**
 * `npm run bench:dast`: `bosun dast` (spider + every passive rule) against a plain crawl of the
 * same 100-page site with the same concurrency (fetch, read the body, pull hrefs with a regex,
 * nothing else), in the same run; the site runs in a child process. Prints the median of each,
 * the ratio, CPU time of this process (all threads), and the whole CLI run with default
 * settings. Each crawler runs in its own process (its own heap and JIT state, as when run
 * alone) and the rounds alternate which goes first. The rules run where `scanUrl` puts them by default (see `DastOptions.workers`);
 * BENCH_WORKERS=1 forces the worker pool, BENCH_WORKERS=0 the spider's thread. Not a test:
 * nothing here asserts a time.
 */
import { fork, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { scanUrl } from '../src/dast/scan.ts';

const PAGES = 100;
const CONCURRENCY = 4;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 11);
/** Untimed rounds first, so both crawls are measured with their code compiled by the JIT. */
const WARMUP = 3;

/** A site of PAGES pages (~12 KB of HTML each, 8 links, a form, a script, cookies on some). */
function serveSite(): void {
  const filler = Array.from({ length: 60 }, (_, i) => `<p class="row">Item ${i}: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>`).join('\n');
  const server = http.createServer((req, res) => {
    const n = Number(/^\/page\/(\d+)$/.exec(req.url ?? '')?.[1] ?? (req.url === '/' ? 0 : -1));
    if (n < 0 || n >= PAGES) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const links = Array.from({ length: 8 }, (_, i) => `<a href="/page/${(n * 7 + i * 13 + 1) % PAGES}">page ${(n * 7 + i * 13 + 1) % PAGES}</a>`).join(' ');
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', server: 'bench/1.0', 'x-content-type-options': 'nosniff' };
    if (n % 10 === 0) headers['set-cookie'] = `s${n}=v; Path=/`;
    res.writeHead(200, headers).end(
      `<!DOCTYPE html><html><head><title>Page ${n}</title><link rel="stylesheet" href="/page/${n}"><script>var page = ${n};</script></head><body><nav>${links}</nav><!-- page ${n} -->\n${filler}\n<form action="/page/${(n + 1) % PAGES}" method="post"><input name="q"></form></body></html>`,
    );
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
}

/** The baseline: fetch every page once, CONCURRENCY at a time, following hrefs; no parsing beyond a regex. */
async function plainCrawl(origin: string): Promise<number> {
  const seen = new Set([`${origin}/`]);
  const queue = [`${origin}/`];
  let active = 0;
  let fetched = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < CONCURRENCY && queue.length > 0) {
        const url = queue.shift()!;
        active++;
        fetch(url)
          .then((r) => r.text())
          .then((body) => {
            fetched++;
            for (const m of body.matchAll(/href="([^"]+)"/g)) {
              const next = new URL(m[1]!, url).href;
              if (next.startsWith(origin) && !seen.has(next)) {
                seen.add(next);
                queue.push(next);
              }
            }
          })
          .finally(() => {
            active--;
            pump();
          });
      }
    };
    pump();
  });
  return fetched;
}

async function bosunScan(origin: string): Promise<number> {
  const r = await scanUrl(`${origin}/`, { config: false, concurrency: CONCURRENCY, requestsPerSecond: 0, robots: false, sitemap: false, ...(process.env['BENCH_WORKERS'] !== undefined && { workers: process.env['BENCH_WORKERS'] !== '0' }) });
  return r.dast.stats.requests;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface RunResult {
  ms: number;
  cpu: number;
  requests: number;
}

/**
 * A crawler in its own process (`--crawler plain|dast ORIGIN`): each crawl runs on its own heap
 * and JIT state, as it would alone, not after the other's code and garbage. It answers every
 * `run` message with the wall time, the CPU time (all threads, including the 100 ms after the
 * crawl, so what it leaves behind is counted) and the requests made.
 */
function crawler(kind: string, origin: string): void {
  const crawl = kind === 'plain' ? plainCrawl : bosunScan;
  const cpu = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  process.on('message', (m: string) => {
    if (m === 'exit') return process.exit(0);
    const t = performance.now();
    const c = process.cpuUsage();
    void crawl(origin).then(async (requests) => {
      const ms = performance.now() - t;
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.send!({ ms, cpu: cpu(process.cpuUsage(c)), requests } satisfies RunResult);
    });
  });
  process.send!('ready');
}

function startCrawler(kind: string, origin: string): { run: () => Promise<RunResult>; stop: () => void } {
  const child = fork(fileURLToPath(import.meta.url), ['--crawler', kind, origin], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
  return {
    run: async () => {
      await ready;
      return new Promise<RunResult>((resolve) => {
        child.once('message', (r: RunResult) => resolve(r));
        child.send('run');
      });
    },
    stop: () => void child.send('exit'),
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serveSite();
  const at = process.argv.indexOf('--crawler');
  if (at !== -1) return crawler(process.argv[at + 1]!, process.argv[at + 2]!);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const origin = `http://127.0.0.1:${port}`;
  const plainProc = startCrawler('plain', origin);
  const dastProc = startCrawler('dast', origin);
  try {
    const plain: RunResult[] = [];
    const dast: RunResult[] = [];
    for (let i = 0; i < WARMUP; i++) {
      await plainProc.run();
      await dastProc.run();
    }
    // Rounds alternate which crawler goes first, so load drifts on the machine fall on both.
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        plain.push(await plainProc.run());
        dast.push(await dastProc.run());
      } else {
        dast.push(await dastProc.run());
        plain.push(await plainProc.run());
      }
    }
    const p = median(plain.map((r) => r.ms));
    const d = median(dast.map((r) => r.ms));
    console.log(`site: ${PAGES} pages, concurrency ${CONCURRENCY}, ${ROUNDS} rounds after ${WARMUP} untimed (median), each crawler in its own process`);
    console.log(`plain fetch crawl : ${p.toFixed(0)} ms (${plain[0]!.requests} requests; ${median(plain.map((r) => r.cpu)).toFixed(0)} ms CPU)`);
    console.log(`bosun dast        : ${d.toFixed(0)} ms (${dast[0]!.requests} requests, spider + ${(await import('../src/dast/rules/index.ts')).DAST_RULES.length} passive rules; ${median(dast.map((r) => r.cpu)).toFixed(0)} ms CPU, all threads)`);
    console.log(`ratio dast/plain  : ${(d / p).toFixed(2)}`);
    // On a shared machine the wall-time ratio swings with the load; the CPU ratio barely moves.
    console.log(`CPU ratio         : ${(median(dast.map((r) => r.cpu)) / median(plain.map((r) => r.cpu))).toFixed(2)}`);
    const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    const t = performance.now();
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, [cli, 'dast', `${origin}/`, '--no-bosun-config', '-f', 'json', '-o', '/dev/null'], { stdio: 'inherit' }).on('close', resolve));
    console.log(`whole CLI run, default settings (50 req/s rate limit, robots.txt, sitemap.xml; exit ${code}): ${(performance.now() - t).toFixed(0)} ms`);
  } finally {
    plainProc.stop();
    dastProc.stop();
    child.kill();
  }
}

await main();
