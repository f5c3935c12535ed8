/**
 * A raw-mode expression (src/policy/fastpath.ts) written out as one JavaScript function. A
 * composed expression is a tree of closures, one per node, each calling its children's; here the
 * tree is written as one function body, each known child's statements in place of the call to its
 * closure. The statements are the closures' own, in the same order (the same checks, the same
 * charges, the same helpers and cel-js handles on the slow paths, the same try/catch where a
 * closure catches), so value, error and cost are the closures'. What it saves is the calls between
 * them and the loads of their captured state: a policy's predicate is one straight piece of code.
 * A body whose factory is not listed here is called as the closure it is. Only values the code
 * needs at run time go in (as captured constants); nothing from the expression becomes source text
 * except numbers of its own.
 */

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Body = (ev: Any, ctx: Any) => unknown;

/** How a body was made: its factory's name and the arguments after `lib` (fastpath.ts's `made`). */
export interface MadeBody {
  kind: string;
  args: unknown[];
}

/** Larger expressions keep their closures (one very large function would not be optimized well). */
const MAX_SOURCE = 60_000;

class Writer {
  readonly lines: string[] = [];
  readonly constants: unknown[] = [];
  private readonly constantIds = new Map<unknown, string>();
  private n = 0;
  readonly describe: (b: Body) => MadeBody | undefined;
  constructor(describe: (b: Body) => MadeBody | undefined) {
    this.describe = describe;
  }

  /** A name for a run-time value (captured, not written into the source); objects and strings named once (not numbers: 0 and -0 are one Map key). */
  k(v: unknown): string {
    const shared = typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null);
    let name = shared ? this.constantIds.get(v) : undefined;
    if (name === undefined) {
      name = `k${this.constants.push(v) - 1}`;
      if (shared) this.constantIds.set(v, name);
    }
    return name;
  }

  tmp(): string {
    return `t${this.n++}`;
  }

  line(s: string): void {
    this.lines.push(s);
  }

  /** Writes the statements of body `b` evaluated in context `ctx`; returns the variable holding its value. */
  body(b: Body, ctx: string): string {
    const m = this.describe(b);
    const write = m === undefined || !Object.hasOwn(WRITERS, m.kind) ? undefined : WRITERS[m.kind];
    if (m === undefined || write === undefined) {
      const t = this.tmp();
      this.line(`const ${t} = ${this.k(b)}(ev, ${ctx});`);
      return t;
    }
    return write(this, m.args, ctx);
  }
}

/** A body argument that cannot be written as expected: the expression keeps its closures. */
class NotWritable extends Error {}

function int(n: unknown): string {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new NotWritable(`not an integer: ${String(n)}`);
  return String(n);
}

function bool(b: unknown): string {
  return b === true ? 'true' : 'false';
}

type Write = (w: Writer, args: unknown[], ctx: string) => string;

/** A binary operator's unit and operands (left, then right), and its slow path: cel-js's handle on the CEL-form values. */
function binaryOperands(w: Writer, l: unknown, r: unknown, lr: unknown, rr: unknown, handle: unknown, node: unknown, ctx: string): [string, string, string] {
  w.line('charge(1);');
  const lv = w.body(l as Body, ctx);
  const rv = w.body(r as Body, ctx);
  return [lv, rv, `${w.k(handle)}(${lr === true ? `lift(${lv})` : lv}, ${rr === true ? `lift(${rv})` : rv}, ${w.k(node)}, ev)`];
}

