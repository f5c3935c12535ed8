/**
 * Kubernetes lists library (isSorted, sum, min, max, indexOf, lastIndexOf; includes from 1.37)
 * and ext.Lists v3 (slice, flatten, distinct, range, reverse, sort; sortBy in comprehensions.ts),
 * plus first()/last() from the optional library.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { celCompare, celEquals, registerNamespace } from './common.ts';
import { charge } from '../cost.ts';

function flatten(list: unknown[], depth: bigint): unknown[] {
  charge(list.length);
  if (depth < 0n) throw new Error('level must be non-negative');
  const out: unknown[] = [];
  for (const e of list) {
    if (Array.isArray(e) && depth > 0n) out.push(...flatten(e, depth - 1n));
    else out.push(e);
  }
  return out;
}

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  let acc: unknown = list[0];
  for (const e of list.slice(1)) {
    if (typeof acc === 'bigint' && typeof e === 'bigint') {
      acc = acc + e;
      if ((acc as bigint) > 9223372036854775807n || (acc as bigint) < -9223372036854775808n) throw new Error('integer overflow');
    } else if (typeof acc === 'number' && typeof e === 'number') acc = acc + e;
    else if (acc !== null && typeof acc === 'object' && e !== null && typeof e === 'object' && acc.constructor === e.constructor && 'valueOf' in acc) {
      acc = new (acc.constructor as new (v: bigint) => unknown)((acc as { valueOf(): bigint }).valueOf() + (e as { valueOf(): bigint }).valueOf());
    } else throw new Error('no such overload: sum of mixed types');
  }
  return acc;
}

function extreme(list: unknown[], sign: number, name: string): unknown {
  if (list.length === 0) throw new Error(`${name}(list) called on an empty list`);
  let best = list[0];
  for (const e of list.slice(1)) if (celCompare(e, best) * sign > 0) best = e;
  return best;
}

export function registerLists(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn('list<T>.isSorted(): bool', (l: unknown[]) => l.every((e, i) => i === 0 || celCompare(l[i - 1], e) <= 0));
  for (const t of ['int', 'uint', 'double', 'google.protobuf.Duration']) {
    try {
      fn(`list<${t}>.sum(): ${t}`, (l: unknown[]) => (l.length === 0 && t === 'double' ? 0 : sum(l)));
    } catch {
      /* the type is unknown to this cel-js version */
    }
  }
  fn('list<T>.min(): T', (l: unknown[]) => extreme(l, -1, 'min'));
  fn('list<T>.max(): T', (l: unknown[]) => extreme(l, 1, 'max'));
  fn('list<T>.k8s_indexOf(T): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((e) => celEquals(e, x))));
  fn('list<T>.k8s_lastIndexOf(T): int', (l: unknown[], x: unknown) => BigInt(l.findLastIndex((e) => celEquals(e, x))));
  fn('list<T>.includes(T): bool', (l: unknown[], x: unknown) => l.some((e) => celEquals(e, x)));
  fn('list<T>.slice(int, int): list<T>', (l: unknown[], a: bigint, b: bigint) => {
    if (a < 0n || b < 0n) throw new Error(`cannot slice(${a}, ${b}), negative indexes not supported`);
    if (a > b) throw new Error(`cannot slice(${a}, ${b}), start index must be less than or equal to end index`);
    if (b > BigInt(l.length)) throw new Error(`cannot slice(${a}, ${b}), list is length ${l.length}`);
    return l.slice(Number(a), Number(b));
  });
  fn('list.flatten(): list<dyn>', (l: unknown[]) => flatten(l, 1n));
  fn('list.flatten(int): list<dyn>', (l: unknown[], d: bigint) => flatten(l, d));
  fn('list<T>.distinct(): list<T>', (l: unknown[]) => (charge(l.length * l.length), l).filter((e, i) => l.findIndex((x) => celEquals(x, e)) === i));
  fn('list<T>.reverse(): list<T>', (l: unknown[]) => [...l].reverse());
  fn('list<T>.sort(): list<T>', (l: unknown[]) => (charge(l.length * Math.ceil(Math.log2(l.length + 1))), [...l].sort(celCompare)));
  fn('list<T>.first(): optional<T>', (l: unknown[]) => (l.length === 0 ? Optional.none() : Optional.of(l[0])));
  fn('list<T>.last(): optional<T>', (l: unknown[]) => (l.length === 0 ? Optional.none() : Optional.of(l[l.length - 1])));
  const ns = registerNamespace(env, 'lists');
  fn(`${ns}.range(int): list<int>`, (_: unknown, n: bigint) => (charge(Number(n < 0n ? 0n : n)), Array.from({ length: Number(n < 0n ? 0n : n) }, (_x, i) => BigInt(i))));
}
