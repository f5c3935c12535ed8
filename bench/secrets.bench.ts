/**
 * `node bench/secrets.bench.ts`: the secret scanner's throughput (MB/s) on large text files,
 * against one JavaScript pass reading every character of the same text (`charCodeAt` through a
 * 256-entry table: the floor for any scan in JS that looks at every byte), in the same run. Two corpora: source-like text dense in the generic keywords
 * (`password`, `token`, `secret`, `key`, `://`) with a few planted credentials, and the same
 * without keywords. Prints MB/s, the ratio to the baseline and the match count (which must not
 * change between versions of the engine). Not a test: nothing here asserts a time.
 */
import { compileSecretScanner } from '../src/image/secrets/scanner.ts';

const MB = 1024 * 1024;
const SIZE = Number(process.env['BENCH_MB'] ?? 16) * MB;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

/** Deterministic pseudo-random text (xorshift), lines of code-like words. */
function corpus(withKeywords: boolean): string {
  const plain = ['const', 'value', 'return', 'function', 'items', 'for', 'if', 'else', 'result', 'data', 'user', 'name', 'list', 'count', 'index', 'buffer', 'stream', 'error', 'print', 'self', '=', '(', ')', '{', '}', ';', '0', '42', '"hello"', 'map', 'filter'];
  const hot = ['password', 'token', 'secret', 'key', 'api_key', 'auth', 'http://example.com/x', 'private', 'Bearer', 'client_secret', 'access_key', 'sk_', 'xox', 'AKIA'];
  const words = withKeywords ? [...plain, ...plain, ...hot] : plain;
  const planted = ['AWS_ACCESS_KEY_ID=AKIAQYLPMN5HFIQR7XQZ', 'token: ghp_0123456789abcdefghijABCDEFGHIJ012345', 'DATABASE_URL="postgres://app:S3cr3tPassw0rd@db:5432/app"', 'password = "hunter2hunter2"'];
  let x = 0x12345678;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
  const lines: string[] = [];
  let size = 0;
  let n = 0;
  while (size < SIZE) {
    const len = 4 + Math.floor(rnd() * 10);
    const parts: string[] = [];
    for (let i = 0; i < len; i++) parts.push(words[Math.floor(rnd() * words.length)]!);
    const line = withKeywords && ++n % 20000 === 0 ? planted[(n / 20000) % planted.length]! : `    ${parts.join(' ')}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

const TABLE = new Uint8Array(256).map((_, i) => i & 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scanner = compileSecretScanner();
console.log(`bench:secrets, ${ROUNDS} rounds (median), ${scanner.rules.length} rules, Node ${process.version}`);
for (const withKeywords of [true, false]) {
  const text = corpus(withKeywords);
  const base: number[] = [];
  const scan: number[] = [];
  let matches = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let t = process.hrtime.bigint();
    let sum = 0;
    for (let i = 0, n = text.length; i < n; i++) sum = (sum + TABLE[text.charCodeAt(i) & 255]!) | 0;
    base.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (sum === -1) console.log('');
    t = process.hrtime.bigint();
    matches = scanner.scan(text).length;
    scan.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  const mbs = (s: number) => (text.length / MB / s).toFixed(1);
  console.log(`  ${withKeywords ? 'keyword-dense' : 'no keywords  '} ${(text.length / MB).toFixed(0)} MiB: baseline ${mbs(median(base))} MB/s, scanner ${mbs(median(scan))} MB/s, ratio ${(median(scan) / median(base)).toFixed(1)}, ${matches} matches`);
}
