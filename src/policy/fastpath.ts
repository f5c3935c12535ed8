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
 * - `range.all(x, p)` / `range.exists(x, p)` over a list or map: cel-js runs the step `p ? true : false`
 *   per element through its generic comprehension loop; here the predicate is run directly and the
 *   step's two other nodes are charged as they would be. Errors are kept and rethrown as cel-js
 *   does (an error is ignored when another element decides the result). Other ranges go to
 *   cel-js's loop.
 * - `x.a.b…` from a dyn identifier: the fields are read from plain objects and Maps directly; a
 *   missing field or any other value goes to cel-js's field access for that step (its error).
 * - List literals of constants (`['RuntimeDefault', 'Localhost']`): built once; each evaluation
 *   returns a copy (callers may not share it) and charges the element nodes. `s in [constants]`
 *   with a string tests the constants without building the list.
 * - `!b` on a bool.
 * - `a == b` / `a != b` on two strings, bools or ints, `s in list` with a string and a list of
 *   strings, and `l1 + l2` when one list is empty: computed directly, without cel-js's runtime overload lookup (which, for those types,
 *   selects exactly this comparison). Other operand types go to cel-js.
 */
import { Optional } from '@marcbachmann/cel-js';
import { charge } from './cost.ts';
import { walk } from './semantics.ts';

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
function optionalChainOrValue(node: Any, child: (n: Any) => Body, own: number): Body | undefined {
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
  const arg = child(macro.arg);
  const runBase = child(base);
  const units = n + own;
  return (ev, ctx) => {
    charge(units); // (its own unit and) the `.?` nodes, as evaluating them one by one would count
    let v: unknown = runBase(ev, ctx);
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
    return v !== undefined ? v : arg(ev, ctx);
  };
}

/** `range.all(x, p)` / `range.exists(x, p)`: the rcall node whose alternate is cel-js's quantifier comprehension. */
function quantifier(node: Any, child: (n: Any) => Body, own: number): Body | undefined {
  const comp = node.meta?.alternate;
  if (node.op !== 'rcall' || comp === undefined || comp.op !== 'comprehension') return undefined;
  const args = comp.args;
  const step = args?.step;
  const init = args?.init;
  if (args.kind !== 'quantifier' || args.errorsAreFatal || typeof args.condition !== 'function' || typeof args.result !== 'function') return undefined;
  if (init?.op !== 'value' || step?.op !== '?:' || !Array.isArray(step.args) || step.args.length !== 3) return undefined;
  const [predicate, onTrue, onFalse] = step.args as [Any, Any, Any];
  for (const n of [init, step, onTrue, onFalse]) if (n.meta?.alternate !== undefined || n.meta?.macro !== undefined) return undefined;
  if (onTrue.op !== 'value' || onFalse.op !== 'value' || typeof comp.handle !== 'function' || typeof step.handle !== 'function') return undefined;
  const condition = args.condition as (accu: unknown) => boolean;
  const result = args.result as (accu: unknown) => unknown;
  const whenTrue = onTrue.args as unknown;
  const whenFalse = onFalse.args as unknown;
  const initial = init.args as unknown;
  const iterable = child(args.iterable);
  const dynIter = args.iterCtx?.iterType?.kind === 'dyn';
  const pred = child(predicate);
  return (ev, ctx) => {
    charge(own);
    const range = iterable(ev, ctx);
    // a map ranges over its keys (cel-js: Object.keys of a plain object, the keys of a Map)
    const c = range !== null && typeof range === 'object' ? (range as object).constructor : null;
    const items = Array.isArray(range) ? range : c === Object || c === undefined ? Object.keys(range as object) : c === Map ? [...(range as Map<unknown, unknown>).keys()] : undefined;
    const iterCtx = items !== undefined ? args.iterCtx.reuse(ctx) : undefined;
    if (items === undefined || iterCtx !== args.iterCtx) return comp.handle(range, args, ev, ctx);
    charge(1); // init
    let accu = initial;
    let error: unknown;
    for (let i = 0; i < items.length; i++) {
      if (!condition(accu)) return result(accu);
      const item = items[i];
      // a dyn iteration variable takes any plain value as it is (cel-js's check: the value has a CEL type)
      if (dynIter && plainValue(item)) iterCtx.iterValue = item;
      else iterCtx.setIterValue(item, ev);
      charge(1); // the step's conditional
      const p = tryBody(pred, ev, iterCtx);
      let stp: unknown;
      if (p === true || p === false) {
        charge(1); // the literal it selects
        stp = p ? whenTrue : whenFalse;
      } else if (p instanceof Error) stp = p;
      else {
        try {
          stp = step.handle(p, ev, step, iterCtx); // not a bool: cel-js's own error
        } catch (err) {
          stp = err;
        }
      }
      if (stp instanceof Error) {
        error ??= stp;
        continue;
      }
      accu = stp;
    }
    if (error !== undefined && condition(accu)) throw error;
    return result(accu);
  };
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean';
}

