/**
 * Hard-coded credential detection shared by the env and ConfigMap checks. Patterns are data
 * (defaults below, overridable in bosun.yaml `checks.settings`); matching is case-insensitive.
 * A finding says why a value looks like a credential, never the value itself.
 */
import type { CheckContext } from '../types.ts';

/** Names that say "this holds a secret". */
export const DEFAULT_KEY_PATTERNS: readonly string[] = [
  'passw(or)?d', 'passphrase', '[_.-]pwd$', 'secret', 'token', 'api[_.-]?key', 'access[_.-]?key', 'private[_.-]?key',
  'credential', 'auth[_.-]?key', 'bearer', 'signing[_.-]?key', 'encryption[_.-]?key', 'connection[_.-]?string',
];

/** Names that hold a reference or a setting about the secret, not the secret (SECRET_NAME, TOKEN_URL, PASSWORD_FILE …). */
export const DEFAULT_KEY_ALLOW_PATTERNS: readonly string[] = [
  '(file|path|dir|directory|url|uri|endpoint|host|name|ref|id|arn|ttl|expiry|expiration|expires|timeout|seconds|minutes|hours|days|length|size|count|max|min|limit|header|type|enabled|disabled|required|policy|provider|store|method|mode|version|algorithm|prefix|format|location|source|mount)$',
];

/** Values that are references, placeholders or plain settings rather than credentials. */
export const DEFAULT_VALUE_ALLOW_PATTERNS: readonly string[] = [
  '^\\$\\(.+\\)$', '^\\$\\{.+\\}$', '\\{\\{.*\\}\\}', '^<.*>$', '^\\*+$', '^\\d{1,6}$',
  '^(true|false|yes|no|on|off|none|null|nil|enabled|disabled)$',
  '^(/|\\./|file:|vault:|ref\\+|arn:aws:secretsmanager:|projects/[^/]+/secrets/|azurekeyvault:|op://)',
];

/** Value shapes that are credentials whatever the key is called. */
export const DEFAULT_VALUE_PATTERNS: Readonly<Record<string, string>> = {
  'an AWS access key ID': '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b',
  'a private key': '-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----',
  'a GitHub token': '\\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\\b',
  'a Slack token': '\\bxox[abposr]-[A-Za-z0-9-]{10,}',
  'a Google API key': '\\bAIza[0-9A-Za-z_-]{35}\\b',
  'a Stripe secret key': '\\b[sr]k_live_[0-9A-Za-z]{20,}\\b',
  'a JSON Web Token': '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
  'a URL with an embedded password': '[a-z][a-z0-9+.-]*://[^/\\s:@$]+:(?![$<{*])[^/\\s@]+@',
};

export const CREDENTIAL_SETTINGS = {
  credentialKeyPatterns: DEFAULT_KEY_PATTERNS,
  credentialKeyAllowPatterns: DEFAULT_KEY_ALLOW_PATTERNS,
  credentialValueAllowPatterns: DEFAULT_VALUE_ALLOW_PATTERNS,
  credentialValuePatterns: DEFAULT_VALUE_PATTERNS,
};

export interface CredentialRules {
  keys: RegExp[];
  keyAllow: RegExp[];
  valueAllow: RegExp[];
  values: Array<{ name: string; re: RegExp }>;
  /** One alternation of `keys` / of the `values` patterns: most strings match none, and one test says so. */
  anyKey?: RegExp | undefined;
  anyValue?: RegExp | undefined;
}

const unions = new WeakMap<readonly RegExp[], RegExp | null>();

/**
 * The patterns as one case-insensitive alternation (it matches exactly when one of them does),
 * or undefined when they cannot be joined safely (backreferences, named groups).
 */
function union(patterns: readonly RegExp[]): RegExp | undefined {
  let re = unions.get(patterns);
  if (re === undefined) {
    re = null;
    if (patterns.length > 1 && !patterns.some((p) => /\\[1-9k]|\(\?</.test(p.source))) {
      try {
        re = new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), 'i');
      } catch {
        re = null;
      }
    }
    unions.set(patterns, re);
  }
  return re ?? undefined;
}

const compiled = new WeakMap<object, RegExp[]>();

/** Compiled once per settings array; an invalid user pattern is skipped rather than failing the scan. */
function compile(patterns: unknown): RegExp[] {
  if (!Array.isArray(patterns)) return [];
  let out = compiled.get(patterns);
  if (out !== undefined) return out;
  out = patterns.flatMap((p) => {
    if (typeof p !== 'string') return [];
    try {
      return [new RegExp(p, 'i')];
    } catch {
      return [];
    }
  });
  compiled.set(patterns, out);
  return out;
}

const compiledValues = new WeakMap<object, Array<{ name: string; re: RegExp }>>();

function compileNamed(patterns: unknown): Array<{ name: string; re: RegExp }> {
  if (patterns === null || typeof patterns !== 'object') return [];
  let out = compiledValues.get(patterns);
  if (out !== undefined) return out;
  out = Object.entries(patterns).flatMap(([name, p]) => compile([p]).map((re) => ({ name, re })));
  compiledValues.set(patterns, out);
  return out;
}

export function credentialRules(ctx: CheckContext): CredentialRules {
  const keys = compile(ctx.setting('credentialKeyPatterns'));
  const values = compileNamed(ctx.setting('credentialValuePatterns'));
  return {
    keys,
    keyAllow: compile(ctx.setting('credentialKeyAllowPatterns')),
    valueAllow: compile(ctx.setting('credentialValueAllowPatterns')),
    values,
    anyKey: union(keys),
    anyValue: union(valueRegExps(values)),
  };
}

const valueLists = new WeakMap<object, RegExp[]>();

function valueRegExps(values: Array<{ name: string; re: RegExp }>): RegExp[] {
  let list = valueLists.get(values);
  if (list === undefined) valueLists.set(values, (list = values.map((v) => v.re)));
  return list;
}

/** Why the value looks like a credential by its shape alone (private key, AWS key ID …), or undefined. */
export function credentialShape(value: string, rules: CredentialRules): string | undefined {
  if (rules.anyValue !== undefined && !rules.anyValue.test(value)) return undefined;
  const shape = rules.values.find((p) => p.re.test(value));
  return shape === undefined ? undefined : `the value looks like ${shape.name}`;
}

/** Why `value` (stored under `key`) looks like a hard-coded credential, or undefined. */
export function credentialReason(key: string, value: string, rules: CredentialRules): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const shape = credentialShape(v, rules);
  if (shape !== undefined) return shape;
  const named = rules.anyKey !== undefined ? rules.anyKey.test(key) : rules.keys.some((re) => re.test(key));
  if (!named || rules.keyAllow.some((re) => re.test(key))) return undefined;
  if (rules.valueAllow.some((re) => re.test(v))) return undefined;
  return `the name "${key}" says it holds a credential and the value is a literal`;
}

const ASSIGNMENT = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;

/** For multi-line values (config files in a ConfigMap): the first `key: value` / `key=value` line holding a credential. */
export function credentialInText(text: string, rules: CredentialRules): string | undefined {
  for (const line of text.split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (m === null) continue;
    const value = m[2]!.replace(/^["']|["']$/g, '');
    const reason = credentialReason(m[1]!, value, rules);
    if (reason !== undefined) return reason.replace('the name', 'the entry');
  }
  return undefined;
}
