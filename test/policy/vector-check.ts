/** Runs one cel-k8s vector (../shared/testdata/cel-k8s, see its SOURCE.md) and says how it differs, or null. */
import { Optional } from '@marcbachmann/cel-js';
import { compileCel, CelError } from '../../src/policy/cel.ts';
import { toCel } from '../../src/policy/values.ts';

export interface Vector {
  expr: string;
  result?: unknown;
  resultType?: string;
  resultString?: string;
  hasValue?: boolean;
  value?: unknown;
  error?: string;
  phase?: 'compile' | 'eval';
  bindings?: Record<string, unknown>;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Map ? Object.fromEntries(x) : x)) ?? String(v);
}

function scalarKind(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (v !== null && typeof v === 'object' && v.constructor?.name === 'UnsignedInt') return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

/** Deep equality of a CEL value with expected JSON data (ints parsed as bigint), numbers by value. */
function same(actual: unknown, expected: unknown, type: string | undefined): boolean {
  if (type === 'bytes') return actual instanceof Uint8Array && Buffer.from(actual).toString('base64') === expected;
  if (actual !== null && typeof actual === 'object' && actual.constructor?.name === 'UnsignedInt') actual = (actual as { valueOf(): bigint }).valueOf();
  if (typeof expected === 'bigint' || typeof expected === 'number') {
    if (typeof actual !== 'bigint' && typeof actual !== 'number') return false;
    if (typeof expected === 'number' && typeof actual === 'bigint') return false;
    return Number(actual) === Number(expected) && (typeof actual !== 'bigint' || typeof expected !== 'bigint' || actual === expected);
  }
  if (typeof expected === 'string' && (expected === 'NaN' || expected === 'Infinity' || expected === '-Infinity') && typeof actual === 'number') return String(actual) === expected;
  if (expected === null || typeof expected !== 'object') return actual === expected;
  const inner = type?.match(/^list\((.*)\)$/)?.[1];
  if (Array.isArray(expected)) {
    const list = actual instanceof Set ? [...actual] : actual;
    return Array.isArray(list) && list.length === expected.length && expected.every((e, i) => same(list[i], e, inner));
  }
  const entries = actual instanceof Map ? [...actual.entries()].map(([k, v]) => [String(k), v] as const) : actual !== null && typeof actual === 'object' ? Object.entries(actual) : null;
  if (entries === null) return false;
  const exp = Object.entries(expected as Record<string, unknown>);
  if (entries.length !== exp.length) return false;
  const got = new Map(entries);
  const valueType = type?.match(/^map\([^,]+, (.*)\)$/)?.[1];
  return exp.every(([k, v]) => got.has(k) && same(got.get(k), v, valueType));
}

export function checkVector(v: Vector): string | null {
  const bindings: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v.bindings ?? {})) bindings[k] = toCel(x);
  let compiled;
  try {
    compiled = compileCel(v.expr, Object.keys(bindings));
  } catch (err) {
    if (v.error !== undefined && (v.phase === 'compile' || v.phase === undefined)) return null;
    return `compile error: ${(err as Error).message}`;
  }
  let actual: unknown;
  try {
    actual = compiled.evaluate(bindings);
  } catch (err) {
    if (!(err instanceof CelError)) return `internal error: ${(err as Error).stack}`;
    if (v.error !== undefined && (v.phase === 'eval' || v.phase === undefined)) return null;
    return v.error !== undefined ? `eval error, expected compile error: ${err.message}` : `eval error: ${err.message}`;
  }
  if (v.error !== undefined) return `expected error ${JSON.stringify(v.error)} (${v.phase ?? 'any'}), got ${show(actual)}`;
  const type = v.resultType;
  if (type?.startsWith('optional')) {
    if (!(actual instanceof Optional)) return `expected optional, got ${show(actual)}`;
    if (actual.hasValue() !== v.hasValue) return `expected hasValue=${v.hasValue}`;
    if (v.hasValue && !same(actual.value(), v.value, type.match(/^optional\((.*)\)$/)?.[1])) return `expected value ${show(v.value)}, got ${show(actual.value())}`;
    return null;
  }
  if (v.resultString !== undefined) {
    const kind = (actual as { constructor?: { name?: string } } | null)?.constructor?.name;
    const s = actual !== null && typeof actual === 'object' ? String(actual) : undefined;
    return s === v.resultString && kind !== 'Object' ? null : `expected ${type} ${v.resultString}, got ${show(actual)} (${kind})`;
  }
  if (type !== undefined && ['int', 'uint', 'double', 'bytes'].includes(type) && scalarKind(actual) !== type) {
    return `expected ${type}, got ${scalarKind(actual)} ${show(actual)}`;
  }
  return same(actual, v.result, type) ? null : `expected ${show(v.result)}, got ${show(actual)}`;
}
