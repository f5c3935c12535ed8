/**
 * Registry credentials from a Docker config.json, resolved as the docker CLI does: a registry
 * listed in `credHelpers` asks that helper; else `credsStore`, when set, asks the store's helper
 * (falling back to `auths` when the helper knows no credentials); else `auths` (base64
 * `user:pass`, or `username`/`password`).
 *
 * A helper is the program `docker-credential-<name>` on PATH (docker-credential-helpers protocol):
 * `get` with the server URL on stdin prints `{"ServerURL","Username","Secret"}`; a username of
 * `<token>` means Secret is an identity token (an OAuth2 refresh token) rather than a password.
 * "credentials not found" on stdout means the helper holds nothing for that server. A helper's
 * failure is one line naming the helper; its output is never repeated once it may hold a secret.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import { DOCKER_HUB } from '../reference.ts';

export interface Credentials {
  username: string;
  password: string;
  /** Set instead of a password when a helper returned an identity (refresh) token. */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
/** What the docker CLI stores Docker Hub credentials under (and asks helpers for). */
const HUB_SERVER = 'https://index.docker.io/v1/';
const HELPER_TIMEOUT_MS = 30_000;
const NOT_FOUND = /credentials not found/i;

export function defaultDockerConfigPath(): string {
  return join(process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json');
}

function configKeys(registry: string): string[] {
  return registry === DOCKER_HUB ? HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

function fromAuths(json: DockerConfig, registry: string): Credentials | undefined {
  for (const k of configKeys(registry)) {
    const e = json.auths?.[k];
    if (e === undefined || e === null || typeof e !== 'object') continue;
    if (typeof e.identitytoken === 'string' && e.identitytoken !== '') return { username: '', password: '', identityToken: e.identitytoken };
    if (typeof e.auth === 'string' && e.auth !== '') {
      const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof e.username === 'string' && typeof e.password === 'string') return { username: e.username, password: e.password };
  }
  return undefined;
}

function helperFor(json: DockerConfig, registry: string): string | undefined {
  const helpers = json.credHelpers ?? {};
  for (const k of configKeys(registry)) {
    const h = helpers[k];
    if (typeof h === 'string' && h !== '') return h;
  }
  return typeof json.credsStore === 'string' && json.credsStore !== '' ? json.credsStore : undefined;
}

/**
 * Runs `docker-credential-<helper> get` for `registry`. Undefined when the helper holds nothing
 * for it; a BosunError naming the helper when it cannot be run or answers nonsense.
 */
export function credentialsFromHelper(helper: string, registry: string, configPath: string): Credentials | undefined {
  const program = `docker-credential-${helper}`;
  const where = `docker config ${configPath}: credential helper ${program}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(helper)) throw new BosunError('E_REGISTRY_AUTH', `docker config ${configPath}: credential helper name "${helper.slice(0, 60)}" is not a plain name`);
  const server = registry === DOCKER_HUB ? HUB_SERVER : registry;
  const r = spawnSync(program, ['get'], { input: server, encoding: 'utf8', timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BosunError('E_REGISTRY_AUTH', `${where} not found on PATH`);
    if (code === 'ETIMEDOUT') throw new BosunError('E_REGISTRY_AUTH', `${where} gave no answer within ${HELPER_TIMEOUT_MS / 1000} s`);
    throw new BosunError('E_REGISTRY_AUTH', `${where} could not run (${code ?? r.error.message})`);
  }
  if (r.status !== 0) {
    // On failure helpers print their reason (not a credential) on stdout; keep one short line.
    const said = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
    if (NOT_FOUND.test(said)) return undefined;
    const reason = said === '' ? `exit status ${r.status ?? r.signal}` : said.slice(0, 160);
    throw new BosunError('E_REGISTRY_AUTH', `${where} failed for ${server}: ${reason}`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(r.stdout) as typeof answer;
  } catch {
    throw new BosunError('E_REGISTRY_AUTH', `${where} answered ${server} with something that is not JSON`);
  }
  if (answer === null || typeof answer !== 'object' || typeof answer.Secret !== 'string' || typeof answer.Username !== 'string') {
    throw new BosunError('E_REGISTRY_AUTH', `${where} answered ${server} without a Username and Secret`);
  }
  if (answer.Secret === '') return undefined;
  if (answer.Username === '<token>') return { username: '', password: '', identityToken: answer.Secret };
  return { username: answer.Username, password: answer.Secret };
}

/** Credentials for `registry` from the Docker config at `file` (default: the docker CLI's). */
export function dockerConfigCredentials(registry: string, file?: string): Credentials | undefined {
  const path = file ?? defaultDockerConfigPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // no Docker config: anonymous
  }
  let json: DockerConfig;
  try {
    json = JSON.parse(text) as DockerConfig;
  } catch {
    // As the docker CLI: a broken config is an error naming it (reported if the registry then refuses).
    throw new BosunError('E_REGISTRY_AUTH', `${path}: the Docker config is not valid JSON`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new BosunError('E_REGISTRY_AUTH', `${path}: the Docker config is not a JSON object`);
  const helper = helperFor(json, registry);
  if (helper !== undefined) {
    const fromHelper = credentialsFromHelper(helper, registry, path);
    if (fromHelper !== undefined) return fromHelper;
  }
  return fromAuths(json, registry);
}
