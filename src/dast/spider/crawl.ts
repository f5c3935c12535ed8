/**
 * The spider: breadth-first from the target, same-origin (plus --scope hosts), bounded by
 * duration, request count, depth, redirect hops and response size; concurrency-limited and
 * rate-limited. It sends only what a browser would send to crawl: GETs of links and resources,
 * GET form submissions, and POST form submissions only when asked to. Every response is handed
 * to `analyze` (the passive rules and link discovery) as it arrives, and then dropped, so memory
 * stays bounded by the concurrency times the response-size bound.
 */
import { BosunError } from '../../core/errors.ts';
import { charsetOf, header, isText, type Header, type HttpMessage } from '../message.ts';
import { ACCEPT_ENCODING, createAgents, decodeBody, destroyAgents, FetchError, fetchOnce, inflate } from './fetch.ts';
import { createCookieJar } from './cookie-jar.ts';
import type { FoundLink } from './links.ts';
import { inScope, type Scope } from './scope.ts';

export interface SpiderOptions {
  scope: Scope;
  /** Parallel requests. */
  concurrency: number;
  /** Request starts per second; 0 = no rate limit. */
  requestsPerSecond: number;
  maxDurationMs: number;
  /** Requests in all (pages, resources, redirects, robots.txt and sitemap.xml). */
  maxPages: number;
  /** Link hops from the target (redirects do not add depth). */
  maxDepth: number;
  maxRedirects: number;
  maxResponseBytes: number;
  /** Body bytes decoded for link extraction and the rules (ZAP's spider parses 2.5 MB at most). */
  maxParseBytes: number;
  requestTimeoutMs: number;
  /** POST forms are submitted only when true. */
  submitForms: boolean;
  /** Fetch /robots.txt and /sitemap.xml for more URLs. */
  robots: boolean;
  sitemap: boolean;
  /** Sent with every request (User-Agent, Cookie, Authorization …). */
  headers: Header[];
}

export interface CrawlError {
  url: string;
  code: string;
  message: string;
}

export interface SpiderStats {
  requests: number;
  /** Responses whose body was cut at the size bound or the request deadline. */
  truncated: number;
  timedOut: number;
  /** Distinct URLs found but not requested because they are out of scope or excluded. */
  outOfScope: number;
  /** Distinct URLs not followed because of the depth or redirect bound. */
  beyondDepth: number;
  errors: CrawlError[];
  /** Why the crawl ended early, if it did. */
  stoppedBy?: 'duration' | 'pages';
  durationMs: number;
}

export const USER_AGENT = 'Mozilla/5.0 (compatible; bosun-dast)';

interface Job {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  depth: number;
  hops: number;
  referer?: string;
}

/**
 * `analyze` runs the passive rules on a response and returns the links found in it (see
 * `discoverLinks`); it may run elsewhere (a worker thread) and answer later.
 */
