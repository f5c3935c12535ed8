/**
 * Registry authentication shared by the read client (image scan) and the write client (sign,
 * attest): the `WWW-Authenticate` challenge → `Basic` credentials, or a `Bearer` token from the
 * realm (Docker's token spec) fetched with basic credentials or, for an identity token, the
 * OAuth2 refresh-token grant (the token never goes into a URL). Credentials come from the
 * options, else the Docker config (`credHelpers`, `credsStore`, `auths`), looked up once and only
 * when the registry asks: a broken helper need not stop an anonymous pull, and its error is what
 * the user sees if the registry then refuses.
 */
import { BosunError } from '../../core/errors.ts';
import type { ImageReference } from '../reference.ts';
import { dockerConfigCredentials, type Credentials } from './docker-credentials.ts';

/** `Bearer realm="…",service="…",scope="…"` → scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const sp = header.indexOf(' ');
  const scheme = (sp === -1 ? header : header.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(sp + 1).matchAll(/([A-Za-z_]+)="([^"]*)"|([A-Za-z_]+)=([^,\s]+)/g)) {
    params[(m[1] ?? m[3])!.toLowerCase()] = m[2] ?? m[4] ?? '';
  }
  return { scheme, params };
}

export interface RegistryAuthOptions {
  credentials?: Credentials;
  dockerConfig?: string;
  timeoutMs?: number;
  /** `push`: tokens for `pull,push` whatever scope a challenge names. Default `pull`. */
  access?: 'pull' | 'push';
  /** How the user supplies a username and password, for the Basic-challenge error. */
  loginHint?: string;
}

export class RegistryAuth {
  /** The `Authorization` header value once a challenge was answered. */
  header: string | undefined;
  readonly #ref: ImageReference;
  readonly #opts: RegistryAuthOptions;
  readonly #what: string;
  #creds: Credentials | undefined | null = null;
  #credError: BosunError | undefined;

  constructor(ref: ImageReference, opts: RegistryAuthOptions, what: string) {
    this.#ref = ref;
    this.#opts = opts;
    this.#what = what;
  }

  /** Whether credentials were found (for "…, no credentials" in refusals). */
  get hasCredentials(): boolean {
    return this.#creds !== undefined && this.#creds !== null;
  }

  #credentials(): Credentials | undefined {
    if (this.#creds !== null) return this.#creds;
    try {
      this.#creds = this.#opts.credentials ?? dockerConfigCredentials(this.#ref.registry, this.#opts.dockerConfig);
    } catch (err) {
      if (!(err instanceof BosunError)) throw err;
      this.#credError = err;
      this.#creds = undefined;
    }
    return this.#creds;
  }

  /** A refusal: the credential helper's error when one failed, else `message`. */
  refused(message: string): BosunError {
    return this.#credError === undefined ? new BosunError('E_REGISTRY_AUTH', message) : new BosunError('E_REGISTRY_AUTH', `${this.#what}: ${this.#credError.message}`, { cause: this.#credError });
  }

  /** Answers a `WWW-Authenticate` challenge; sets `header`. */
  async authenticate(challenge: string): Promise<void> {
    const { scheme, params } = parseChallenge(challenge);
    const creds = this.#credentials();
    const basic = creds === undefined || creds.identityToken !== undefined ? undefined : `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    if (scheme === 'basic') {
      if (basic === undefined) throw this.refused(`${this.#what}: ${this.#ref.registry} requires a username and password (${this.#opts.loginHint ?? 'docker login'})${creds?.identityToken !== undefined ? '; an identity token works only with token authentication' : ''}`);
      this.header = basic;
      return;
    }
    if (scheme !== 'bearer' || params['realm'] === undefined) throw new BosunError('E_REGISTRY_AUTH', `${this.#what}: unsupported authentication challenge "${challenge.slice(0, 80)}"`);
    const url = new URL(params['realm']);
    const push = this.#opts.access === 'push';
    // Writing needs push as well as pull, whatever scope the challenge of a read named.
    const scope = push ? `repository:${this.#ref.repository}:pull,push` : (params['scope'] ?? `repository:${this.#ref.repository}:pull`);
    const timeout = this.#opts.timeoutMs ?? 60_000;
    let res: Response;
    try {
      if (creds?.identityToken !== undefined) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'bosun', scope });
        if (params['service'] !== undefined) form.set('service', params['service']);
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), signal: AbortSignal.timeout(timeout) });
      } else {
        if (params['service'] !== undefined) url.searchParams.set('service', params['service']);
        url.searchParams.set('scope', scope);
        res = await fetch(url, { headers: basic === undefined ? {} : { authorization: basic }, signal: AbortSignal.timeout(timeout) });
      }
    } catch (err) {
      throw new BosunError('E_REGISTRY_AUTH', `${this.#what}: token service ${url.host} unreachable (${(err as Error).message})`, { cause: err });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw this.refused(`${this.#what}: token service ${url.host} answered HTTP ${res.status}${push ? ' for push access' : ''}`);
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string' || token === '') throw new BosunError('E_REGISTRY_AUTH', `${this.#what}: token service returned no token`);
    this.header = `Bearer ${token}`;
  }
}
