/** Helpers shared by the Kubernetes CEL libraries: namespaces, CEL equality and ordering. */
import type { Environment } from '@marcbachmann/cel-js';

/** Registers `name` as a namespace object so `name.fn(...)` resolves as cel-go's qualified functions do. */
export function registerNamespace(env: Environment, name: string): string {
  const typeName = `${name[0]!.toUpperCase()}${name.slice(1)}Namespace`;
  const ctor = { [typeName]: class {} }[typeName]!;
  env.registerType(typeName, ctor);
  env.registerConstant(name, typeName, new ctor());
  return typeName;
}

/** Equality of optionals of any element types (cel-js has none for optional<A> == optional<B>). */
export function registerOptionalEquality(env: Environment): void {
  env.registerOperator('optional == optional', ((a: { hasValue(): boolean; value(): unknown }, b: { hasValue(): boolean; value(): unknown }) =>
    a.hasValue() === b.hasValue() && (!a.hasValue() || celEquals(a.value(), b.value()))) as never);
}

export function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && v.constructor?.name === 'UnsignedInt') return (v as { valueOf(): bigint }).valueOf();
  return undefined;
}

function entriesOf(v: object): Array<[unknown, unknown]> | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (Array.isArray(v) || v instanceof Uint8Array || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  return Object.entries(v);
}

/** CEL heterogeneous equality: numbers compare by value across int/uint/double; aggregates deeply. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    if (typeof na === 'bigint' && typeof nb === 'bigint') return na === nb;
    return Number(na) === Number(nb);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  const ea = entriesOf(a);
  const eb = entriesOf(b);
  if (ea !== undefined && eb !== undefined) {
    if (ea.length !== eb.length) return false;
    return ea.every(([k, v]) => eb.some(([k2, v2]) => celEquals(k, k2) && celEquals(v, v2)));
  }
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function') return a.constructor === b.constructor && eq.call(a, b);
  return false;
}

/** CEL ordering for comparable values (numbers across types, strings, bools, bytes, timestamps). */
export function celCompare(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) {
    if (typeof na === 'bigint' && typeof nb === 'bigint') return na < nb ? -1 : na > nb ? 1 : 0;
    return Number(na) < Number(nb) ? -1 : Number(na) > Number(nb) ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return compareCodePoints(a, b);
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  const cmp = (a as { compareTo?: (o: unknown) => number } | null)?.compareTo;
  if (typeof cmp === 'function') return cmp.call(a, b);
  throw new Error(`no such overload: ordering of ${typeof a} and ${typeof b}`);
}

/** Strings compare by code point in CEL (UTF-8 byte order), not by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

export function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  throw new Error('no such overload: expected a list');
}
