/**
 * Where cel-js's evaluation differs from cel-go's (as Kubernetes runs it), corrected on a checked
 * AST: per node, only where the checked types say the difference can occur, so other nodes keep
 * cel-js's own evaluation.
 *
 * - `l[i]` with a uint index (`[7, 8, 9][dyn(0u)]`): cel-js finds no element; cel-go indexes.
 * - `x in list` across int, uint and double (`dyn(3u) in [1, 2, 3]`): cel-go compares numbers by
 *   value (heterogeneous equality), cel-js only int with double.
 * - map literals with int or bool keys: cel-js builds a plain object (keys become strings,
 *   `{6: 'six'}.exists_one(k, k % 5 == 1)` then iterates strings); here they are Maps. (uint keys
 *   stay as cel-js has them: its uints are objects, which a Map would only find by identity.)
 * - `opt.f` on an optional holding null, a number, a string, bytes or a list: cel-go's error
 *   "no such key", cel-js an empty optional.
 * - `list.min()` / `list.max()` on lists of lists or maps: cel-go has no overload (a compile error).
 * - Type names `net.IP`, `net.CIDR` and `optional_type` (when not shadowed by a variable).
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function isUint(v: unknown): v is { valueOf(): bigint } {
  return v !== null && typeof v === 'object' && (v as object).constructor?.name === 'UnsignedInt';
}

/** The value of an int, uint or double as a bigint or number; undefined for anything else. */
function numeric(v: unknown): bigint | number | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (isUint(v)) return v.valueOf();
  return undefined;
}

/** CEL heterogeneous numeric equality: int, uint and double compared by value. */
function numericEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const d = (typeof a === 'number' ? a : b) as number;
  const i = (typeof a === 'bigint' ? a : b) as bigint;
  return Number.isInteger(d) && BigInt(d) === i;
}

const kind = (node: Any): string | undefined => node?.checkedType?.kind;
const NUMERIC_OR_DYN = new Set(['int', 'uint', 'double', 'dyn']);

let typeCtor: (new (name: string) => unknown) | undefined;
let optionalTypeValue: unknown;

/** Keys a plain object cannot hold as data (cel-js drops them from map literals). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The `type` value of optionals (cel-js has none of its own to give out). */
function optionalType(env: Environment): unknown {
  if (optionalTypeValue === undefined) {
    typeCtor ??= (env.evaluate('type(1)') as { constructor: new (name: string) => unknown }).constructor;
    optionalTypeValue = new typeCtor('optional_type');
  }
  return optionalTypeValue;
}

/** Registers what the type names need: `type(optional)`. */
export function registerTypeNames(env: Environment): void {
  const t = optionalType(env);
  env.registerFunction('type(optional<dyn>): type', (() => t) as never);
}

/**
 * Before checking: `net.IP`, `net.CIDR` and `optional_type` become the type values (cel-js's
 * constant mechanism, an alternate node holding the value). `typeOf` evaluates `type(<expr>)`.
 */
export function resolveTypeNames(root: unknown, declared: readonly string[], env: Environment, valueNode: (value: unknown) => unknown): void {
  const names: Record<string, () => unknown> = {};
  if (!declared.includes('net')) {
    names['net.IP'] = () => env.evaluate("type(ip('0.0.0.0'))");
    names['net.CIDR'] = () => env.evaluate("type(cidr('0.0.0.0/0'))");
  }
  if (!declared.includes('optional_type')) names['optional_type'] = () => optionalType(env);
  walk(root, (node) => {
    let name: string | undefined;
    if (node.op === 'id' && typeof node.args === 'string') name = node.args;
    else if (node.op === '.' && node.args[0]?.op === 'id' && typeof node.args[1] === 'string') name = `${node.args[0].args}.${node.args[1]}`;
    const value = name === undefined ? undefined : names[name];
    if (value !== undefined) node.setMeta('alternate', valueNode(value()));
  });
}

