/** How the CEL tests compare evaluations: a value as text that keeps what JSON loses, and an outcome with its cost. */
import { fromCel } from '../../src/policy/values.ts';

/** A CEL value as text that keeps what JSON loses: int (bigint) vs double, Maps, class instances. */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}i`;
  if (typeof v === 'number') return `${Object.is(v, -0) ? '-0' : String(v)}d`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(',')}]`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${describe(k)}:${describe(x)}`).join(',')}}`;
  const c = (v as object).constructor;
  if (c === Object || c === undefined) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${describe(x)}`).join(',')}}`;
  return `${c.name}(${JSON.stringify(fromCel(v))})`;
}

/** The value (described) or the error message of `f`, then the cost `cost` reports. */
export function show(f: () => unknown, cost: () => number): string {
  let r: string;
  try {
    r = describe(f());
  } catch (err) {
    r = `error: ${(err as Error).message}`;
  }
  return `${r} cost ${cost()}`;
}
