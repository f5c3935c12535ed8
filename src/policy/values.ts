/**
 * Conversions between plain data (JSON/YAML as Kubernetes decodes it) and CEL values as
 * @marcbachmann/cel-js represents them: int = bigint, uint = UnsignedInt, double = number,
 * bytes = Uint8Array, list = Array, map = Map or plain object, null_type = null.
 */
import { Optional } from '@marcbachmann/cel-js';

/**
 * Unstructured Kubernetes data into CEL: integral numbers become int (bigint), others double,
 * as the API server's unstructured conversion does. Objects stay plain (cel-js reads them as maps).
 * The input is never modified: a list or object holding nothing to convert is returned as it is
 * (shared), so only the paths to numbers (and Dates) are copied.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? celInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return listToCel(value);
  if (value instanceof Date) return value.toISOString();
  return objectToCel(value as Record<string, unknown>);
}

/* Small ints (ports, IDs, counts) as shared bigints: converting an object then allocates almost no numbers. */
const SMALL_INTS = new Array<bigint | undefined>(65536 + 1024);

export function celInt(n: number): bigint {
  if (n >= -1024 && n < 65536) return (SMALL_INTS[n + 1024] ??= BigInt(n));
  return BigInt(n);
}

function listToCel(list: unknown[]): unknown[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x === null || (typeof x !== 'object' && typeof x !== 'number')) continue;
    const c = toCel(x);
    if (c === x) continue;
    const out = list.slice();
    out[i] = c;
    for (let j = i + 1; j < list.length; j++) out[j] = toCel(list[j]);
    return out;
  }
  return list;
}

function objectToCel(src: Record<string, unknown>): Record<string, unknown> | Map<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in src) {
    if (!Object.hasOwn(src, k)) continue;
    if (k === 'constructor') return objectToMap(src);
    const x = src[k];
    if (x === null || (typeof x !== 'object' && typeof x !== 'number')) continue;
    const c = toCel(x);
    if (c === x) continue;
    out ??= { ...src };
    if (k === '__proto__') Object.defineProperty(out, k, { value: c, writable: true, enumerable: true, configurable: true });
    else out[k] = c;
  }
  return out ?? src;
}

/**
 * An object with its own `constructor` key (a label, an annotation, a ConfigMap key, any field a
 * manifest may carry) as a Map: cel-js tells a value's type by `value.constructor`, so as a plain
 * object it would be an unsupported type (an error on every read) or, behind `.?`, no map at all
 * (`.?securityContext.?privileged` empty on a privileged container: a check passed).
 */
function objectToMap(src: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const k of Object.keys(src)) out.set(k, toCel(src[k]));
  return out;
}

/**
 * Parses JSON keeping the integer/double distinction: an integer literal becomes bigint
 * (64-bit exact), anything with a fraction or exponent a double.
 */
export function parseJsonForCel(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source);
    }
    return value;
  } as (key: string, value: unknown) => unknown);
}

/** A CEL value as JSON-compatible data (for printing): int/uint as numbers when safe, else strings. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  }
  if (value instanceof Optional) return value.hasValue() ? { optional: fromCel(value.value()) } : { optional: null };
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Set) return [...value].map(fromCel);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(fromCel(k))] = fromCel(v);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    const valueOf = (value as { valueOf(): unknown }).valueOf();
    if (typeof valueOf === 'bigint') return fromCel(valueOf);
    return String(value);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromCel(v);
  return out;
}
