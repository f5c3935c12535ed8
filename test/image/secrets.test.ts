import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { scanImage } from '../../src/image/scan.ts';
import { compileKeywords, MAX_ANCHOR_HITS } from '../../src/image/secrets/keywords.ts';
import { anchorsOf, ruleAnchors } from '../../src/image/secrets/anchors.ts';
import { compileSecretScanner, looksBinary } from '../../src/image/secrets/scanner.ts';
import { BUILTIN_SECRET_RULES } from '../../src/image/secrets/rules.ts';
import { redactEnv, redactText } from '../../src/image/secrets/redact.ts';
import { makeTar, writeLayout } from './fixtures.ts';

const scanner = compileSecretScanner();
const ids = (text: string) => scanner.scan(text).map((m) => m.ruleId);

// Fake credentials in each vendor's published format (random characters, never real).
const SAMPLES: [string, string][] = [
  ['aws-access-key-id', 'key = AKIAQYLPMN5HFIQR7XQZ'],
  ['aws-secret-access-key', 'aws_secret_access_key = "Vf7Q2mN0xR4pL8sT1uW6yZ3bC5dE9gH2jK4mN7pQ"'],
  ['github-pat', 'token: ghp_0123456789abcdefghijABCDEFGHIJ012345'],
  ['github-fine-grained-pat', `github_pat_${'A'.repeat(22)}_${'b'.repeat(59)}`],
  ['gitlab-pat', 'GITLAB=glpat-abcdefghij0123456789'],
  ['slack-access-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['slack-web-hook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  ['stripe-secret-token', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`],
  ['npm-access-token', 'npm_abcdefghijABCDEFGHIJ0123456789abcdef'],
  ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----'],
  ['jwt-token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['gcp-service-account', '{"type": "service_account", "project_id": "x"}'],
  ['hugging-face-access-token', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH'],
  ['dockerconfig-secret', '{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZA=="}}}'],
  ['database-url-password', 'DATABASE_URL=postgres://app:S3cr3tPassw0rd@db:5432/app'],
  ['age-secret-key', `AGE-SECRET-KEY-1${'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.repeat(2).slice(0, 58)}`],
  ['sendgrid-api-token', `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`],
  ['pypi-upload-token', `pypi-AgEIcHlwaS5vcmc${'x'.repeat(60)}`],
  ['openai-project-api-key', `sk-proj-${'a'.repeat(50)}T3BlbkFJ${'b'.repeat(30)}`],
  ['azure-storage-account-key', `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${'A'.repeat(86)}==;`],
];

describe('secret rules', () => {
  test('at least 100 built-in rules, unique IDs, every rule has a keyword', () => {
    assert.ok(BUILTIN_SECRET_RULES.length >= 100, String(BUILTIN_SECRET_RULES.length));
    assert.equal(new Set(BUILTIN_SECRET_RULES.map((r) => r.id)).size, BUILTIN_SECRET_RULES.length);
    for (const r of BUILTIN_SECRET_RULES) assert.ok(r.keywords.length > 0, r.id);
  });

  for (const [id, text] of SAMPLES) {
    test(`${id} is found and its value never appears in the match`, () => {
      const matches = scanner.scan(`# config\n${text}\n`);
      assert.ok(matches.some((m) => m.ruleId === id), `${id} not in ${matches.map((m) => m.ruleId).join(',')}`);
      for (const m of matches) {
        assert.equal(m.line >= 2, true);
        assert.ok(!JSON.stringify(m).includes(text.length > 30 ? text.slice(-20) : '\u0000'), `${id}: value leaked: ${m.snippet}`);
      }
    });
  }

  test('line, column and the masked snippet', () => {
    const [m] = scanner.scan('a=1\n  token = "ghp_0123456789abcdefghijABCDEFGHIJ012345" # ci\n');
    assert.deepEqual({ ...m, secretHash: undefined }, { ruleId: 'github-pat', title: 'GitHub Personal Access Token', severity: 'critical', category: 'GitHub', line: 2, column: 12, snippet: '  token = "****************************************" # ci', secretHash: undefined });
  });

  test('ordinary text is clean; keywords alone do not match', () => {
    assert.deepEqual(ids('password reset instructions\nAKIA is the prefix of AWS key IDs\nghp_ tokens are GitHub PATs\n'), []);
    assert.deepEqual(ids('url = postgres://db:5432/app\n'), []);
  });

  test('custom rules and disabled built-ins from bosun.yaml', () => {
    const s = compileSecretScanner({ disable: ['github-*'], rules: [{ id: 'acme-key', title: 'ACME key', severity: 'high', regex: 'acme_([a-z0-9]{16})', keywords: ['acme_'] }] });
    assert.deepEqual(s.scan('ghp_0123456789abcdefghijABCDEFGHIJ012345 acme_0123456789abcdef').map((m) => `${m.ruleId}:${m.column}:${m.snippet}`), ['acme-key:47:ghp_0123456789abcdefghijABCDEFGHIJ012345 acme_****************']);
  });

  test('allow paths and binary detection', () => {
    assert.equal(scanner.allowed('usr/share/doc/x/README'), true);
    assert.equal(scanner.allowed('app/tests/fixtures/key.pem'), true);
    assert.equal(scanner.allowed('usr/lib/python3.11/site-packages/x/conf.py'), true);
    assert.equal(scanner.allowed('srv/app/node_modules/lib/test-key.js'), true);
    assert.equal(scanner.allowed('srv/app/config/settings.py'), false);
    assert.equal(scanner.allowed('srv/app/.env'), false);
    assert.equal(looksBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1])), true);
  });

  test('redaction of ENV and history lines', () => {
    assert.deepEqual(redactEnv(['PATH=/bin', 'DB_PASSWORD=hunter2hunter2', 'X=ghp_0123456789abcdefghijABCDEFGHIJ012345', 'TOKEN_FILE=/run/secrets/t'], scanner), ['PATH=/bin', 'DB_PASSWORD=********', 'X=********', 'TOKEN_FILE=/run/secrets/t']);
    assert.equal(redactText('|2 API_KEY=abc123 VERSION=1 /bin/sh -c curl -H "x: ghp_0123456789abcdefghijABCDEFGHIJ012345"', scanner), '|2 API_KEY=******** VERSION=1 /bin/sh -c curl -H "x: ********"');
  });
});

