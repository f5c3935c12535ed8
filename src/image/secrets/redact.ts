/**
 * Redaction of what bosun echoes from an image config (ENV, history lines): every value a secret
 * rule matches, and every value of a variable or build argument whose name says secret, becomes
 * `********`. Reports carry the image config, so this runs before anything is rendered.
 */
import type { ImageConfig } from '../types.ts';
import type { SecretScanner } from './scanner.ts';

/** Names that say "secret"; `…_FILE`, `…_PATH`, `…_URL` and friends hold references, not secrets. */
export const SECRET_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:_|$)/i;
export const NOT_SECRET = /_(?:FILE|PATH|DIR|URL|ENABLED|HOST|PORT|USER(?:NAME)?)$/i;

export const MASK = '********';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** Masks secret-rule matches and `NAME=value` pairs with secret names inside free text. */
export function redactText(text: string, scanner: SecretScanner): string {
  let out = text.replace(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g, (m, name: string) => (isSecretName(name) ? `${name}=${MASK}` : m));
  for (const rule of scanner.rules) {
    const re = new RegExp(rule.regex.source, rule.regex.flags.includes('g') ? rule.regex.flags : `${rule.regex.flags}g`);
    out = out.replace(re, (...args: unknown[]) => {
      const whole = args[0] as string;
      const secret = rule.group === undefined ? whole : ((args[rule.group] as string | undefined) ?? whole);
      return whole.replace(secret, MASK);
    });
  }
  return out;
}

export function redactEnv(env: string[], scanner: SecretScanner): string[] {
  return env.map((e) => {
    const eq = e.indexOf('=');
    if (eq <= 0) return e;
    const name = e.slice(0, eq);
    if (isSecretName(name) || scanner.scan(e).length > 0) return `${name}=${MASK}`;
    return e;
  });
}

export function redactConfig(config: NonNullable<ImageConfig['config']>, scanner: SecretScanner): NonNullable<ImageConfig['config']> {
  const out = { ...config };
  if (config.Env !== undefined) out.Env = redactEnv(config.Env, scanner);
  for (const key of ['Entrypoint', 'Cmd'] as const) {
    const v = config[key];
    if (Array.isArray(v)) out[key] = v.map((a) => redactText(a, scanner));
  }
  if (config.Healthcheck?.Test !== undefined) out.Healthcheck = { ...config.Healthcheck, Test: config.Healthcheck.Test.map((a) => redactText(a, scanner)) };
  return out;
}
