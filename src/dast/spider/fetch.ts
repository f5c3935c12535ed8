/**
 * The spider's HTTP client, on node:http/https rather than fetch because the scan needs what
 * fetch hides: every raw header occurrence, no automatic redirects, a hard cap on the bytes read
 * (the rest of the body is never downloaded) and a deadline for the whole exchange (a slow-drip
 * server cannot hold a worker). TLS certificates are not verified, as ZAP does: the scan observes
 * a site, it does not trust it.
 */
import http from 'node:http';
import https from 'node:https';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import type { DastRequest, DastResponse, Header } from '../message.ts';

export interface FetchLimits {
  /** Body bytes kept; the connection is closed once they are read. */
  maxBytes: number;
  /** Whole exchange, from connect to the last body byte. */
  timeoutMs: number;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(concurrency: number): Agents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
    https: new https.Agent({ keepAlive: true, maxSockets: concurrency, rejectUnauthorized: false }),
  };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/** What came back, plus why the body may be incomplete. */
export interface Fetched extends Omit<DastResponse, 'body'> {
  raw: Buffer;
  timedOut: boolean;
}

/** Thrown when no response head arrived (connection refused, reset, timeout before headers). */
export class FetchError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'FetchError';
    this.code = code;
  }
}

export function fetchOnce(req: DastRequest, limits: FetchLimits, agents: Agents, signal: AbortSignal): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const secure = req.url.protocol === 'https:';
    const headers: Record<string, string> = {};
    for (const [n, v] of req.headers) headers[n] = v;
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const options: https.RequestOptions = { method: req.method, headers, agent: secure ? agents.https : agents.http };
    const client = (secure ? https : http).request(req.url, options);
    let settled = false;
    let finish: ((timedOut: boolean) => void) | undefined;
    const fail = (code: string, message: string): void => {
      if (settled) return;
      settled = true;
      cleanup();
      client.destroy();
      reject(new FetchError(code, message));
    };
    const timer = setTimeout(() => (finish === undefined ? fail('E_TIMEOUT', `no response within ${limits.timeoutMs} ms`) : finish(true)), limits.timeoutMs);
    const onAbort = (): void => (finish === undefined ? fail('E_ABORTED', 'scan stopped') : finish(true));
    signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    client.on('error', (err: NodeJS.ErrnoException) => (finish === undefined ? fail(err.code ?? 'E_FETCH', err.message) : finish(false)));
    client.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      finish = (timedOut) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (timedOut || truncated || !res.complete) res.destroy();
        const body = Buffer.concat(chunks, bytes);
        const headerList: Header[] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headerList.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: headerList,
          raw: body,
          bodyBytes: bytes,
          truncated: truncated || timedOut || !res.complete,
          timedOut,
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = limits.maxBytes - bytes;
        if (chunk.length >= room) {
          chunks.push(chunk.subarray(0, room));
          bytes += room;
          truncated = true;
          finish!(false);
          return;
        }
        chunks.push(chunk);
        bytes += chunk.length;
      });
      res.on('end', () => finish!(false));
      res.on('error', () => finish!(false));
      res.on('close', () => finish!(false));
    });
    if (req.body !== undefined) client.end(req.body);
    else client.end();
  });
}

const decoders = new Map<string, TextDecoder>();

/** A decoder per charset, made once: constructing one costs more than decoding a small page. */
function decoderFor(charset: string): TextDecoder {
  let d = decoders.get(charset);
  if (d === undefined) {
    try {
      d = new TextDecoder(charset);
    } catch {
      d = decoderFor('utf-8'); // an unknown charset is read as UTF-8
    }
    if (decoders.size < 64) decoders.set(charset, d);
  }
  return d;
}

/** Decodes a body with the charset the response declares (UTF-8 by default). */
export function decodeBody(bytes: Buffer, charset: string | undefined): string {
  return decoderFor(charset ?? 'utf-8').decode(bytes);
}

/** What the spider accepts, as a browser does; `inflate` undoes it. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * The decompressed body, tolerating a stream cut at the size bound. A body that would decompress
 * beyond `limit` bytes (a compression bomb) or is corrupt yields nothing; an unknown encoding
 * leaves the bytes as they came.
 */
export function inflate(bytes: Buffer, encoding: string | undefined, limit: number): Buffer {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity' || bytes.length === 0) return bytes;
  try {
    if (e === 'gzip' || e === 'x-gzip') return zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: limit });
    if (e === 'deflate') return zlib.inflateSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: limit });
    if (e === 'br') return zlib.brotliDecompressSync(bytes, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH, maxOutputLength: limit });
  } catch {
    // Broken, or larger than `limit` when decompressed (a compression bomb): nothing to read.
    return Buffer.alloc(0);
  }
  return bytes;
}