describe('secrets in image layers', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-secrets-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('a secret deleted by a later layer is reported with the layer that added it; config ENV and history too; nothing leaks into JSON', async () => {
    const dir = join(tmp, 'img');
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    writeLayout(
      dir,
      [
        makeTar([{ name: 'app/.npmrc', body: `//registry.npmjs.org/:_authToken=npm_abcdefghijABCDEFGHIJ0123456789abcdef\n` }, { name: 'usr/share/doc/x/copyright', body: token }]),
        makeTar([{ name: 'app/.wh..npmrc', body: '' }, { name: 'app/bin/tool', body: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(token)]) }]),
      ],
      { config: { config: { Env: [`GITHUB_TOKEN=${token}`, 'PATH=/bin'], User: '1000' }, history: [{ created_by: 'COPY . /app' }, { created_by: `|1 NPM_TOKEN=${token} /bin/sh -c npm ci` }] } },
    );
    const r = await scanImage(`oci-layout:${dir}:t`, { config: false, scanners: ['secret'] });
    const l1 = r.image.layers[0]!.diffId;
    assert.deepEqual(
      r.findings.map((f) => [f.ruleId, f.severity, f.fieldPath ?? '', f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '', f.target.type === 'image' ? (f.target.layer === l1 ? 'layer1' : f.target.layer ?? '') : '']),
      [
        ['secret/github-pat', 'critical', 'config.Env[0]', '', ''],
        ['secret/github-pat', 'critical', 'history[1].created_by', '', ''],
        ['secret/npm-access-token', 'critical', '', 'app/.npmrc:1:34', 'layer1'],
        ['secret/npmrc-auth-token', 'high', '', 'app/.npmrc:1:34', 'layer1'],
      ],
    );
    const json = JSON.stringify(r);
    assert.ok(!json.includes(token), 'token leaked into the report');
    assert.ok(!json.includes('npm_abcdefghij'), 'npm token leaked into the report');
    assert.deepEqual(r.image.config?.Env, ['GITHUB_TOKEN=********', 'PATH=/bin']);
  });
});