/* One writer per factory of fastpath.ts, statement for statement its closure. */
const WRITERS: Record<string, Write> = {
  valueBody(w, [own, v]) {
    const t = w.tmp();
    w.line(`charge(${int(own)}); const ${t} = ${w.k(v)};`);
    return t;
  },
  idBody(w, [own, node], ctx) {
    const t = w.tmp();
    w.line(`charge(${int(own)}); const ${t} = ${ctx}.getCheckedValue(ev, ${w.k(node)});`);
    return t;
  },
  liftedBody(w, [b], ctx) {
    const v = w.body(b as Body, ctx);
    const t = w.tmp();
    w.line(`const ${t} = lift(${v});`);
    return t;
  },
  asRawBodyOf(w, [b], ctx) {
    const v = w.body(b as Body, ctx);
    const t = w.tmp();
    w.line(`const ${t} = asRaw(${v});`);
    return t;
  },
  rawRootBody(w, [k], ctx) {
    const t = w.tmp();
    w.line(`charge(1); let ${t} = ${ctx}.getValue(${w.k(k)}); if (${t} === undefined) throw DEOPT; ${t} = rawElement(${t});`);
    return t;
  },
  rawVariableBody(w, [key], ctx) {
    const t = w.tmp();
    const m = w.tmp();
    const known = w.tmp();
    const get = w.tmp();
    const k = w.k(key);
    w.line(`chargeNodes(2); let ${t}; const ${m} = ${ctx}.getValue('variables'); const ${known} = ${m}?.[RAW_VALUES];`);
    w.line(`if (${known} === undefined || (${t} = ${known}[${k}]) === undefined) { const ${get} = ${m}?.[RAW_VARIABLE]; if (typeof ${get} !== 'function') throw DEOPT; ${t} = ${get}.call(${m}, ${k}); }`);
    return t;
  },
  rawFieldBody(w, [b, key, handle, node], ctx) {
    w.line('charge(1);');
    const v = w.body(b as Body, ctx);
    const t = w.tmp();
    const k = w.k(key);
    w.line(`let ${t}; if (fielded(${v}) && Object.hasOwn(${v}, ${k}) && (${t} = ${v}[${k}]) !== undefined) ${t} = rawElement(${t}); else ${t} = asRaw(${w.k(handle)}(lift(${v}), ${k}, ${w.k(node)}, ev));`);
    return t;
  },
  rawHasBody(w, [operand, key, macro, operandNode], ctx) {
    w.line('charge(1);');
    const v = w.body(operand as Body, ctx);
    const t = w.tmp();
    const k = w.k(key);
    const generic = w.k((macro as Any).evaluate);
    w.line(`let ${t}; if (fielded(${v}) && Object.hasOwn(${v}, ${k})) ${t} = ${v}[${k}] !== undefined;`);
    w.line(`else if (fielded(${v}) && Object.getPrototypeOf(${v}) === Object.prototype) ${t} = false;`);
    w.line(`else ${t} = replay(ev, ${w.k(macro)}, ${ctx}, ${generic}, new Map([[${w.k(operandNode)}, lift(${v})]]));`);
    return t;
  },
  rawConditionalBody(w, [c, lr, rr, handle, node], ctx) {
    w.line('charge(1);');
    const cv = w.body(c as Body, ctx);
    const t = w.tmp();
    w.line(`let ${t}; if (${cv} === true) {`);
    w.line(`${t} = ${w.body(lr as Body, ctx)}; } else if (${cv} === false) {`);
    w.line(`${t} = ${w.body(rr as Body, ctx)}; } else ${t} = ${w.k(handle)}(${cv}, ev, ${w.k(node)}, ${ctx});`);
    return t;
  },
  rawListBody(w, [elements], ctx) {
    const parts = elements as Body[];
    const t = w.tmp();
    w.line(`charge(1); const ${t} = new Array(${int(parts.length)});`);
    for (let i = parts.length - 1; i >= 0; i--) w.line(`${t}[${i}] = ${w.body(parts[i]!, ctx)};`); // cel-js evaluates the last first
    return t;
  },
  rawConcatBody(w, [l, r, lRaw, rRaw, handle, node], ctx) {
    w.line('charge(1);');
    const lv = w.body(l as Body, ctx);
    const rv = w.body(r as Body, ctx);
    const t = w.tmp();
    const lList = lRaw === true ? lv : `asRaw(${lv})`;
    const rList = rRaw === true ? rv : `asRaw(${rv})`;
    w.line(`const ${t} = Array.isArray(${lv}) && Array.isArray(${rv}) && (${lv}.length === 0 || ${rv}.length === 0) ? [...${lList}, ...${rList}]`);
    w.line(`  : asRaw(${w.k(handle)}(${lRaw === true ? `lift(${lv})` : lv}, ${rRaw === true ? `lift(${rv})` : rv}, ${w.k(node)}, ev));`);
    return t;
  },
  rawNotBody(w, [a, ar, handle, node], ctx) {
    w.line('charge(1);');
    const v = w.body(a as Body, ctx);
    const t = w.tmp();
    w.line(`const ${t} = typeof ${v} === 'boolean' ? !${v} : ${w.k(handle)}(${ar === true ? `lift(${v})` : v}, ${w.k(node)}, ev);`);
    return t;
  },
  rawLogicalBody(w, [l, r, lr, rr, decides, node], ctx) {
    const n = node as Any;
    const [leftNode, rightNode] = n.args as [Any, Any];
    const d = bool(decides);
    const t = w.tmp();
    const lv = w.tmp();
    const label = w.tmp();
    w.line(`charge(1); let ${t}; let ${lv}; try {`);
    w.line(`${lv} = ${w.body(l as Body, ctx)};`);
    w.line(`} catch (err) { if (err === DEOPT) throw err; ${lv} = err; }`);
    w.line(`${label}: { if (${lv} === ${d}) { ${t} = ${d}; break ${label}; }`);
    const rv = w.body(r as Body, ctx);
    w.line(`if (${lv} === ${bool(decides !== true)} && typeof ${rv} === 'boolean') { ${t} = ${rv}; break ${label}; }`);
    w.line(`if (${rv} === ${d}) { ${t} = ${d}; break ${label}; }`);
    const left = lr === true ? `(${lv} instanceof Error ? ${lv} : lift(${lv}))` : lv;
    const right = rr === true ? `lift(${rv})` : rv;
    w.line(`${t} = replay(ev, ${w.k(node)}, ${ctx}, ${w.k(n.meta.evaluate)}, new Map([[${w.k(leftNode)}, ${left}], [${w.k(rightNode)}, ${right}]])); }`);
    return t;
  },
  rawInConstantsBody(w, [l, lr, values, strings, handle, node], ctx) {
    const list = values as unknown[];
    w.line('charge(1);');
    const v = w.body(l as Body, ctx);
    const t = w.tmp();
    const vs = w.k(list);
    w.line(`chargeNodes(${int(1 + list.length)});`);
    const test = strings === true ? `typeof ${v} === 'string' ? ${vs}.includes(${v}) : ` : '';
    w.line(`const ${t} = ${test}${w.k(handle)}(${lr === true ? `lift(${v})` : v}, ${vs}.slice(), ${w.k(node)}, ev);`);
    return t;
  },
  rawEqualityBody(w, [l, r, lr, rr, ne, handle, node], ctx) {
    const [lv, rv, call] = binaryOperands(w, l, r, lr, rr, handle, node, ctx);
    const t = w.tmp();
    const ty = w.tmp();
    w.line(`const ${ty} = typeof ${lv};`);
    w.line(`const ${t} = ${ty} === typeof ${rv} && (${ty} === 'string' || ${ty} === 'boolean' || ${ty} === 'bigint') ? (${lv} === ${rv}) !== ${bool(ne)}`);
    w.line(`  : ${call};`);
    return t;
  },
  rawInBody(w, [l, r, lr, rr, handle, node], ctx) {
    const [lv, rv, call] = binaryOperands(w, l, r, lr, rr, handle, node, ctx);
    const t = w.tmp();
    w.line(`const ${t} = typeof ${lv} === 'string' && isPlainMap(${rv}) ? mapHas(${rv}, ${lv})`);
    w.line(`  : ${call};`);
    return t;
  },
  rawBinaryBody(w, [l, r, lr, rr, handle, node], ctx) {
    const [, , call] = binaryOperands(w, l, r, lr, rr, handle, node, ctx);
    const t = w.tmp();
    w.line(`const ${t} = ${call};`);
    return t;
  },
  rawChain(w, [units, runBase, iterName, base, keys, arg, d], ctx) {
    const t = w.tmp();
    w.line(`chargeNodes(${int(units)});`);
    if (iterName === undefined) w.line(`let ${t} = ${w.body(runBase as Body, ctx)};`);
    else w.line(`let ${t} = ${ctx}.iterVar === ${w.k(iterName)} ? ${ctx}.iterValue : ${ctx}.getCheckedValue(ev, ${w.k(base)});`);
    // a raw-form container with fields is a plain object; null, strings, numbers, bools and lists have none (cel-js: an empty optional)
    const x = w.tmp();
    for (const key of keys as string[]) {
      const k = w.k(key);
      w.line(`if (${t} !== undefined) { if (${t} !== null && typeof ${t} === 'object' && !Array.isArray(${t})) { const ${x} = ${t}[${k}];`);
      w.line(`${t} = ${x} === undefined || !Object.hasOwn(${t}, ${k}) ? undefined : typeof ${x} === 'string' || typeof ${x} === 'boolean' ? ${x} : rawElement(${x}); } else ${t} = undefined; }`);
    }
    if (arg !== undefined) {
      w.line(`if (${t} === undefined) {`);
      w.line(`${t} = ${w.body(arg as Body, ctx)}; }`);
    } else w.line(`if (${t} === undefined) { charge(1); ${t} = ${w.k(d)}; }`);
    return t;
  },
  quantifierLoop(w, [iterable, pred, own, rawRange, comp, args, step, dynIter, whenTrue, whenFalse], ctx) {
    const a = args as Any;
    const raw = bool(rawRange);
    const [t, range, isList, c, items, ic, accu, error, i, item, p, stp, q, loop] = Array.from({ length: 14 }, () => w.tmp());
    const [kArgs, kCond, kResult, kInit, kComp, kStep] = [w.k(a), w.k(a.condition), w.k(a.result), w.k(a.init.args), w.k(comp), w.k(step)];
    w.line(`charge(${int(own)});`);
    w.line(`const ${range} = ${w.body(iterable as Body, ctx)};`);
    w.line(`let ${t}; ${q}: {`);
    // a map ranges over its keys (cel-js: Object.keys of a plain object, the keys of a Map)
    w.line(`const ${isList} = Array.isArray(${range}); const ${c} = !${isList} && ${range} !== null && typeof ${range} === 'object' ? ${range}.constructor : null;`);
    w.line(`const ${items} = ${isList} ? ${range} : ${c} === Object || ${c} === undefined ? Object.keys(${range}) : ${c} === Map && !${raw} ? [...${range}.keys()] : undefined;`);
    w.line(`const ${ic} = ${items} !== undefined ? ${kArgs}.iterCtx.reuse(${ctx}) : undefined;`);
    w.line(`if (${items} === undefined || ${ic} !== ${kArgs}.iterCtx) { ${t} = ${kComp}.handle(${raw} ? lift(${range}) : ${range}, ${kArgs}, ev, ${ctx}); break ${q}; }`);
    w.line(`const rawItems${i} = ${raw} && ${isList};`);
    w.line(`charge(1); let ${accu} = ${kInit}; let ${error};`);
    w.line(`${loop}: for (let ${i} = 0; ${i} < ${items}.length; ${i}++) {`);
    w.line(`if (!${kCond}(${accu})) { ${t} = ${kResult}(${accu}); break ${q}; }`);
    w.line(`const ${item} = rawItems${i} ? rawElement(${items}[${i}]) : ${items}[${i}];`);
    // a dyn iteration variable takes any plain value as it is (cel-js's check: the value has a CEL type)
    w.line(`if (${bool(dynIter)} && (rawItems${i} || plainValue(${item}))) ${ic}.iterValue = ${item}; else ${ic}.setIterValue(${item}, ev);`);
    w.line(`charge(1); let ${p}; try {`);
    w.line(`${p} = ${w.body(pred as Body, ic)};`);
    w.line(`} catch (err) { if (err === DEOPT) throw err; ${p} = err; }`);
    w.line(`let ${stp}; if (${p} === true || ${p} === false) { charge(1); ${stp} = ${p} ? ${w.k(whenTrue)} : ${w.k(whenFalse)}; }`);
    w.line(`else if (${p} instanceof Error) ${stp} = ${p}; else { try { ${stp} = ${kStep}.handle(${p}, ev, ${kStep}, ${ic}); } catch (err) { ${stp} = err; } }`);
    w.line(`if (${stp} instanceof Error) { ${error} ??= ${stp}; continue ${loop}; }`);
    w.line(`${accu} = ${stp}; }`);
    w.line(`if (${error} !== undefined && ${kCond}(${accu})) throw ${error};`);
    w.line(`${t} = ${kResult}(${accu}); }`);
    return t;
  },
};

