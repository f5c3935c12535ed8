/** ext.Sets (Kubernetes 1.29+): sets.contains, sets.equivalent, sets.intersects, with CEL equality. */
import type { Environment } from '@marcbachmann/cel-js';
import { celEquals, registerNamespace } from './common.ts';
import { charge } from '../cost.ts';

const has = (l: unknown[], x: unknown): boolean => (charge(l.length), l.some((e) => celEquals(e, x)));

export function registerSets(env: Environment): void {
  const ns = registerNamespace(env, 'sets');
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn(`${ns}.contains(list<T>, list<T>): bool`, (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)));
  fn(`${ns}.equivalent(list<T>, list<T>): bool`, (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)) && a.every((x) => has(b, x)));
  fn(`${ns}.intersects(list<T>, list<T>): bool`, (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => has(a, x)));
}
