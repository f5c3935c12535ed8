/**
 * Passes over a parsed cel-js AST before type checking, as Kubernetes' environment adds them:
 * renaming the built-ins whose cel-js semantics differ from cel-go to the Kubernetes versions,
 * and the compile-time validators of literals (regex patterns, duration and timestamp strings)
 * that Kubernetes enables from 1.29. Throws an Error (a compile error) for an invalid literal.
 */
import { RENAMED_FUNCTIONS } from './k8s/strings.ts';
import { compileRegex } from './k8s/regex.ts';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const REGEX_FUNCTIONS = new Set(['matches', 'find', 'findAll']);
const DURATION = /^-?(\d+(\.\d*)?|\.\d+)(h|m|s|ms|us|µs|ns)((\d+(\.\d*)?|\.\d+)(h|m|s|ms|us|µs|ns))*$|^0$/;

function literalString(node: Any): string | undefined {
  return node?.op === 'value' && typeof node.args === 'string' ? node.args : undefined;
}

function checkTimestamp(s: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  const ok = m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31 && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
  if (!ok) throw new Error(`timestamp validation failed: invalid timestamp "${s}"`);
}

function checkLiteralCall(name: string, args: Any[]): void {
  if (REGEX_FUNCTIONS.has(name)) {
    const pattern = literalString(args[0]);
    if (pattern !== undefined) {
      try {
        compileRegex(pattern);
      } catch (err) {
        throw new Error(`invalid ${name} argument: ${(err as Error).message}`);
      }
    }
  }
  if (name === 'duration') {
    const d = literalString(args[0]);
    if (d !== undefined && !DURATION.test(d)) throw new Error(`duration validation failed: invalid duration "${d}"`);
  }
  if (name === 'timestamp') {
    const t = literalString(args[0]);
    if (t !== undefined) checkTimestamp(t);
    const a = args[0];
    const n = a?.op === 'value' && typeof a.args === 'bigint' ? (a.args as bigint) : a?.op === '-_' && a.args?.op === 'value' && typeof a.args.args === 'bigint' ? -(a.args.args as bigint) : undefined;
    if (n !== undefined && (n < -62135596800n || n > 253402300799n)) throw new Error(`timestamp validation failed: timestamp ${n} out of range`);
  }
}

/**
 * Rewrites and validates the tree in place. `dynNull` makes a `dyn(null)` node: cel-go accepts
 * `cond ? 'text' : null` (null is assignable to any type), cel-js wants equal branch types, so a
 * null branch of a conditional becomes dyn(null).
 */
export function prepareAst(root: unknown, dynNull?: () => unknown): void {
  const seen = new Set<unknown>();
  const visit = (node: Any): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if (typeof node.op !== 'string') return;
    if (node.op === 'rcall') {
      const [name, receiver, args] = node.args as [string, Any, Any[]];
      // cel-js always has cel.bind; Kubernetes never enables ext.Bindings.
      if (name === 'bind' && receiver?.op === 'id' && receiver.args === 'cel') throw new Error("undeclared reference to 'cel.bind'");
      if (COMPREHENSIONS.has(name) && isEmptyLiteral(receiver)) checkAsDyn(receiver);
      if (selectsFromEmpty(receiver)) checkAsDyn(receiver.args[0]);
      if (name === 'format') for (const a of args) heterogeneousLiterals(a);
      const renamed = RENAMED_FUNCTIONS[name];
      if (renamed !== undefined) node.args[0] = renamed;
      checkLiteralCall(name, args);
      visit(receiver);
      visit(args);
    } else if (node.op === 'call') {
      const [name, args] = node.args as [string, Any[]];
      if (name === 'matches' && args.length === 2) node.args[0] = RENAMED_FUNCTIONS[name];
      if (name === 'has' && node.meta?.macro !== undefined && args.length === 1) node.meta.macro = hasMacro(args[0]);
      checkLiteralCall(name, args);
      visit(args);
    } else if (Array.isArray(node.args)) {
      if (SELECTIONS.has(node.op) && isOptionalNone(node.args[0])) checkAsDyn(node.args[0]);
      if (SELECTIONS.has(node.op) && selectsFromEmpty(node.args[0])) checkAsDyn(node.args[0].args[0]);
      if (node.op === '?:' && dynNull !== undefined) {
        for (const i of [1, 2]) if (node.args[i]?.op === 'value' && node.args[i].args === null) node.args[i] = dynNull();
      }
      for (const a of node.args) visit(a);
    } else if (node.args !== null && typeof node.args === 'object') {
      visit(node.args);
    }
    const meta = node.meta;
    if (meta?.alternate) visit(meta.alternate);
  };
  visit(root);
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter', 'transformList', 'transformMap', 'transformMapEntry', 'sortBy']);
const SELECTIONS = new Set(['.', '.?', '[]', '[?]']);