export async function spider(target: URL, options: SpiderOptions, analyze: (msg: HttpMessage) => readonly FoundLink[] | Promise<readonly FoundLink[]>): Promise<SpiderStats> {
  if (!inScope(options.scope, target)) throw new BosunError('E_USAGE', `${target.href}: the target itself is excluded from the scan`);
  const started = performance.now();
  const stats: SpiderStats = { requests: 0, truncated: 0, timedOut: 0, outOfScope: 0, beyondDepth: 0, errors: [], durationMs: 0 };
  const agents = createAgents(options.concurrency);
  const jar = createCookieJar();
  const userCookie = options.headers.find(([n]) => n === 'cookie')?.[1];
  const controller = new AbortController();
  const queue: Job[] = [];
  let head = 0;
  const seen = new Set<string>();
  const skipped = new Set<string>();
  let active = 0;
  let stopped = false;
  let wake: (() => void)[] = [];
  const notify = (): void => {
    const w = wake;
    wake = [];
    for (const f of w) f();
  };
  const stop = (why: 'duration' | 'pages'): void => {
    if (stopped) return;
    stopped = true;
    stats.stoppedBy = why;
    // At the duration bound in-flight requests are cut; at the page bound they finish.
    if (why === 'duration') controller.abort();
    notify();
  };
  const deadline = setTimeout(() => stop('duration'), options.maxDurationMs);
  const interval = options.requestsPerSecond > 0 ? 1000 / options.requestsPerSecond : 0;
  let nextSlot = 0;

  // The links of one page share their base: parse it once, not once per link.
  let lastBase: { text: string; url: URL; origin: string } | undefined;
  // Links as written (with the base they resolve against; the origin for root-relative ones)
  // already handled: most links of a site repeat on every page, and their URL need not be parsed
  // again to be found seen or skipped, which is for good.
  const handled = new Set<string>();
  const enqueue = (ref: string, base: URL | string, from: Job | undefined, redirect: boolean, method: 'GET' | 'POST' = 'GET', body?: string): void => {
    let url: URL;
    try {
      if (typeof base === 'string') {
        if (lastBase?.text !== base) {
          const u = new URL(base);
          lastBase = { text: base, url: u, origin: u.origin };
        }
        const rootRelative = ref.charCodeAt(0) === 47 /* / */ && ref.charCodeAt(1) !== 47 && ref.charCodeAt(1) !== 92 /* \ */;
        const raw = `${method} ${rootRelative ? lastBase.origin : base} ${ref}${body === undefined ? '' : `\n${body}`}`;
        if (handled.has(raw)) return;
        handled.add(raw);
        base = lastBase.url;
      }
      url = new URL(ref.trim(), base);
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (url.hash !== '') url.hash = '';
    const key = `${method} ${url.href}${body === undefined ? '' : `\n${body}`}`;
    if (seen.has(key) || skipped.has(key)) return;
    if (!inScope(options.scope, url)) {
      skipped.add(key);
      stats.outOfScope++;
      return;
    }
    const depth = from === undefined ? 0 : redirect ? from.depth : from.depth + 1;
    const hops = redirect && from !== undefined ? from.hops + 1 : 0;
    if (depth > options.maxDepth || hops > options.maxRedirects) {
      skipped.add(key);
      stats.beyondDepth++;
      return;
    }
    seen.add(key);
    const job: Job = { method, url, depth, hops };
    if (body !== undefined) job.body = body;
    if (from !== undefined) job.referer = from.url.href;
    queue.push(job);
    notify();
  };

  const waitForSlot = async (): Promise<void> => {
    if (interval === 0) return;
    const now = performance.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + interval;
    if (at > now) await sleep(at - now, controller.signal);
  };

  const visit = async (job: Job): Promise<void> => {
    await waitForSlot();
    if (stopped) return;
    const headers: Header[] = [
      ['user-agent', USER_AGENT],
      ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
      ['accept-encoding', ACCEPT_ENCODING],
      ...options.headers.filter(([n]) => n !== 'cookie'),
    ];
    const cookies = [userCookie, jar.header(job.url)].filter((c) => c !== undefined).join('; ');
    if (cookies !== '') headers.push(['cookie', cookies]);
    if (job.referer !== undefined) headers.push(['referer', job.referer]);
    if (job.body !== undefined) headers.push(['content-type', 'application/x-www-form-urlencoded']);
    const request = { method: job.method, url: job.url, headers, ...(job.body !== undefined && { body: job.body }) };
    stats.requests++;
    let fetched;
    try {
      fetched = await fetchOnce(request, { maxBytes: options.maxResponseBytes, timeoutMs: options.requestTimeoutMs }, agents, controller.signal);
    } catch (err) {
      if (err instanceof FetchError && err.code === 'E_ABORTED') return;
      stats.errors.push({ url: job.url.href, code: (err as FetchError).code ?? 'E_FETCH', message: (err as Error).message });
      return;
    }
    jar.store(job.url, fetched.headers.filter(([n]) => n === 'set-cookie').map(([, v]) => v));
    if (fetched.truncated) stats.truncated++;
    if (fetched.timedOut) stats.timedOut++;
    const { raw, timedOut: _t, ...head } = fetched;
    const msg: HttpMessage = { request, response: { ...head, body: '' } };
    if (isText(msg)) {
      const plain = inflate(raw, header(head.headers, 'content-encoding'), options.maxResponseBytes);
      msg.response.body = decodeBody(plain.length > options.maxParseBytes ? plain.subarray(0, options.maxParseBytes) : plain, charsetOf(header(head.headers, 'content-type')));
    }
    const links = await analyze(msg);
    for (const l of links) enqueue(l.ref, l.base, job, l.redirect, l.method, l.body);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      if (head === queue.length) {
        if (active === 0) {
          notify();
          return;
        }
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      if (stats.requests >= options.maxPages) {
        stop('pages');
        return;
      }
      const job = queue[head]!;
      queue[head++] = undefined as unknown as Job; // let the job be collected
      active++;
      try {
        await visit(job);
      } finally {
        active--;
        notify();
      }
    }
  };

  enqueue(target.href, target, undefined, false);
  if (options.robots) enqueue('/robots.txt', target, { method: 'GET', url: target, depth: 0, hops: 0 }, false);
  if (options.sitemap) enqueue('/sitemap.xml', target, { method: 'GET', url: target, depth: 0, hops: 0 }, false);
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearTimeout(deadline);
    destroyAgents(agents);
  }
  stats.durationMs = Math.round(performance.now() - started);
  return stats;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
