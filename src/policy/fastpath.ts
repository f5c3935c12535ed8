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
import { charge, chargeNodes } from './cost.ts';
import { walk } from './semantics.ts';
import { celInt, toCel } from './values.ts';
import { writtenOut, type MadeBody } from './raw-codegen.ts';

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
    chargeNodes(units); // (its own unit and) the `.?` nodes, as evaluating them one by one would count
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
  const q = quantifierShape(node);
  return q === undefined ? undefined : quantifierBody(q, child(q.args.iterable), child(q.predicate), own, false);
}

interface QuantifierShape {
  comp: Any;
  args: Any;
  step: Any;
  predicate: Any;
  dynIter: boolean;
}

function quantifierShape(node: Any): QuantifierShape | undefined {
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
  return { comp, args, step, predicate, dynIter: args.iterCtx?.iterType?.kind === 'dyn' };
}

/**
 * The quantifier loop. `rawRange`: the range is raw data (see composeRaw): list items are read as
 * raw elements, a non-list/map range is converted before cel-js's loop gets it.
 */
function quantifierBody(q: QuantifierShape, iterable: Body, pred: Body, own: number, rawRange: boolean): Body {
  const { comp, args, step, dynIter } = q;
  const [, onTrue, onFalse] = step.args as [Any, Any, Any];
  return made(quantifierLoop, iterable, pred, own, rawRange, comp, args, step, dynIter, onTrue.args as unknown, onFalse.args as unknown);
}