describe('keyword pre-filter', () => {
  const found = (keywords: string[], text: string) => [...compileKeywords(keywords).find(text).seen].map((i) => compileKeywords(keywords).keywords[i]).sort();
  test('every occurrence counts: overlapping, nested, ASCII case-insensitive', () => {
    assert.deepEqual(found(['ab', 'bc', 'abcd', 'x'], 'zzABCz'), ['ab', 'bc']);
    assert.deepEqual(found(['sk', 'sk_live_', 'live'], 'key=SK_LIVE_123'), ['live', 'sk', 'sk_live_']);
    assert.deepEqual(found(['she', 'he', 'hers'], 'ushers'), ['he', 'hers', 'she']);
    assert.deepEqual(found(['akia'], 'no match here'), []);
    assert.deepEqual(found([], 'anything'), []);
  });
  test('characters beyond ASCII match only themselves', () => {
    assert.deepEqual(found(['clé'], 'CLÉ clé'), ['clé']);
    assert.deepEqual(found(['clé'], 'CLÉ'), []);
    assert.deepEqual(found(['ключ'], 'x ключ y'), ['ключ']);
    assert.deepEqual(found(['k'], '\u212a'), []);
  });
  test('the scanner finds a rule whose keyword only overlaps another keyword match', () => {
    const s = compileSecretScanner({ disable: ['*'], rules: [{ id: 'overlap', title: 'Overlap', severity: 'low', regex: 'bcd_([0-9]{6})', keywords: ['bcd_'] }, { id: 'other', title: 'Other', severity: 'low', regex: 'zzz', keywords: ['abc'] }] });
    assert.deepEqual(s.scan('xabcd_123456').map((m) => m.ruleId), ['overlap']);
  });
});