function isEmptyLiteral(node: Any): boolean {
  return (node?.op === 'list' || node?.op === 'map') && Array.isArray(node.args) && node.args.length === 0;
}

/** `{}.?k`, `[][?0]` …: a selection from an empty literal (its result then selected from or called on: see checkAsDyn). */
function selectsFromEmpty(node: Any): boolean {
  return SELECTIONS.has(node?.op) && Array.isArray(node.args) && isEmptyLiteral(node.args[0]);
}

function isOptionalNone(node: Any): boolean {
  return node?.op === 'rcall' && node.args[0] === 'none' && node.args[1]?.op === 'id' && node.args[1].args === 'optional' && node.args[2]?.length === 0;
}

/**
 * The node type-checks as dyn (after its own check, which sets up its evaluation). cel-go types
 * `[]`, `{}` and `optional.none()` with free type parameters that later uses bind; cel-js leaves
 * them unbound, so selecting from or iterating over them fails to compile ("Cannot index type
 * 'undefined'", overlapping overloads for `e > 0` over `[]`). Used where that happens and dyn gives
 * cel-go's result: `optional.none()` selected from, an empty literal iterated over, or selected
 * from when that result is selected from or called on again (`{}.?k` alone keeps its type, so
 * `[?{}.?k, ?optional.of(1)]` stays a list<int>).
 */
function checkAsDyn(node: Any): void {
  const own = node.meta.check as (chk: Any, ast: Any, ctx: Any) => unknown;
  node.setMeta('check', (chk: Any, ast: Any, ctx: Any) => (own(chk, ast, ctx), chk.getType('dyn')));
}

/**
 * List and map literals in string.format() arguments may mix element types: Kubernetes'
 * homogeneous-literal validator exempts them. Their elements are checked one by one and the
 * literal is list<dyn> / map<dyn, dyn>.
 */
function heterogeneousLiterals(node: Any): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) heterogeneousLiterals(x);
    return;
  }
  if (typeof node.op !== 'string') return;
  if ((node.op === 'list' || node.op === 'map') && Array.isArray(node.args) && node.args.length > 0) {
    const list = node.op === 'list';
    node.setMeta('check', (chk: Any, ast: Any, ctx: Any) => {
      for (const e of ast.args) {
        if (list) chk.check(e, ctx);
        else {
          chk.check(e[0], ctx);
          chk.check(e[1], ctx);
        }
      }
      return chk.getType(list ? 'list<dyn>' : 'map<dyn, dyn>');
    });
  }
  if (node.meta?.alternate === undefined && node.meta?.macro === undefined) heterogeneousLiterals(node.args);
}

/**
 * has(e.f) for any operand e, as cel-go allows (cel-js accepts only identifier chains): true when
 * e is a map holding key f or an object with field f; an optional operand (e.?x.f) that is empty
 * gives false.
 */
function hasMacro(arg: Any): Any {
  if (arg.op !== '.' && arg.op !== '.?') throw new Error('invalid argument to has() macro');
  const operand = arg.args[0];
  const field = arg.args[1] as string;
  return {
    args: [arg],
    async: false,
    typeCheck(checker: Any, _m: Any, ctx: Any): Any {
      const t = checker.check(operand, ctx);
      if (!['map', 'dyn', 'optional', 'message'].includes(t.kind) && t.name !== 'dyn') throw checker.createError('invalid_macro_argument', `has() cannot select field '${field}' on type '${t}'`, arg);
      return checker.getType('bool');
    },
    evaluate(ev: Any, _m: Any, ctx: Any): boolean {
      let v = ev.run(operand, ctx);
      if (v !== null && typeof v === 'object' && typeof v.hasValue === 'function' && typeof v.orValue === 'function') {
        if (!v.hasValue()) return false;
        v = v.value();
      }
      if (v === null) return false; // has(params.x) with null params is false in the API server
      if (v instanceof Map) return v.has(field);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        if (Object.hasOwn(v, field)) return v[field] !== undefined;
        // a map (a plain object) has its own keys only: `toString` or `constructor` is no field of it
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto === Object.prototype || proto === null) return false;
        return field in v && v[field] !== undefined; // an object type's fields may be inherited accessors
      }
      throw new Error(`no such overload: has() on ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}`);
    },
  };
}

/** Error text with the renamed functions under their CEL names again. */
export function unrenamed(message: string): string {
  return message.replace(/\bk8s_(\w+)/g, '$1');
}