/** A non-empty list literal whose elements are all literal values (the literal node's evaluate). */
function constantList(node: Any, own: number): Body | undefined {
  if (node.op !== 'list' || !Array.isArray(node.args) || node.args.length === 0) return undefined;
  const elements: Any[] = node.args;
  if (!elements.every((e) => e?.op === 'value' && e.meta?.alternate === undefined && isPrimitive(e.args))) return undefined;
  const values = elements.map((e) => e.args as unknown);
  const n = values.length + own;
  return () => {
    charge(n); // (its own unit and) the element nodes
    return values.slice();
  };
}

/** `x in [constants]`: membership tested on the constants, the list not built (its nodes charged). */
function inConstantList(node: Any, child: (n: Any) => Body, own: number): Body | undefined {
  if (node.op !== 'in' || !Array.isArray(node.args) || node.meta?.alternate !== undefined || typeof node.handle !== 'function') return undefined;
  const list = node.args[1];
  if (list?.op !== 'list' || list.meta?.alternate !== undefined || !Array.isArray(list.args) || list.args.length === 0) return undefined;
  if (!list.args.every((e: Any) => e?.op === 'value' && e.meta?.alternate === undefined && isPrimitive(e.args))) return undefined;
  const values = list.args.map((e: Any) => e.args as unknown);
  const strings = values.every((v: unknown) => typeof v === 'string');
  const handle = node.handle as (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown;
  const left = child(node.args[0]);
  const n = 1 + values.length; // the list node and its elements
  return (ev, ctx) => {
    charge(own);
    const l = left(ev, ctx);
    charge(n);
    if (strings && typeof l === 'string') return values.includes(l);
    return handle(l, values.slice(), node, ev);
  };
}

/** The handle of `==`, `!=` and `in` nodes, with the direct comparison in front of cel-js's. */
function comparison(node: Any): ((l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown) | undefined {
  const handle = node.handle as ((l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown) | undefined;
  if (typeof handle !== 'function') return undefined;
  if (node.op === '==' || node.op === '!=') {
    const ne = node.op === '!=';
    return (l, r, ast, ev) => {
      const t = typeof l;
      if (t === typeof r && (t === 'string' || t === 'boolean' || t === 'bigint')) return (l === r) !== ne;
      return handle(l, r, ast, ev);
    };
  }
  if (node.op === '!_') {
    const h = handle as unknown as (v: unknown, ast: unknown, ev: unknown) => unknown;
    return ((v: unknown, ast: unknown, ev: unknown) => (typeof v === 'boolean' ? !v : h(v, ast, ev))) as never;
  }
  if (node.op === '+') {
    // list + list with one side empty: cel-js's overload matches whatever the other list holds
    return (l, r, ast, ev) => (Array.isArray(l) && Array.isArray(r) && (l.length === 0 || r.length === 0) ? [...l, ...r] : handle(l, r, ast, ev));
  }
  if (node.op === 'in') {
    return (l, r, ast, ev) => {
      if (typeof l === 'string' && Array.isArray(r) && r.length > 0) {
        let found = false;
        for (let i = 0; i < r.length; i++) {
          const e = r[i];
          if (typeof e !== 'string') return handle(l, r, ast, ev);
          if (e === l) found = true;
        }
        return found;
      }
      return handle(l, r, ast, ev);
    };
  }
  return undefined;
}

/**
 * Composition: a node whose shape is known here gets a closure `(ev, ctx) => value` that evaluates
 * it and its known children directly (child closures called in place of cel-js's `ev.run`, each
 * charging its node's unit as `run` would), so a whole expression made of these shapes runs as one
 * tree of closures. Any other node is evaluated by cel-js (`ev.run`, which charges it), with the
 * fast paths below it still installed. Error paths that need cel-js's own error values replay the
 * node through its generic evaluation with the children's results already known (nothing is
 * evaluated or charged twice).
 */
type Body = (ev: Any, ctx: Any) => unknown;

const bodies = [new WeakMap<object, Body | null>(), new WeakMap<object, Body | null>()] as const;
let fallbacks: Any[] | undefined;

/**
 * The nodes of a checked AST (not yet given fast paths) that the composed evaluation of its root
 * leaves to cel-js, as `op` strings (the root's own op when the root is not composed). For tests:
 * an expression made only of the shapes handled here gives [].
 */
export function uncomposedNodes(root: unknown): string[] {
  fallbacks = [];
  try {
    if (compose(root, 1) === undefined) return [(root as Any).op as string];
    return fallbacks.map((n) => (n.op === 'call' || n.op === 'rcall' ? `${n.op} ${n.args?.[0]}` : String(n.op)));
  } finally {
    fallbacks = undefined;
  }
}

/** The closure evaluating `node` including its own cost unit. */
function child(node: Any): Body {
  const body = compose(node, 1);
  if (body === undefined) {
    fallbacks?.push(node);
    return (ev, ctx) => ev.run(node, ctx);
  }
  return body;
}

function tryBody(b: Body, ev: Any, ctx: Any): unknown {
  try {
    return b(ev, ctx);
  } catch (err) {
    return err;
  }
}

/** Runs cel-js's generic evaluate of `node` with the given children's results (an Error result is thrown by `run`, returned by `tryEval`). */
function replay(ev: Any, node: Any, ctx: Any, generic: Evaluate, known: ReadonlyMap<unknown, unknown>): unknown {
  const saved = ev.run;
  ev.run = function (this: Any, ast: Any, c: Any): unknown {
    if (known.has(ast)) {
      const v = known.get(ast);
      if (v instanceof Error) throw v;
      return v;
    }
    return saved.call(this, ast, c);
  };
  try {
    return generic(ev, node, ctx);
  } finally {
    ev.run = saved;
  }
}

function plainNode(node: Any): boolean {
  return node.meta?.alternate === undefined && node.meta?.macro === undefined && !Object.hasOwn(node, 'evaluate');
}

const BINARY = new Set(['==', '!=', 'in', '+', '-', '*', '/', '%', '<', '<=', '>', '>=', '[]']);

/**
 * The composed body of `node`, or undefined for shapes left to cel-js. `own` 1: the body charges
 * the node's own unit (called from a composed parent); 0: it does not (its `evaluate`, called by
 * cel-js's counting `run`).
 */
function compose(node: Any, own: 0 | 1): Body | undefined {
  if (node === null || typeof node !== 'object' || typeof node.op !== 'string') return undefined;
  const memo = bodies[own];
  const known = memo.get(node);
  if (known !== undefined) return known ?? undefined;
  memo.set(node, null); // (no cycles in an AST; guards re-entry)
  const b = composeShape(node, own);
  memo.set(node, b ?? null);
  return b;
}

function composeShape(node: Any, own: 0 | 1): Body | undefined {
  const op = node.op as string;
  if (Object.hasOwn(node, 'evaluate')) return undefined; // replaced already (semantics.ts)
  // `base.?a.?b.orValue(d)` and `range.all/exists(x, p)`: the fast paths above with composed children
  const chain = optionalChainOrValue(node, child, own);
  if (chain !== undefined) return chain;
  const quant = quantifier(node, child, own);
  if (quant !== undefined) return quant;
  if (op === 'call' && node.args?.[0] === 'has') return hasField(node, own);
  if (!plainNode(node)) return undefined;
  const generic = node.meta.evaluate as Evaluate;
  switch (op) {
    case 'value': {
      const v = node.args;
      return () => {
        charge(own);
        return v;
      };
    }
    case 'id':
      if (typeof node.args !== 'string') return undefined;
      return (ev, ctx) => {
        charge(own);
        return ctx.getCheckedValue(ev, node);
      };
    case '.': {
      const base = node.args[0];
      const key = node.args[1];
      const handle = node.handle as ((l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown) | undefined;
      if (typeof key !== 'string' || typeof handle !== 'function' || base?.checkedType?.kind !== 'dyn') return undefined;
      const b = child(base);
      return (ev, ctx) => {
        charge(own);
        const v = b(ev, ctx);
        let next: unknown;
        if (v !== null && typeof v === 'object') {
          const c = v.constructor;
          if (c === Object || c === undefined) next = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
          else if (c === Map) next = (v as Map<unknown, unknown>).get(key);
        }
        return next !== undefined && plainValue(next) ? next : handle(v, key, node, ev);
      };
    }
    case '!_': {
      const handle = node.handle as ((v: unknown, ast: unknown, ev: unknown) => unknown) | undefined;
      if (typeof handle !== 'function' || Array.isArray(node.args)) return undefined;
      const a = child(node.args);
      return (ev, ctx) => {
        charge(own);
        const v = a(ev, ctx);
        return typeof v === 'boolean' ? !v : handle(v, node, ev);
      };
    }
    case '&&':
    case '||': {
      if (!Array.isArray(node.args) || node.args.length !== 2) return undefined;
      const [leftNode, rightNode] = node.args as [Any, Any];
      const l = child(leftNode);
      const r = child(rightNode);
      const decides = op === '||'; // the left value that decides without the right
      return (ev, ctx) => {
        charge(own);
        const lv = tryBody(l, ev, ctx);
        if (lv === decides) return decides;
        const rv = r(ev, ctx); // an error here is cel-js's too (it runs the right side outside tryEval)
        if (lv === !decides && typeof rv === 'boolean') return rv;
        if (rv === decides) return decides;
        return replay(ev, node, ctx, generic, new Map([[leftNode, lv], [rightNode, rv]]));
      };
    }
    case '?:': {
      if (!Array.isArray(node.args) || node.args.length !== 3 || typeof node.handle !== 'function') return undefined;
      const [condNode, leftNode, rightNode] = node.args as [Any, Any, Any];
      const c = child(condNode);
      const l = child(leftNode);
      const r = child(rightNode);
      const handle = node.handle as (c: unknown, ev: unknown, ast: unknown, ctx: unknown) => unknown;
      return (ev, ctx) => {
        charge(own);
        const cv = c(ev, ctx);
        if (cv === true) return l(ev, ctx);
        if (cv === false) return r(ev, ctx);
        return handle(cv, ev, node, ctx); // cel-js's error for a non-bool condition
      };
    }
    case 'map':
    case 'list': {
      if (!Array.isArray(node.args)) return undefined;
      if (node.args.length === 0) {
        // cel-js's empty list / map
        return (ev, ctx) => {
          charge(own);
          return generic(ev, node, ctx);
        };
      }
      if (op === 'map') return undefined;
      const constant = constantList(node, own);
      if (constant !== undefined) return constant;
      const elements = (node.args as Any[]).map(child);
      const n = elements.length;
      return (ev, ctx) => {
        charge(own);
        const out = new Array<unknown>(n);
        for (let i = n - 1; i >= 0; i--) out[i] = elements[i]!(ev, ctx); // cel-js evaluates the last first
        return out;
      };
    }
    case 'rcall': {
      const args = node.receiverWithArgs as Any[] | undefined;
      const handle = node.handle as ((a: unknown[], ev: unknown, ast: unknown) => unknown) | undefined;
      if (!Array.isArray(args) || typeof handle !== 'function') return undefined;
      const parts = args.map(child);
      const n = parts.length;
      return (ev, ctx) => {
        charge(own);
        const vs = new Array<unknown>(n);
        for (let i = n - 1; i >= 0; i--) vs[i] = parts[i]!(ev, ctx);
        return handle(vs, ev, node);
      };
    }
    default:
      break;
  }
  if (BINARY.has(op) && Array.isArray(node.args) && node.args.length === 2 && typeof node.handle === 'function') {
    if (op === 'in') {
      const inConst = inConstantList(node, child, own);
      if (inConst !== undefined) return inConst;
    }
    const handle = node.handle as (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown;
    const l = child(node.args[0]);
    const r = child(node.args[1]);
    return (ev, ctx) => {
      charge(own);
      const lv = l(ev, ctx);
      return handle(lv, r(ev, ctx), node, ev);
    };
  }
  return undefined;
}

/** `has(e.f)` (bosun's has() macro, src/policy/ast.ts): a field of a plain object read directly; any other value takes the macro's own evaluation. */
function hasField(node: Any, own: number): Body | undefined {
  const macro = node.meta?.macro;
  const arg = macro?.args?.[0];
  if (node.meta?.alternate !== undefined || Object.hasOwn(node, 'evaluate') || typeof macro?.evaluate !== 'function' || macro.macroHasProps !== undefined) return undefined;
  if (arg?.op !== '.' || typeof arg.args?.[1] !== 'string' || macro.args.length !== 1) return undefined;
  const operandNode = arg.args[0];
  const key = arg.args[1] as string;
  const operand = child(operandNode);
  const generic = macro.evaluate as Evaluate;
  return (ev, ctx) => {
    charge(own);
    const v = operand(ev, ctx);
    if (v !== null && typeof v === 'object' && (v.constructor === Object || v.constructor === undefined) && Object.hasOwn(v, key)) return (v as Record<string, unknown>)[key] !== undefined;
    return replay(ev, macro, ctx, generic, new Map([[operandNode, v]]));
  };
}

/** The composed evaluation of a whole expression (charging the root's own unit too), or undefined when its root is not composed. */
export function composedRoot(root: unknown): ((ev: unknown, ctx: unknown) => unknown) | undefined {
  return compose(root, 1);
}

/** Installs the fast paths on every node of a checked AST where one applies; returns how many. */
export function installFastPaths(root: unknown): number {
  let installed = 0;
  const nodes: Any[] = [];
  walk(root, (node) => {
    nodes.push(node);
    const handle = comparison(node);
    if (handle !== undefined) {
      node.handle = handle;
      installed++;
    }
  });
  // the root's body charging its own unit (composedRoot), made before `evaluate` is installed on the root (compose skips nodes that have one)
  compose(root, 1);
  // composed bodies, from the root down (a node's body includes its known children's)
  const bodiesOf = nodes.map((n) => compose(n, 0));
  nodes.forEach((node, i) => {
    const body = bodiesOf[i];
    if (body === undefined) return;
    node.evaluate = (ev: Any, _ast: Any, ctx: Any) => body(ev, ctx);
    installed++;
  });
  return installed;
}
