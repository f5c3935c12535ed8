/**
 * Plain YAML scalars as Kubernetes reads them. kubectl and the API server convert YAML with
 * sigs.k8s.io/yaml, whose scalars are YAML 1.1 as go-yaml v2 resolves them (its resolve.go):
 * `y`/`yes`/`on` (three spellings each) are true and `n`/`no`/`off` false, `0755` is octal, `0b101`
 * binary, `1_000` is 1000, `08` is the float 8, and a number out of range stays a string.
 * Read as YAML 1.2 (js-yaml's core schema) `privileged: on` was the string "on": a privileged
 * container bosun did not see. Quoted scalars are strings in both. Timestamps stay strings (the
 * JSON Kubernetes makes of them is their text). test/manifests/yaml-kubernetes.test.ts compares
 * every form with Kubernetes' own conversion.
 */
import jsyaml from 'js-yaml';

const BOOLS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
/** First characters of those words (most scalars are neither: one array read rules them out). */
const BOOL_START = startTable('yYnNtTfFoO');
const NULL_START = startTable('~nN');

function startTable(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
/** go-yaml's yamlStyleFloat, tried on the scalar without underscores when it is no integer. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseFloat of a scalar that starts with `.` (the only forms it accepts there). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt/ParseUint with base 0: sign, then 0x/0o/0b/0 prefixes or decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;

/** The number go-yaml makes of a plain scalar, or undefined when it stays a string (or is bool/null). */
function goNumber(s: string): number | undefined {
  // js-yaml asks twice (resolve, then construct): the answer for the last scalar is kept
  if (s === lastScalar) return lastNumber;
  lastScalar = s;
  return (lastNumber = smallDecimal(s) ?? parseGoNumber(s));
}
let lastScalar: string | undefined;
let lastNumber: number | undefined;

/** The usual case (ports, replicas, IDs): up to 15 decimal digits without a leading zero, or 0. */
function smallDecimal(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 15) return undefined;
  const first = s.charCodeAt(0);
  if (first < 49 || first > 57) return s === '0' ? 0 : undefined;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(s);
}

function parseGoNumber(s: string): number | undefined {
  const c = s.charCodeAt(0);
  if (c === 46 /* . */) {
    const special = SPECIAL_FLOATS.get(s);
    if (special !== undefined) return special;
    return DOT_FLOAT.test(s) ? finite(Number(s)) : undefined;
  }
  const sign = c === 43 /* + */ || c === 45; /* - */
  if (!sign && !(c >= 48 && c <= 57)) return undefined;
  if (sign) {
    const special = SPECIAL_FLOATS.get(s);
    if (special !== undefined) return special;
  }
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const m = GO_INT.exec(plain);
  // (digits beyond 64 bits cannot be int64/uint64; BigInt of a megabyte of digits would take seconds)
  if (m !== null && significantDigits(m) <= MAX_DIGITS[m.findIndex((g, i) => i >= 2 && g !== undefined)]!) {
    const [, minus, hex, oct, bin, zeroOct, dec] = m;
    const digits = hex !== undefined ? `0x${hex}` : oct !== undefined ? `0o${oct}` : bin !== undefined ? `0b${bin}` : zeroOct !== undefined ? (zeroOct === '' ? '0' : `0o${zeroOct}`) : dec!;
    let n = BigInt(digits);
    if (minus === '-') n = -n;
    // ParseInt within int64, else ParseUint (no sign) within uint64
    if (n >= INT64_MIN && n <= UINT64_MAX && (n < 2n ** 63n || minus === '')) return Number(n);
  }
  return YAML_STYLE_FLOAT.test(plain) ? finite(Number(plain)) : undefined;
}

/** Most digits a 64-bit number has, by GO_INT group: hex, 0o octal, binary, 0-octal, decimal. */
const MAX_DIGITS: Record<number, number> = { 2: 16, 3: 22, 4: 64, 5: 22, 6: 20 };

/** The digits of GO_INT's matched group, without leading zeros. */
function significantDigits(m: RegExpExecArray): number {
  const digits = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  return digits.length - i;
}

/** ParseFloat fails (range error) where the value is infinite: the scalar then stays a string. */
function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || data === '' || (NULL_START[data.charCodeAt(0)] === 1 && NULLS.has(data)),
  construct: () => null,
  predicate: (v: unknown) => v === null,
  represent: { canonical: () => '~', lowercase: () => 'null' },
  defaultStyle: 'lowercase',
});

const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && BOOL_START[data.charCodeAt(0)] === 1 && BOOLS.has(data),
  construct: (data: string) => BOOLS.get(data)!,
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: { lowercase: (v: unknown) => (v ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

// One type for go-yaml's ints and floats: which one a scalar is matters only to Go, JSON has numbers.
const numberType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && goNumber(data) !== undefined,
  construct: (data: string) => goNumber(data)!,
  predicate: (v: unknown) => typeof v === 'number',
  represent: { decimal: (v: unknown) => String(v) },
  defaultStyle: 'decimal',
});

// `!!float 1` is a float in go-yaml, as an int would be: the same number.
const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && goNumber(data) !== undefined,
  construct: (data: string) => goNumber(data)!,
});

const mergeType = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;

/** The schema manifests are parsed with: strings, sequences and mappings, and Kubernetes' scalars. */
export const KUBERNETES_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, numberType, mergeType], explicit: [floatType] });
