/**
 * ext.TwoVarComprehensions (Kubernetes 1.32+): all/exists/existsOne(i, v, p), transformList,
 * transformMap, transformMapEntry; and ext.Lists v3's sortBy(e, key). Registered as cel-js
 * macros (ast arguments) with their own type check and evaluation.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celCompare } from './common.ts';

/* cel-js's checker, evaluator, context and AST node are untyped in its public declarations. */
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function identName(node: Any, what: string): string {
  if (node.op !== 'id') throw new Error(`${what}: the iteration variable must be a simple identifier`);
  return node.args as string;
}

/** The (first, second) variable types of iterating over `type`: list → (int, elem), map → (key, value). */
function iterTypes(checker: Any, type: Any): [Any, Any] {
  const dyn = checker.getType('dyn');
  if (type.kind === 'list') return [checker.getType('int'), type.valueType ?? dyn];
  if (type.kind === 'map') return [type.keyType ?? dyn, type.valueType ?? dyn];
  if (type.kind === 'dyn') return [dyn, dyn];
  throw checker.createError('invalid_macro_argument', `expression of type '${type}' cannot be the range of a comprehension (must be list, map, or dynamic)`, type);
}

function* pairs(range: unknown): Generator<[unknown, unknown]> {
  if (Array.isArray(range)) {
    for (let i = 0; i < range.length; i++) yield [BigInt(i), range[i]];
  } else if (range instanceof Map) {
    yield* range.entries();
  } else if (range !== null && typeof range === 'object') {
    yield* Object.entries(range);
  } else {
    throw new Error('no such overload: comprehension over a non-aggregate');
  }
}

interface Macro {
  receiver: Any;
  vars: [string, string];
  args: Any[];
  types?: [Any, Any];
}

function forkCheck(ctx: Any, m: Macro): Any {
  return ctx.forkWithVariable(m.vars[0], m.types![0]).forkWithVariable(m.vars[1], m.types![1]);
}

function bind(ev: Any, ctx: Any, m: Macro, a: unknown, b: unknown): Any {
  return ctx.forkWithVariable(m.vars[0], m.types![0]).setIterValue(a, ev).forkWithVariable(m.vars[1], m.types![1]).setIterValue(b, ev);
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

function register(env: Environment, name: string, kind: Kind, nargs: number, resultType: string): void {
  const sig = `${kind === 'all' || kind === 'exists' || kind === 'existsOne' ? 'list' : 'list'}.${name}(${Array(nargs).fill('ast').join(', ')}): ${resultType}`;
  const handler = ({ args, receiver }: Any): Any => {
    const m: Macro = { receiver, vars: [identName(args[0], name), identName(args[1], name)], args: args.slice(2) };
    return {
      async: false,
      typeCheck(checker: Any, _macro: Any, ctx: Any): Any {
        m.types = iterTypes(checker, checker.check(receiver, ctx));
        const inner = forkCheck(ctx, m);
        const types = m.args.map((a) => checker.check(a, inner));
        const boolType = checker.getType('bool');
        if ((kind === 'all' || kind === 'exists' || kind === 'existsOne' || nargs === 5) && types[0].name !== 'bool' && types[0].name !== 'dyn') {
          throw checker.createError('invalid_macro_argument', `${name}() predicate must return bool, got '${types[0]}'`, m.args[0]);
        }
        const last = types[types.length - 1];
        if (kind === 'transformList') return checker.registry.getListType(last);
        if (kind === 'transformMap') return checker.registry.getMapType(m.types[0], last);
        if (kind === 'transformMapEntry') {
          if (last.kind !== 'map' && last.kind !== 'dyn') throw checker.createError('invalid_macro_argument', `transformMapEntry() must produce a map, got '${last}'`, m.args[m.args.length - 1]);
          return last.kind === 'map' ? last : checker.getType('map');
        }
        return boolType;
      },
      evaluate(ev: Any, _macro: Any, ctx: Any): unknown {
        return evaluate(ev, ctx, m, kind);
      },
    };
  };
  for (const recv of ['list', 'map']) {
    env.registerFunction(sig.replace(/^list\./, `${recv}.`), handler as never);
  }
}

function evaluate(ev: Any, ctx: Any, m: Macro, kind: Kind): unknown {
  const range = ev.run(m.receiver, ctx);
  let firstError: unknown;
  let count = 0;
  const list: unknown[] = [];
  const map = new Map<unknown, unknown>();
  for (const [a, b] of pairs(range)) {
    const inner = bind(ev, ctx, m, a, b);
    if (kind === 'all' || kind === 'exists') {
      let r: unknown;
      try {
        r = ev.run(m.args[0], inner);
      } catch (err) {
        firstError ??= err;
        continue;
      }
      if (kind === 'all' && r === false) return false;
      if (kind === 'exists' && r === true) return true;
      continue;
    }
    if (kind === 'existsOne') {
      if (ev.run(m.args[0], inner) === true) count++;
      continue;
    }
    if (m.args.length === 2 && ev.run(m.args[0], inner) !== true) continue;
    const value = ev.run(m.args[m.args.length - 1], inner);
    if (kind === 'transformList') list.push(value);
    else if (kind === 'transformMap') map.set(typeof a === 'bigint' || typeof a === 'string' ? a : a, value);
    else {
      for (const [k, v] of pairs(value)) {
        if ([...map.keys()].some((x) => x === k)) throw new Error(`insert failed: key ${String(k)} already exists`);
        map.set(k, v);
      }
    }
  }
  if (firstError !== undefined) throw firstError;
  switch (kind) {
    case 'all':
      return true;
    case 'exists':
      return false;
    case 'existsOne':
      return count === 1;
    case 'transformList':
      return list;
    default:
      return map;
  }
}

function registerSortBy(env: Environment): void {
  env.registerFunction('list.sortBy(ast, ast): list<dyn>', (({ args, receiver }: Any): Any => {
    const varName = identName(args[0], 'sortBy');
    let varType: Any;
    return {
      async: false,
      typeCheck(checker: Any, _macro: Any, ctx: Any): Any {
        const t = checker.check(receiver, ctx);
        varType = t.valueType ?? checker.getType('dyn');
        checker.check(args[1], ctx.forkWithVariable(varName, varType));
        return t.kind === 'list' ? t : checker.registry.getListType(checker.getType('dyn'));
      },
      evaluate(ev: Any, _macro: Any, ctx: Any): unknown {
        const list = ev.run(receiver, ctx) as unknown[];
        const keyed = list.map((e) => [ev.run(args[1], ctx.forkWithVariable(varName, varType).setIterValue(e, ev)), e] as const);
        keyed.sort((x, y) => celCompare(x[0], y[0]));
        return keyed.map((k) => k[1]);
      },
    };
  }) as never);
}

export function registerComprehensions(env: Environment): void {
  register(env, 'all', 'all', 3, 'bool');
  register(env, 'exists', 'exists', 3, 'bool');
  register(env, 'existsOne', 'existsOne', 3, 'bool');
  register(env, 'exists_one', 'existsOne', 3, 'bool');
  register(env, 'transformList', 'transformList', 3, 'list<dyn>');
  register(env, 'transformList', 'transformList', 4, 'list<dyn>');
  register(env, 'transformMap', 'transformMap', 3, 'map<dyn, dyn>');
  register(env, 'transformMap', 'transformMap', 4, 'map<dyn, dyn>');
  register(env, 'transformMapEntry', 'transformMapEntry', 3, 'map<dyn, dyn>');
  register(env, 'transformMapEntry', 'transformMapEntry', 4, 'map<dyn, dyn>');
  registerSortBy(env);
}
