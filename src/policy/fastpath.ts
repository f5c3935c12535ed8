/**
 * Faster evaluation of the node shapes Kubernetes policies are made of, installed on a checked
 * cel-js AST (after type checking, so checking and error messages are cel-js's own). Each fast
 * path gives exactly the value, error and cost of cel-js's generic evaluation of the same nodes,
 * and falls back to that evaluation for any value it does not handle itself.
 *
 * - `base.?a.?b.orValue(d)`: cel-js allocates an Optional per `.?` and runs the orValue macro;
 *   here the chain is walked through plain objects and Maps directly. `.?` on null, a string, a
 *   number or a list is empty, as in cel-js; any other value (registered object types) takes
 *   cel-js's own optional field access for that step.
 */
import { Optional } from '@marcbachmann/cel-js';
import { charge } from './cost.ts';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Evaluate = (ev: Any, ast: Any, ctx: Any) => unknown;

/** Whether cel-js's map-field lookup would return `v` as it is (a valid CEL value of a plain kind). */
function plainValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'bigint':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      const c = (v as object).constructor;
      return c === Object || c === undefined || c === Map || c === Array || c === Set;
    }
    default:
      return false;
  }
}

/** `base.?k1.?k2….orValue(arg)` with the `.?` nodes (outermost last). */
function optionalChainOrValue(node: Any): Evaluate | undefined {
  const macro = node.meta?.macro;
  if (node.op !== 'rcall' || node.args[0] !== 'orValue' || macro === undefined || macro.receiver === undefined || macro.arg === undefined) return undefined;
  const steps: Any[] = [];
  let base = macro.receiver;
  while (base.op === '.?' && typeof base.args[1] === 'string' && base.meta?.alternate === undefined && base.meta?.macro === undefined) {
    steps.push(base);
    base = base.args[0];
  }
  if (steps.length === 0) return undefined;
  steps.reverse();
  const keys: string[] = steps.map((s) => s.args[1] as string);
  const n = steps.length;
  const arg = macro.arg;
  return (ev, _ast, ctx) => {
    charge(n); // the `.?` nodes, as evaluating them one by one would count
    let v: unknown = ev.run(base, ctx);
    for (let i = 0; i < n; i++) {
      if (v instanceof Optional) v = v.hasValue() ? v.value() : undefined;
      if (v === undefined) break;
      const key = keys[i]!;
      if (v !== null && typeof v === 'object') {
        const c = v.constructor;
        let next: unknown;
        if (c === Object || c === undefined) next = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
        else if (c === Map) next = (v as Map<unknown, unknown>).get(key);
        else if (c === Array || c === Set) {
          v = undefined;
          break;
        } else {
          v = (ev.optionalType.field(v, key, steps[i], ev) as Optional).orValue(undefined);
          continue;
        }
        if (next !== undefined && !plainValue(next)) next = (ev.optionalType.field(v, key, steps[i], ev) as Optional).orValue(undefined);
        v = next;
      } else {
        // null, string, number, bool: no fields (cel-js: an empty optional)
        v = undefined;
        break;
      }
    }
    return v !== undefined ? v : ev.run(arg, ctx);
  };
}

/** Installs the fast paths on every node of a checked AST where one applies. */
export function installFastPaths(root: unknown): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 10_000) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const node = v as Any;
    if (typeof node.op === 'string' && 'args' in node) {
      const fast = optionalChainOrValue(node);
      if (fast !== undefined) node.evaluate = fast;
      visit(node.args, depth + 1);
      const meta = node.meta as Any;
      if (meta?.alternate) visit(meta.alternate, depth + 1);
      if (meta?.macro) for (const x of Object.values(meta.macro as object)) visit(x, depth + 1);
      return;
    }
    if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(root, 0);
}