/**
 * The expression whose root body is `root` as one function, or undefined when the root's factory
 * is not one written out here (or the expression is very large). `describe` says how a body was
 * made; `lib` is fastpath.ts's helpers (the same the closures use).
 */
export function writtenOut(root: Body, describe: (b: Body) => MadeBody | undefined, lib: Record<string, unknown>): Body | undefined {
  const m = describe(root);
  if (m === undefined || !Object.hasOwn(WRITERS, m.kind)) return undefined;
  const w = new Writer(describe);
  let result: string;
  try {
    result = w.body(root, 'ctx');
  } catch (err) {
    if (err instanceof NotWritable) return undefined;
    throw err;
  }
  const source = w.lines.join('\n');
  if (source.length > MAX_SOURCE) return undefined;
  const helpers = Object.keys(lib);
  const constants = w.constants.map((_, i) => `k${i} = K[${i}]`);
  const text = `const { ${helpers.join(', ')} } = lib;
${constants.length > 0 ? `const ${constants.join(', ')};` : ''}
return function expression(ev, ctx) {
${source}
return ${result};
};
//# sourceURL=bosun-cel:expression`;
  let fn: Body;
  try {
    fn = new Function('lib', 'K', text)(lib, w.constants) as Body;
  } catch (err) {
    if (err instanceof EvalError) return undefined; // code generation disallowed (--disallow-code-generation-from-strings): the closures
    throw err;
  }
  WRITTEN.add(fn);
  return fn;
}

const WRITTEN = new WeakSet<Body>();

/** Whether `b` is an expression written out here (for tests). */
export function isWrittenOut(b: unknown): boolean {
  return typeof b === 'function' && WRITTEN.has(b as Body);
}
