/**
 * The retry policy every registry request follows, reading or writing: up to `retries` attempts
 * with exponential backoff; one `401` answered by authenticating (the challenge's scheme, see
 * registry-auth.ts) and trying again without counting it; `429` and `5xx` retried (after
 * `Retry-After` when the registry names a short one). Network errors and timeouts are retried
 * too. What the final answer means is the caller's to say: each names its request its own way.
 */
import { BosunError } from '../../core/errors.ts';
import type { RegistryAuth } from './registry-auth.ts';

export interface RetryOptions {
  /** Attempts per request (default 4) and the first backoff delay in ms (default 500, doubled each time). */
  retries?: number;
  backoffMs?: number;
  /** The request timeout, named in the error when a request gets no answer (default 60 s). */
  timeoutMs?: number;
}

/** Longest `Retry-After` honoured, in seconds; a registry asking for more gets the backoff instead. */
const MAX_RETRY_AFTER_S = 30;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `attempt()` under the retry policy. Returns the first answer that is not to be retried,
 * or `{ failed }` with the last reason once the attempts are used up. `attempt` is called afresh
 * each time, so it reads the auth header authentication may have just set.
 */
export async function withRetries(auth: RegistryAuth, opts: RetryOptions, attempt: () => Promise<Response>): Promise<{ res: Response } | { failed: string }> {
  const retries = opts.retries ?? 4;
  const backoff = opts.backoffMs ?? 500;
  let authTried = false;
  let lastError = '';
  for (let i = 0; i < retries; i++) {
    if (i > 0) await sleep(backoff * 2 ** (i - 1));
    let res: Response;
    try {
      res = await attempt();
    } catch (err) {
      if (err instanceof BosunError) throw err;
      const cause = (err as { cause?: Error }).cause;
      lastError = (err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? 60_000} ms` : `${(err as Error).message}${cause ? ` (${cause.message})` : ''}`;
      continue;
    }
    if (res.status === 401 && !authTried) {
      authTried = true;
      await res.body?.cancel();
      await auth.authenticate(res.headers.get('www-authenticate') ?? '');
      i--;
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      lastError = `HTTP ${res.status}`;
      const retryAfter = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      if (Number.isFinite(retryAfter) && retryAfter > 0 && retryAfter <= MAX_RETRY_AFTER_S) await sleep(retryAfter * 1000);
      continue;
    }
    return { res };
  }
  return { failed: lastError };
}