/** Every node of a cel-js AST once, parents before children (macro expansions and alternates included). */
export function walk(root: unknown, fn: (node: Any) => void): void {
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
      fn(node);
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

/** After checking: the corrections above, on the nodes that need them. Throws (a compile error) for min/max without an overload. */
export function correctSemantics(root: unknown): void {
  walk(root, (node) => {
    const args = node.args;
    switch (node.op) {
      case '[]': {
        if (typeof node.handle !== 'function' || !['uint', 'dyn'].includes(kind(args[1]) ?? '') || !['list', 'dyn'].includes(kind(args[0]) ?? '')) break;
        const handle = node.handle;
        node.handle = (l: unknown, r: unknown, ast: unknown, ev: unknown) => handle(l, Array.isArray(l) && isUint(r) ? r.valueOf() : r, ast, ev);
        break;
      }
      case 'in': {
        if (typeof node.handle !== 'function' || !NUMERIC_OR_DYN.has(kind(args[0]) ?? '') || !['list', 'dyn'].includes(kind(args[1]) ?? '')) break;
        const handle = node.handle;
        node.handle = (l: unknown, r: unknown, ast: unknown, ev: unknown) => {
          if (handle(l, r, ast, ev) === true) return true;
          const n = numeric(l);
          if (n === undefined || !Array.isArray(r)) return false;
          return r.some((e) => {
            const m = numeric(e);
            return m !== undefined && numericEqual(n, m);
          });
        };
        break;
      }
      case 'map': {
        if (!Array.isArray(args) || args.length === 0) break;
        if (node.checkedType?.keyType?.kind === 'string') {
          // cel-js drops the keys `__proto__`, `constructor` and `prototype` from a map literal
          // (they would reach its plain object's prototype); with one of them the map is a Map
          if (!args.some((e: Any) => e[0]?.op === 'value' && PROTOTYPE_KEYS.has(e[0].args))) break;
          node.evaluate = (ev: Any, _ast: Any, ctx: Any): unknown => {
            const m = new Map<unknown, unknown>();
            for (const [k, v] of args as Array<[Any, Any]>) {
              const key = ev.run(k, ctx);
              m.set(key, ev.run(v, ctx));
            }
            return m;
          };
          break;
        }
        node.evaluate = (ev: Any, _ast: Any, ctx: Any): unknown => {
          const keys = new Array<unknown>(args.length);
          const values = new Array<unknown>(args.length);
          let strings = true;
          let uints = false;
          for (let i = 0; i < args.length; i++) {
            keys[i] = ev.run(args[i][0], ctx);
            values[i] = ev.run(args[i][1], ctx);
            if (typeof keys[i] !== 'string') strings = false;
            if (isUint(keys[i])) uints = true;
          }
          // uint keys are objects (a Map would find them by identity only): cel-js's plain object, as before
          if ((strings || uints) && !keys.some((k) => typeof k === 'string' && PROTOTYPE_KEYS.has(k))) {
            // as cel-js builds it: a plain object, without the keys that would reach its prototype
            const o: Record<string, unknown> = {};
            for (let i = 0; i < keys.length; i++) o[keys[i] as string] = values[i];
            return o;
          }
          const m = new Map<unknown, unknown>();
          for (let i = 0; i < keys.length; i++) m.set(keys[i], values[i]);
          return m;
        };
        break;
      }
      case '.': {
        if (kind(args[0]) !== 'optional' || typeof node.handle !== 'function') break;
        const handle = node.handle;
        const field = args[1] as string;
        node.handle = (l: unknown, r: unknown, ast: unknown, ev: unknown) => {
          if (l instanceof Optional && l.hasValue()) {
            const v = l.value();
            if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Set || v instanceof Uint8Array) throw new Error(`no such key: ${field}`);
          }
          return handle(l, r, ast, ev);
        };
        break;
      }
      case 'rcall': {
        const [name, receiver, callArgs] = args as [string, Any, Any[]];
        if ((name === 'min' || name === 'max') && callArgs.length === 0 && kind(receiver) === 'list') {
          const elem = receiver.checkedType.valueType;
          if (elem?.kind === 'list' || elem?.kind === 'map') throw new Error(`found no matching overload for '${name}' applied to '${receiver.checkedType}.()'`);
        }
        break;
      }
    }
  });
}