describe('anchored rule evaluation', () => {
  test('anchors are read conservatively from the regex source', () => {
    const a = (src: string) => anchorsOf(src)?.map((x) => `${x.literal}+${x.back}`);
    assert.deepEqual(a('(ghp_[0-9a-zA-Z]{36})'), ['ghp_+0']);
    assert.deepEqual(a('foo[0-9]+|bar'), ['foo+0', 'bar+0']);
    assert.deepEqual(a('(?<![A-Z0-9])((?:A3T[A-Z0-9]|AKIA)[A-Z2-7]{16})'), ['A3T+0', 'AKIA+0']);
    assert.deepEqual(a('\\b(?:postgres(?:ql)?|amqps?)://'), ['postgres+0', 'amqp+0']);
    assert.deepEqual(a('aws_?secret'), ['aws+0']);
    assert.deepEqual(a('abc+d'), ['abc+0']);
    assert.deepEqual(a('ab{2,3}x'), ['ab+0']);
    assert.deepEqual(a('https:\\/\\/x'), ['https://x+0']);
    assert.deepEqual(a('(?<name>tok_)[a-z]+'), ['tok_+0']);
    // Bounded prefixes: the literal lies at most `back` characters into the match.
    assert.deepEqual(a('(?:^|[\\s"])(?:db_|database_)?pass(?:word|wd)'), ['pass+10']);
    assert.deepEqual(a('[a-f0-9]{32}-us\\d'), ['-us+32']);
    assert.deepEqual(a('(?:abc)?def'), ['def+3']);
    assert.deepEqual(a('a?bc'), ['bc+1']);
    assert.deepEqual(a('.abc'), ['abc+1']);
    assert.deepEqual(a('x|[ab]cd'), undefined);
    assert.deepEqual(a('x[ab]cd|yz'), ['cd+2', 'yz+0']);
    for (const unanchored of ['[a-f0-9]+-us', 'A{22}x', 'x|[ab]c', '(?:ab|)c', '(?i:abc)', '\\1abc', '(?=x)(?:y)*z', '[a-z]{65}xyz', 'a.*bc', '[0-9]']) {
      assert.equal(anchorsOf(unanchored), undefined, unanchored);
    }
    assert.deepEqual(ruleAnchors(/(?:Foo|bar)x/i), [{ literal: 'foo', back: 0 }, { literal: 'bar', back: 0 }]);
    assert.equal(ruleAnchors(/clé_[0-9]+/i), undefined);
    assert.deepEqual(ruleAnchors(/clé_[0-9]+/), [{ literal: 'clé_', back: 0 }]);
    assert.equal(ruleAnchors(/abc/iu), undefined);
    assert.ok(BUILTIN_SECRET_RULES.filter((r) => ruleAnchors(r.regex) !== undefined).length >= 145);
  });

  test('an anchor too frequent to list falls back to the whole-text run', () => {
    const text = `${'ghp_ '.repeat(MAX_ANCHOR_HITS + 10)}\ntoken = ghp_0123456789abcdefghijABCDEFGHIJ012345\n`;
    assert.equal(compileKeywords([], ['ghp_']).find(text).starts[0], undefined);
    assert.deepEqual(scanner.scan(text).map((m) => `${m.ruleId} ${m.line}:${m.column}`), ['github-pat 2:9']);
  });

  test('the same matches as every rule run over the whole text (generated texts)', () => {
    let x = 0x9e3779b9;
    const rnd = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const alphabet = 'abcdefABCDEF0123456789xyzXYZ_-.=:"\' \n/+~$@';
    const pieces = [...SAMPLES.map(([, t]) => t), ...BUILTIN_SECRET_RULES.flatMap((r) => [...r.keywords, ...(ruleAnchors(r.regex) ?? []).map((x) => x.literal)])];
    const reference = (text: string) => {
      const lower = text.toLowerCase();
      const out: string[] = [];
      for (const r of BUILTIN_SECRET_RULES) {
        if (!r.keywords.some((k) => lower.includes(k))) continue;
        const re = new RegExp(r.regex.source, `${r.regex.flags}g`);
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          if (m[0].length === 0) {
            re.lastIndex++;
            continue;
          }
          const secret = m[r.group ?? 0] ?? m[0];
          const start = m.index + ((r.group ?? 0) === 0 ? 0 : m[0].indexOf(secret));
          const before = text.slice(0, start);
          out.push(`${r.id} ${before.split('\n').length}:${start - before.lastIndexOf('\n')}`);
        }
      }
      return out.sort();
    };
    // Density 0: anchored attempts however many candidates there are (the default switches to one scan).
    const anchoredOnly = compileSecretScanner({}, { anchorDensity: 0 });
    let matched = 0;
    for (let t = 0; t < 1500; t++) {
      let text = '';
      while (text.length < 600) {
        const roll = rnd(4);
        if (roll === 0) text += pieces[rnd(pieces.length)]!;
        else if (roll === 1) for (let i = rnd(60); i > 0; i--) text += alphabet[rnd(alphabet.length)]!;
        else if (roll === 2) text += [' = "', ': ', '\n', ' password="', '0123456789abcdef0123456789abcdef'][rnd(5)]!;
        else for (let i = 20 + rnd(60); i > 0; i--) text += 'aB3xQ9_-'[rnd(8)]!;
      }
      const want = reference(text);
      assert.deepEqual(anchoredOnly.scan(text).map((m) => `${m.ruleId} ${m.line}:${m.column}`).sort(), want, text);
      assert.deepEqual(scanner.scan(text).map((m) => `${m.ruleId} ${m.line}:${m.column}`).sort(), want, text);
      matched += want.length;
    }
    assert.ok(matched > 400, `only ${matched} matches: the generator does not exercise the rules`);
  });
});

