/** The joined credential patterns decide exactly as the patterns one by one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_SETTINGS, credentialReason, credentialRules, type CredentialRules } from '../../src/checks/access/credentials.ts';
import type { CheckContext } from '../../src/checks/types.ts';

const rulesFor = (settings: Record<string, unknown>): CredentialRules => credentialRules({ setting: (name: string) => settings[name] } as unknown as CheckContext);

const SAMPLES: Array<[string, string]> = [
  ['LOG_LEVEL', 'info'], ['DB_PASSWORD', 'hunter2'], ['DB_PASSWORD', '$(DB_PASSWORD)'], ['api_key', 'abc'], ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
  ['x', '-----BEGIN RSA PRIVATE KEY-----'], ['url', 'postgres://user:s3cret@db:5432/app'], ['TOKEN', ''], ['GITHUB', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz'],
  ['secret_name', 'my-secret'], ['PASSWORD_FILE', '/run/secrets/pw'], ['auth', 'Bearer abcdefghijklmnop'], ['Slack', 'xoxb-123-456-abc'],
];

test('credential checks: the joined patterns give the same reasons as the patterns one by one', () => {
  const rules = rulesFor(CREDENTIAL_SETTINGS);
  assert.ok(rules.anyKey !== undefined && rules.anyValue !== undefined, 'default patterns are joined');
  const oneByOne: CredentialRules = { ...rules, anyKey: undefined, anyValue: undefined };
  let found = 0;
  for (const [key, value] of SAMPLES) {
    const reason = credentialReason(key, value, rules);
    assert.equal(reason, credentialReason(key, value, oneByOne), `${key}=${value}`);
    if (reason !== undefined) found++;
  }
  assert.ok(found >= 4 && found < SAMPLES.length, `${found} credentials found`);
});

test('credential checks: user patterns with backreferences are not joined and still apply', () => {
  const rules = rulesFor({ ...CREDENTIAL_SETTINGS, credentialValuePatterns: { 'a doubled word': '\\b(\\w+) \\1\\b', 'a PIN': '^pin-\\d{4}$' } });
  assert.equal(rules.anyValue, undefined);
  assert.equal(credentialReason('note', 'hello hello', rules), 'the value looks like a doubled word');
  assert.equal(credentialReason('note', 'pin-1234', rules), 'the value looks like a PIN');
  assert.equal(credentialReason('note', 'hello world', rules), undefined);
});