function quantifierLoop(
  lib: Lib,
  iterable: Body,
  pred: Body,
  own: number,
  rawRange: boolean,
  comp: Any,
  args: Any,
  step: Any,
  dynIter: boolean,
  whenTrue: unknown,
  whenFalse: unknown,
): Body {
  const { charge, lift, rawElement, plainValue, DEOPT } = lib;
  const condition = args.condition as (accu: unknown) => boolean;
  const result = args.result as (accu: unknown) => unknown;
  const initial = args.init.args as unknown;
  return (ev, ctx) => {
    charge(own);
    const range = iterable(ev, ctx);
    // a map ranges over its keys (cel-js: Object.keys of a plain object, the keys of a Map)
    const isList = Array.isArray(range);
    const c = !isList && range !== null && typeof range === 'object' ? (range as object).constructor : null;
    const items = isList ? range : c === Object || c === undefined ? Object.keys(range as object) : c === Map && !rawRange ? [...(range as Map<unknown, unknown>).keys()] : undefined;
    const iterCtx = items !== undefined ? args.iterCtx.reuse(ctx) : undefined;
    if (items === undefined || iterCtx !== args.iterCtx) return comp.handle(rawRange ? lift(range) : range, args, ev, ctx);
    const rawItems = rawRange && isList;
    charge(1); // init
    let accu = initial;
    let error: unknown;
    for (let i = 0; i < items.length; i++) {
      if (!condition(accu)) return result(accu);
      const item = rawItems ? rawElement(items[i]) : items[i];
      // a dyn iteration variable takes any plain value as it is (cel-js's check: the value has a CEL type)
      if (dynIter && (rawItems || plainValue(item))) iterCtx.iterValue = item;
      else iterCtx.setIterValue(item, ev);
      charge(1); // the step's conditional
      let p: unknown;
      try {
        p = pred(ev, iterCtx);
      } catch (err) {
        if (err === DEOPT) throw err;
        p = err;
      }
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
    chargeNodes(n); // (its own unit and) the element nodes
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
    chargeNodes(n);
    if (strings && typeof l === 'string') return values.includes(l);
    return handle(l, values.slice(), node, ev);
  };
}

/** A map as a plain object (no Map, no class instance; a null prototype is plain too). */
function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** cel-js's mapIncludes for a plain object: an own key whose value is not undefined. */
function mapHas(m: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(m, key) && m[key] !== undefined;
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
      if (typeof l === 'string' && isPlainMap(r)) return mapHas(r, l);
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
function celChild(node: Any): Body {
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
    if (err === DEOPT) throw err;
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
  const b = composeShape(node, own, celChild);
  memo.set(node, b ?? null);
  return b;
}

function composeShape(node: Any, own: 0 | 1, child: (n: Any) => Body): Body | undefined {
  const op = node.op as string;
  if (Object.hasOwn(node, 'evaluate')) return undefined; // replaced already (semantics.ts)
  // `base.?a.?b.orValue(d)` and `range.all/exists(x, p)`: the fast paths above with composed children
  const chain = optionalChainOrValue(node, child, own);
  if (chain !== undefined) return chain;
  const quant = quantifier(node, child, own);
  if (quant !== undefined) return quant;
  if (op === 'call' && node.args?.[0] === 'has') return hasField(node, own, child);
  if (!plainNode(node)) return undefined;
  const generic = node.meta.evaluate as Evaluate;
  switch (op) {
    case 'value':
      return made(valueBody, own, node.args);
    case 'id':
      if (typeof node.args !== 'string') return undefined;
      return made(idBody, own, node);
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
function hasField(node: Any, own: number, child: (n: Any) => Body): Body | undefined {
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
    if (v !== null && typeof v === 'object' && (v.constructor === Object || v.constructor === undefined)) {
      // the macro's own test for a map held as a plain object (an absent field is the common case)
      const o = v as Record<string, unknown>;
      return Object.hasOwn(o, key) && o[key] !== undefined;
    }
    return replay(ev, macro, ctx, generic, new Map([[operandNode, v]]));
  };
}

/** The composed evaluation of a whole expression (charging the root's own unit too), or undefined when its root is not composed. */
export function composedRoot(root: unknown): ((ev: unknown, ctx: unknown) => unknown) | undefined {
  return compose(root, 1);
}

/**
 * Installs the fast paths on every node of a checked AST where one applies; returns how many.
 * `rawVariables`: the variables raw-mode evaluation reads unconverted (composedRawRoot); for
 * `variables`, its fields through the RAW_VARIABLE method.
 */
export function installFastPaths(root: unknown, rawVariables: readonly string[] = ['object', 'variables']): number {
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
  // the root's bodies charging its own unit (composedRoot, composedRawRoot), made before `evaluate` is installed (compose skips nodes that have one)
  compose(root, 1);
  rawRoots.set(root as object, makeRawRoot(root, rawVariables) ?? null);
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

/*
 * Raw mode. Converting a whole request object into CEL values (toCel: integral numbers to int,
 * everything on the path to a number copied) costs more than evaluating the PSS expressions on it.
 * A raw-mode body reads the unconverted object instead: a value of a raw-form body stands for
 * `lift(value)`, its CEL value (primitives are already CEL values, containers are raw data that
 * toCel converts). Field reads convert what they return (numbers, Dates); a raw container passed
 * to anything else (a cel-js handle, a fallback) is converted there, so every other node sees
 * exactly the values it sees in CEL mode, and charges the same units in the same order. A value
 * raw mode does not represent exactly (a Map, a class instance, a CEL container that toCel would
 * change) throws DEOPT: the expression is then evaluated again from the start in CEL mode on
 * converted variables (cel.ts), which gives the same value, error and cost.
 */

/** Thrown by raw-mode bodies; never seen outside cel.ts's evaluation entry. */
export const DEOPT: unique symbol = Symbol('bosun.deopt');
/** Activation key of the unconverted value of a raw-capable variable (see installFastPaths). */
export function rawKey(name: string): symbol {
  return Symbol.for(`bosun.raw:${name}`);
}
/** Activation key of the unconverted `object`. */
export const RAW_OBJECT = rawKey('object');
/** Method key, on the `variables` value, of `(name) => raw-form value` (may throw DEOPT). */
export const RAW_VARIABLE: unique symbol = Symbol('bosun.rawVariable');
/** Optional key, on the `variables` value, of a null-prototype object of the raw-form values RAW_VARIABLE has given (read first). */
export const RAW_VALUES: unique symbol = Symbol('bosun.rawValues');

/** The CEL value a raw-form value stands for. */
export function lift(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? toCel(v) : v;
}

/** A CEL value in raw form: itself when it is a plain container that toCel leaves as it is (no integral double inside), else DEOPT. */
export function asRaw(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const c = v.constructor;
  if ((c !== Object && c !== undefined && c !== Array) || toCel(v) !== v) throw DEOPT;
  return v;
}

/** A raw-form container with fields: a plain object (raw-form containers are plain objects and lists). */
function fielded(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An element of raw data (a field value, a list item) in raw form: converted as toCel converts it, or DEOPT where a plain container is not what toCel makes of it. */
export function rawElement(x: unknown): unknown {
  switch (typeof x) {
    case 'number':
      return Number.isInteger(x) ? celInt(x) : x;
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return x;
    case 'object': {
      if (x === null) return x;
      const c = (x as object).constructor;
      if (c === Object || c === undefined || c === Array) return x;
      if (x instanceof Date) return toCel(x);
      throw DEOPT;
    }
    default:
      throw DEOPT;
  }
}

interface RawScope {
  /** Variables the activation gives unconverted (under rawKey(name)). */
  roots: ReadonlySet<string>;
  /** Iteration variables bound to raw items. */
  raw: ReadonlySet<string>;
  /** Every iteration variable in scope (they shadow `object` and `variables`). */
  bound: ReadonlySet<string>;
  key: string;
}

const RAW_FORM = new WeakSet<Body>();
const rawBodies = new WeakMap<object, Map<string, Body | null>>();

/** Compile-time: the node needs cel-js's evaluation with a raw iteration variable in it. */
class NotRaw extends Error {}

function rawForm(b: Body): Body {
  RAW_FORM.add(b);
  return b;
}

function lifted(b: Body): Body {
  return RAW_FORM.has(b) ? made(liftedBody, b) : b;
}

function asRawBody(b: Body): Body {
  return RAW_FORM.has(b) ? b : made(asRawBodyOf, b);
}

function scopeWith(scope: RawScope, name: string, raw: boolean): RawScope {
  const r = new Set(scope.raw);
  const bound = new Set(scope.bound);
  bound.add(name);
  if (raw) r.add(name);
  else r.delete(name);
  return { roots: scope.roots, raw: r, bound, key: scopeKey(scope.roots, r, bound) };
}

function scopeKey(roots: ReadonlySet<string>, raw: ReadonlySet<string>, bound: ReadonlySet<string>): string {
  return [roots, raw, bound].map((x) => [...x].sort().join(',')).join('|');
}

function mentions(node: Any, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  walk(node, (n) => {
    if (n.op === 'id' && names.has(n.args)) found = true;
  });
  return found;
}

/** The raw-mode body of `node` (charging its own unit), raw-form or not (RAW_FORM); a cel-js fallback when it has none. Throws NotRaw when that fallback would read a raw iteration variable. */
function rawChild(node: Any, scope: RawScope): Body {
  const b = composeRaw(node, scope);
  if (b !== undefined) return b;
  if (mentions(node, scope.raw)) throw new NotRaw();
  return (ev, ctx) => ev.run(node, ctx);
}

function composeRaw(node: Any, scope: RawScope): Body | undefined {
  if (node === null || typeof node !== 'object' || typeof node.op !== 'string') return undefined;
  let memo = rawBodies.get(node);
  const known = memo?.get(scope.key);
  if (known !== undefined) return known ?? undefined;
  const b = composeRawShape(node, scope);
  if (memo === undefined) rawBodies.set(node, (memo = new Map()));
  memo.set(scope.key, b ?? null);
  return b;
}

function composeRawShape(node: Any, scope: RawScope): Body | undefined {
  if (Object.hasOwn(node, 'evaluate')) return undefined;
  const celForm = (n: Any): Body => lifted(rawChild(n, scope));
  const op = node.op as string;
  const macro = node.meta?.macro;
  // base.?a.?b.orValue(d)
  if (op === 'rcall' && node.args[0] === 'orValue' && macro?.receiver?.op === '.?') {
    const cel = optionalChainOrValue(node, (n) => rawChild(n, scope), 1);
    if (cel === undefined) return undefined;
    const steps: Any[] = [];
    let base = macro.receiver;
    while (base.op === '.?' && typeof base.args[1] === 'string' && base.meta?.alternate === undefined && base.meta?.macro === undefined) {
      steps.push(base);
      base = base.args[0];
    }
    const runBase = rawChild(base, scope);
    if (!RAW_FORM.has(runBase)) return optionalChainOrValue(node, celForm, 1);
    const keys: string[] = steps.reverse().map((st) => st.args[1] as string);
    const n = keys.length;
    const argNode = macro.arg;
    // a literal default (`orValue(false)`) and an iteration variable base are read in place (their units charged with the chain's: nothing can be observed between)
    const constant = argNode.op === 'value' && plainNode(argNode) && isPrimitive(argNode.args);
    const d = argNode.args as unknown;
    const arg = constant ? undefined : asRawBody(rawChild(argNode, scope));
    const iterName = base.op === 'id' && plainNode(base) && typeof base.args === 'string' && scope.raw.has(base.args) ? (base.args as string) : undefined;
    const units = n + 1 + (iterName !== undefined ? 1 : 0);
    return rawForm(made(rawChain, units, runBase, iterName, base, keys, arg, d));
  }
  const q = quantifierShape(node);
  if (q !== undefined) {
    const iterable = rawChild(q.args.iterable, scope);
    const name = q.args.iterVarName as string;
    if (RAW_FORM.has(iterable) && q.dynIter && typeof name === 'string') {
      try {
        return quantifierBody(q, iterable, lifted(rawChild(q.predicate, scopeWith(scope, name, true))), 1, true);
      } catch (err) {
        if (!(err instanceof NotRaw)) throw err;
      }
    }
    return quantifierBody(q, lifted(iterable), lifted(rawChild(q.predicate, scopeWith(scope, name, false))), 1, false);
  }
  if (op === 'call' && node.args?.[0] === 'has') {
    const arg = macro?.args?.[0];
    const cel = hasField(node, 1, celForm);
    if (cel === undefined) return undefined;
    const operand = rawChild(arg.args[0], scope);
    if (!RAW_FORM.has(operand)) return cel;
    const key = arg.args[1] as string;
    return made(rawHasBody, operand, key, macro, arg.args[0]);
  }
  if (!plainNode(node)) return undefined;
  switch (op) {
    case 'id': {
      const name = node.args;
      if (typeof name !== 'string') return undefined;
      if (scope.raw.has(name)) return rawForm(composeShape(node, 1, celForm)!);
      if (scope.roots.has(name) && name !== 'variables' && !scope.bound.has(name)) {
        return rawForm(made(rawRootBody, rawKey(name)));
      }
      break;
    }
    case '.': {
      const base = node.args[0];
      const key = node.args[1];
      const handle = node.handle as ((l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown) | undefined;
      if (typeof key !== 'string' || typeof handle !== 'function' || base?.checkedType?.kind !== 'dyn') return undefined;
      if (base.op === 'id' && base.args === 'variables' && scope.roots.has('variables') && !scope.bound.has('variables') && plainNode(base)) {
        return rawForm(made(rawVariableBody, key));
      }
      const b = rawChild(base, scope);
      if (!RAW_FORM.has(b)) break;
      return rawForm(made(rawFieldBody, b, key, handle, node));
    }
    case '?:': {
      if (!Array.isArray(node.args) || node.args.length !== 3 || typeof node.handle !== 'function') return undefined;
      const [condNode, leftNode, rightNode] = node.args as [Any, Any, Any];
      const l = rawChild(leftNode, scope);
      const r = rawChild(rightNode, scope);
      if (!RAW_FORM.has(l) && !RAW_FORM.has(r)) break;
      const c = celForm(condNode);
      const lr = asRawBody(l);
      const rr = asRawBody(r);
      return rawForm(made(rawConditionalBody, c, lr, rr, node.handle, node));
    }
    case 'list': {
      if (!Array.isArray(node.args) || node.args.length === 0) break;
      const parts = (node.args as Any[]).map((e) => rawChild(e, scope));
      if (!parts.some((b) => RAW_FORM.has(b))) break;
      const elements = parts.map(asRawBody);
      return rawForm(made(rawListBody, elements));
    }
    case '+': {
      if (!Array.isArray(node.args) || node.args.length !== 2 || typeof node.handle !== 'function') return undefined;
      const l = rawChild(node.args[0], scope);
      const r = rawChild(node.args[1], scope);
      if (!RAW_FORM.has(l) && !RAW_FORM.has(r)) break;
      return rawForm(made(rawConcatBody, l, r, RAW_FORM.has(l), RAW_FORM.has(r), node.handle, node));
    }
    case '!_': {
      const handle = node.handle as ((v: unknown, ast: unknown, ev: unknown) => unknown) | undefined;
      if (typeof handle !== 'function' || Array.isArray(node.args)) return undefined;
      const a = rawChild(node.args, scope);
      return made(rawNotBody, a, RAW_FORM.has(a), handle, node);
    }
    case '&&':
    case '||': {
      if (!Array.isArray(node.args) || node.args.length !== 2) return undefined;
      const [leftNode, rightNode] = node.args as [Any, Any];
      const l = rawChild(leftNode, scope);
      const r = rawChild(rightNode, scope);
      return made(rawLogicalBody, l, r, RAW_FORM.has(l), RAW_FORM.has(r), op === '||', node);
    }
    default:
      break;
  }
  if (BINARY.has(op) && Array.isArray(node.args) && node.args.length === 2 && typeof node.handle === 'function') {
    const handle = node.handle as (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown;
    const l = rawChild(node.args[0], scope);
    const lr = RAW_FORM.has(l);
    if (op === 'in' && inConstantList(node, celChild, 1) !== undefined) {
      const values = (node.args[1].args as Any[]).map((e: Any) => e.args as unknown);
      const strings = values.every((v: unknown) => typeof v === 'string');
      return made(rawInConstantsBody, l, lr, values, strings, handle, node);
    }
    const r = rawChild(node.args[1], scope);
    const rr = RAW_FORM.has(r);
    if (op === '==' || op === '!=') {
      // (the comparison fast path of the handle, in place: strings, bools and ints are their own CEL values)
      return made(rawEqualityBody, l, r, lr, rr, op === '!=', handle, node);
    }
    if (op === 'in') {
      // `key in map` on a plain object (raw or CEL form: the same own keys) answers as cel-js's mapIncludes
      return made(rawInBody, l, r, lr, rr, handle, node);
    }
    return made(rawBinaryBody, l, r, lr, rr, handle, node);
  }
  return composeShape(node, 1, celForm);
}


/**
 * The raw-mode evaluation of a whole expression and whether its value is raw-form (lift() gives
 * the CEL value), or undefined when the root is left to cel-js. Call after installFastPaths.
 */
export function composedRawRoot(root: unknown): RawRoot | undefined {
  return rawRoots.get(root as object) ?? undefined;
}

type RawRoot = { body: (ev: unknown, ctx: unknown) => unknown; raw: boolean };
const rawRoots = new WeakMap<object, RawRoot | null>();

/** Whether raw-mode expressions are written out as one function (raw-codegen.ts) or kept as closures (for tests comparing both). */
export const rawWriting = { enabled: true };

function makeRawRoot(root: unknown, rawVariables: readonly string[]): RawRoot | undefined {
  const roots = new Set(rawVariables);
  const none = new Set<string>();
  try {
    const b = composeRaw(root, { roots, raw: none, bound: none, key: scopeKey(roots, none, none) });
    if (b === undefined) return undefined;
    return { body: (rawWriting.enabled ? writtenOut(b, (x) => MADE.get(x), LIB) : undefined) ?? b, raw: RAW_FORM.has(b) };
  } catch (err) {
    if (err instanceof NotRaw) return undefined;
    throw err;
  }
}

/** The raw-mode body of `base.?k1.?k2….orValue(d)` (see composeRawShape); `iterName`: the base is that iteration variable, read in place; `arg` undefined: `d` is the literal default. */
function rawChain(
  lib: Lib,
  units: number,
  runBase: Body,
  iterName: string | undefined,
  base: Any,
  keys: string[],
  arg: Body | undefined,
  d: unknown,
): Body {
  const { charge, chargeNodes, rawElement } = lib;
  const n = keys.length;
  return (ev, ctx) => {
    chargeNodes(units);
    let v: unknown = iterName === undefined ? runBase(ev, ctx) : ctx.iterVar === iterName ? ctx.iterValue : ctx.getCheckedValue(ev, base);
    for (let i = 0; i < n && v !== undefined; i++) {
      // a raw-form container with fields is a plain object; null, strings, numbers, bools and lists have none (cel-js: an empty optional)
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const key = keys[i]!;
        const x = (v as Record<string, unknown>)[key];
        v = x === undefined || !Object.hasOwn(v, key) ? undefined : typeof x === 'string' || typeof x === 'boolean' ? x : rawElement(x);
      } else v = undefined;
    }
    if (v !== undefined) return v;
    if (arg !== undefined) return arg(ev, ctx);
    charge(1);
    return d;
  };
}

/*
 * Body factories: the closures of the node kinds raw-codegen.ts writes out, each made by a named
 * function from its arguments (the module's helpers come in as `lib`), so that what a body was
 * made from can be recorded (MADE) and a raw-mode root written out as one function, statement for
 * statement these closures. The closures remain what the written-out code is checked against, and
 * what runs where it is not written out (CEL mode, very large expressions, no code generation).
 */

/** What the body factories use of this module. */
const LIB = { charge, chargeNodes, lift, asRaw, rawElement, plainValue, fielded, isPlainMap, mapHas, tryBody, replay, DEOPT, RAW_VALUES, RAW_VARIABLE };
type Lib = typeof LIB;

/** What each body was made from (factory name and arguments): raw-codegen.ts writes a whole expression out from these. */
const MADE = new WeakMap<Body, MadeBody>();

/** The body `factory` makes from `args`, recorded in MADE. */
function made<A extends unknown[]>(factory: (lib: Lib, ...args: A) => Body, ...args: A): Body {
  const b = factory(LIB, ...args);
  MADE.set(b, { kind: factory.name, args });
  return b;
}

/** A literal. */
function valueBody(lib: Lib, own: number, v: unknown): Body {
  const { charge } = lib;
  return () => {
    charge(own);
    return v;
  };
}

/** An identifier (a variable, or an iteration variable in scope). */
function idBody(lib: Lib, own: number, node: Any): Body {
  const { charge } = lib;
  return (ev, ctx) => {
    charge(own);
    return ctx.getCheckedValue(ev, node);
  };
}

function liftedBody(lib: Lib, b: Body): Body {
  const { lift } = lib;
  return (ev, ctx) => lift(b(ev, ctx));
}

function asRawBodyOf(lib: Lib, b: Body): Body {
  const { asRaw } = lib;
  return (ev, ctx) => asRaw(b(ev, ctx));
}

/** A raw root variable (`object`), read unconverted under its rawKey. */
function rawRootBody(lib: Lib, k: symbol): Body {
  const { charge, rawElement, DEOPT } = lib;
  return (_ev, ctx) => {
    charge(1);
    const v = ctx.getValue(k);
    if (v === undefined) throw DEOPT;
    return rawElement(v);
  };
}

/** `variables.<key>` in raw form: the values given out already, else the variables' RAW_VARIABLE method. */
function rawVariableBody(lib: Lib, key: string): Body {
  const { chargeNodes, DEOPT, RAW_VALUES, RAW_VARIABLE } = lib;
  return (_ev, ctx) => {
    chargeNodes(2); // the selection and the identifier
    const m = ctx.getValue('variables');
    const known = m?.[RAW_VALUES];
    if (known !== undefined) {
      const v = known[key];
      if (v !== undefined) return v;
    }
    const get = m?.[RAW_VARIABLE];
    if (typeof get !== 'function') throw DEOPT;
    return get.call(m, key);
  };
}

/** `x.key` on a raw-form operand: an own field read in place, anything else cel-js's selection of the converted operand. */
function rawFieldBody(lib: Lib, b: Body, key: string, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, fielded, rawElement, asRaw, lift } = lib;
  return (ev, ctx) => {
    charge(1);
    const v = b(ev, ctx);
    if (fielded(v) && Object.hasOwn(v, key)) {
      const next = v[key];
      if (next !== undefined) return rawElement(next);
    }
    return asRaw(handle(lift(v), key, node, ev));
  };
}

/** `has(x.key)` on a raw-form operand. */
function rawHasBody(lib: Lib, operand: Body, key: string, macro: Any, operandNode: Any): Body {
  const { charge, fielded, replay, lift } = lib;
  const generic = macro.evaluate as Evaluate;
  return (ev, ctx) => {
    charge(1);
    const v = operand(ev, ctx);
    if (fielded(v)) {
      if (Object.hasOwn(v, key)) return v[key] !== undefined;
      // absent from a plain object: not a field, whatever Object.prototype has (the macro's answer)
      if (Object.getPrototypeOf(v) === Object.prototype) return false;
    }
    return replay(ev, macro, ctx, generic, new Map([[operandNode, lift(v)]]));
  };
}

/** `c ? l : r` with raw-form branches (`lr`, `rr`). */
function rawConditionalBody(lib: Lib, c: Body, lr: Body, rr: Body, handle: (c: unknown, ev: unknown, ast: unknown, ctx: unknown) => unknown, node: Any): Body {
  const { charge } = lib;
  return (ev, ctx) => {
    charge(1);
    const cv = c(ev, ctx);
    if (cv === true) return lr(ev, ctx);
    if (cv === false) return rr(ev, ctx);
    return handle(cv, ev, node, ctx);
  };
}

/** A list literal of raw-form elements. */
function rawListBody(lib: Lib, elements: Body[]): Body {
  const { charge } = lib;
  const n = elements.length;
  return (ev, ctx) => {
    charge(1);
    const out = new Array<unknown>(n);
    for (let i = n - 1; i >= 0; i--) out[i] = elements[i]!(ev, ctx); // cel-js evaluates the last first
    return out;
  };
}

/** `l + r` with a raw-form operand. */
function rawConcatBody(lib: Lib, l: Body, r: Body, lRaw: boolean, rRaw: boolean, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, asRaw, lift } = lib;
  return (ev, ctx) => {
    charge(1);
    const lv = l(ev, ctx);
    const rv = r(ev, ctx);
    // list + list with one side empty: the other side's elements (as the CEL-mode fast path)
    if (Array.isArray(lv) && Array.isArray(rv) && (lv.length === 0 || rv.length === 0)) return [...(lRaw ? lv : (asRaw(lv) as unknown[])), ...(rRaw ? rv : (asRaw(rv) as unknown[]))];
    return asRaw(handle(lRaw ? lift(lv) : lv, rRaw ? lift(rv) : rv, node, ev));
  };
}

/** `!a`; `ar`: a is raw-form. */
function rawNotBody(lib: Lib, a: Body, ar: boolean, handle: (v: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, lift } = lib;
  return (ev, ctx) => {
    charge(1);
    const v = a(ev, ctx);
    return typeof v === 'boolean' ? !v : handle(ar ? lift(v) : v, node, ev);
  };
}

/** `l && r` / `l || r` (`decides`: the left value that decides without the right, true for ||). */
function rawLogicalBody(lib: Lib, l: Body, r: Body, lr: boolean, rr: boolean, decides: boolean, node: Any): Body {
  const { charge, tryBody, replay, lift } = lib;
  const [leftNode, rightNode] = node.args as [Any, Any];
  const generic = node.meta.evaluate as Evaluate;
  return (ev, ctx) => {
    charge(1);
    const lv = tryBody(l, ev, ctx);
    if (lv === decides) return decides;
    const rv = r(ev, ctx);
    if (lv === !decides && typeof rv === 'boolean') return rv;
    if (rv === decides) return decides;
    return replay(ev, node, ctx, generic, new Map([[leftNode, lr && !(lv instanceof Error) ? lift(lv) : lv], [rightNode, rr ? lift(rv) : rv]]));
  };
}

/** `x in [constants]` (the list's nodes charged, the list not built unless cel-js needs it). */
function rawInConstantsBody(lib: Lib, l: Body, lr: boolean, values: unknown[], strings: boolean, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, chargeNodes, lift } = lib;
  const n = 1 + values.length;
  return (ev, ctx) => {
    charge(1);
    const lv = l(ev, ctx);
    chargeNodes(n);
    if (strings && typeof lv === 'string') return values.includes(lv);
    return handle(lr ? lift(lv) : lv, values.slice(), node, ev);
  };
}

/** `l == r` / `l != r` (`ne`): strings, bools and ints compared in place (they are their own CEL values). */
function rawEqualityBody(lib: Lib, l: Body, r: Body, lr: boolean, rr: boolean, ne: boolean, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, lift } = lib;
  return (ev, ctx) => {
    charge(1);
    const lv = l(ev, ctx);
    const rv = r(ev, ctx);
    const t = typeof lv;
    if (t === typeof rv && (t === 'string' || t === 'boolean' || t === 'bigint')) return (lv === rv) !== ne;
    return handle(lr ? lift(lv) : lv, rr ? lift(rv) : rv, node, ev);
  };
}

/** `key in map` on a plain object (raw or CEL form: the same own keys), as cel-js's mapIncludes. */
function rawInBody(lib: Lib, l: Body, r: Body, lr: boolean, rr: boolean, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, lift, isPlainMap, mapHas } = lib;
  return (ev, ctx) => {
    charge(1);
    const lv = l(ev, ctx);
    const rv = r(ev, ctx);
    if (typeof lv === 'string' && isPlainMap(rv)) return mapHas(rv, lv);
    return handle(lr ? lift(lv) : lv, rr ? lift(rv) : rv, node, ev);
  };
}

/** Any other binary operator: cel-js's handle on the converted operands. */
function rawBinaryBody(lib: Lib, l: Body, r: Body, lr: boolean, rr: boolean, handle: (l: unknown, r: unknown, ast: unknown, ev: unknown) => unknown, node: Any): Body {
  const { charge, lift } = lib;
  return (ev, ctx) => {
    charge(1);
    const lv = l(ev, ctx);
    const rv = r(ev, ctx);
    return handle(lr ? lift(lv) : lv, rr ? lift(rv) : rv, node, ev);
  };
}
