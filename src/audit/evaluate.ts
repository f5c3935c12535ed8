/**
 * Condition trees compiled to closures. Field values and macro results are computed at most
 * once per event (slots stamped with the event's epoch), so `kevt`, `pod`, `kcreate` … cost
 * one evaluation per event however many rules use them.
 *
 * Semantics (shared/reference/falco-k8s-audit.md §4.4): no value fails every operator, only
 * `not` turns that into true; list fields: `in` = all values in the set, `intersects` = any;
 * string comparisons are byte-wise; numeric fields (evt.num, evt.rawtime …) compare as numbers.
 */
import { toRegExp, type CheckValue, type Expr, type Operand } from './condition.ts';
import { FIELDS, parseFieldArg, type FieldContext, type FieldDef, type FieldValue } from './fields.ts';
import { applyTransformer } from './output.ts';

export type Predicate = (s: EvalState) => boolean;

export class EvalState {
  ctx!: FieldContext;
  epoch = 0;
  private readonly defs: { def: FieldDef; arg: string | number | undefined }[] = [];
  private readonly slotIndex = new Map<string, number>();
  private vals: FieldValue[] = [];
  private stamps = new Int32Array(16);
  private macroIndex = new Map<string, number>();
  private macroStamps = new Int32Array(16);
  private macroVals = new Uint8Array(16);

  /** Starts a new event: every cached value is stale. */
  reset(ctx: FieldContext): void {
    this.ctx = ctx;
    this.epoch = (this.epoch + 1) | 0;
    if (this.epoch === 0) {
      this.stamps.fill(-1);
      this.macroStamps.fill(-1);
    }
  }

  slot(def: FieldDef, arg: string | number | undefined): number {
    const key = `${def.name}\u0000${arg === undefined ? '' : String(arg)}`;
    let i = this.slotIndex.get(key);
    if (i === undefined) {
      i = this.defs.length;
      this.defs.push({ def, arg });
      this.slotIndex.set(key, i);
      if (i >= this.stamps.length) {
        const s = new Int32Array(this.stamps.length * 2).fill(-1);
        s.set(this.stamps);
        this.stamps = s;
      }
      this.stamps[i] = -1;
    }
    return i;
  }

  value(slot: number): FieldValue {
    if (this.stamps[slot] === this.epoch) return this.vals[slot];
    const d = this.defs[slot]!;
    const v = d.def.extract(this.ctx, d.arg);
    this.vals[slot] = v;
    this.stamps[slot] = this.epoch;
    return v;
  }

  macroSlot(name: string): number {
    let i = this.macroIndex.get(name);
    if (i === undefined) {
      i = this.macroIndex.size;
      this.macroIndex.set(name, i);
      if (i >= this.macroStamps.length) {
        const s = new Int32Array(this.macroStamps.length * 2).fill(-1);
        s.set(this.macroStamps);
        this.macroStamps = s;
        const v = new Uint8Array(this.macroVals.length * 2);
        v.set(this.macroVals);
        this.macroVals = v;
      }
      this.macroStamps[i] = -1;
    }
    return i;
  }

  macro(slot: number, body: Predicate): boolean {
    if (this.macroStamps[slot] === this.epoch) return this.macroVals[slot] === 1;
    const r = body(this);
    this.macroVals[slot] = r ? 1 : 0;
    this.macroStamps[slot] = this.epoch;
    return r;
  }
}

type Getter = (s: EvalState) => FieldValue;

interface CompiledOperand {
  get: Getter;
  list: boolean;
  numeric: boolean;
}

function compileOperand(o: Operand, state: EvalState): CompiledOperand {
  if (o.kind === 'transform') {
    const inner = compileOperand(o.arg, state);
    const name = o.name;
    return { get: (s) => applyTransformer(name, inner.get(s)), list: inner.list && name !== 'len', numeric: name === 'len' || inner.numeric };
  }
  const def = FIELDS.get(o.name);
  if (def === undefined) throw new Error(`unknown field ${o.name}`);
  const arg = parseFieldArg(def, o.arg);
  if (!arg.ok) throw new Error(arg.error);
  const slot = state.slot(def, arg.value);
  return { get: (s) => s.value(slot), list: def.list, numeric: def.type !== 'string' };
}

/** POSIX fnmatch without flags: `*` matches anything including '/', `?` one character, `[…]` classes. */
export function globToRegExp(glob: string, ignoreCase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!);
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      let neg = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's');
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}

/** ASCII-only case folding, as libsinsp's icontains (non-ASCII letters are left alone). */
function asciiLower(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

/** C `strcmp` order on UTF-8 bytes (code point order). */
function strcmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function toNumber(s: string): bigint | number | undefined {
  const t = s.trim();
  if (/^[+-]?[0-9]+$/.test(t)) return BigInt(t);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

function numCompare(a: string, b: string): number | undefined {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) return undefined;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const nx = Number(x);
  const ny = Number(y);
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

function pathMatch(prefix: string, v: string): boolean {
  if (v === prefix) return true;
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return v.startsWith(p);
}

/** A predicate on one string (the right-hand side fixed at load time). */
function stringTest(op: string, rhs: string, numeric: boolean): (v: string) => boolean {
  switch (op) {
    case '=':
    case '==':
      return numeric ? (v) => numCompare(v, rhs) === 0 : (v) => v === rhs;
    case '!=':
      return numeric ? (v) => numCompare(v, rhs) !== 0 : (v) => v !== rhs;
    case 'contains':
      return (v) => v.includes(rhs);
    case 'icontains': {
      const low = asciiLower(rhs);
      return (v) => asciiLower(v).includes(low);
    }
    case 'startswith':
      return (v) => v.startsWith(rhs);
    case 'endswith':
      return (v) => v.endsWith(rhs);
    case 'glob': {
      const re = globToRegExp(rhs, false);
      return (v) => re.test(v);
    }
    case 'iglob': {
      const re = globToRegExp(rhs, true);
      return (v) => re.test(v);
    }
    case 'regex': {
      const re = toRegExp(rhs);
      return (v) => re.test(v);
    }
    case 'bcontains': {
      const bytes = Buffer.from(rhs, 'hex');
      return (v) => Buffer.from(v).includes(bytes);
    }
    case 'bstartswith': {
      const bytes = Buffer.from(rhs, 'hex');
      return (v) => Buffer.from(v).subarray(0, bytes.length).equals(bytes);
    }
    case '<':
      return numeric ? (v) => (numCompare(v, rhs) ?? 0) < 0 : (v) => strcmp(v, rhs) < 0;
    case '<=':
      return numeric ? (v) => (numCompare(v, rhs) ?? 1) <= 0 : (v) => strcmp(v, rhs) <= 0;
    case '>':
      return numeric ? (v) => (numCompare(v, rhs) ?? 0) > 0 : (v) => strcmp(v, rhs) > 0;
    case '>=':
      return numeric ? (v) => (numCompare(v, rhs) ?? -1) >= 0 : (v) => strcmp(v, rhs) >= 0;
    default:
      throw new Error(`operator ${op} does not take a string`);
  }
}

function compileCheck(e: Extract<Expr, { kind: 'check' }>, state: EvalState): Predicate {
  const left = compileOperand(e.left, state);
  const get = left.get;
  if (e.op === 'exists') return (s) => get(s) !== undefined;
  const value = e.value as CheckValue;
  if (value.kind === 'operand') return compileDynamic(e.op, left, compileOperand(value.operand, state));
  if (e.op === 'in' || e.op === 'intersects' || e.op === 'pmatch') {
    const items = value.kind === 'list' ? value.values : [value.value];
    if (e.op === 'pmatch') {
      return (s) => {
        const v = get(s);
        if (v === undefined || Array.isArray(v)) return false;
        return items.some((p) => pathMatch(p, v));
      };
    }
    const set = new Set(items);
    if (left.list) {
      if (e.op === 'in') {
        return (s) => {
          const v = get(s) as string[] | undefined;
          if (v === undefined) return false;
          for (const x of v) if (!set.has(x)) return false;
          return true;
        };
      }
      return (s) => {
        const v = get(s) as string[] | undefined;
        if (v === undefined) return false;
        for (const x of v) if (set.has(x)) return true;
        return false;
      };
    }
    return (s) => {
      const v = get(s);
      return v !== undefined && set.has(v as string);
    };
  }
  const rhs = value.kind === 'string' ? value.value : '';
  const test = stringTest(e.op, rhs, left.numeric);
  return (s) => {
    const v = get(s);
    return v !== undefined && test(v as string);
  };
}

/** `field op val(other)` and transformer right-hand sides: compared per event. */
function compileDynamic(op: string, left: CompiledOperand, right: CompiledOperand): Predicate {
  return (s) => {
    const l = left.get(s);
    const r = right.get(s);
    if (l === undefined || r === undefined) return false;
    const rs = Array.isArray(r) ? r : [r];
    if (op === 'in' || op === 'intersects') {
      const set = new Set(rs);
      const ls = Array.isArray(l) ? l : [l];
      return op === 'in' ? ls.every((x) => set.has(x)) : ls.some((x) => set.has(x));
    }
    if (op === 'pmatch') return !Array.isArray(l) && rs.some((p) => pathMatch(p, l));
    if (Array.isArray(l) || rs.length !== 1) return false;
    return stringTest(op, rs[0]!, left.numeric || right.numeric)(l);
  };
}

export function compilePredicate(e: Expr, state: EvalState): Predicate {
  switch (e.kind) {
    case 'and': {
      const items = e.items.map((x) => compilePredicate(x, state));
      if (items.length === 2) {
        const [a, b] = items as [Predicate, Predicate];
        return (s) => a(s) && b(s);
      }
      return (s) => {
        for (const p of items) if (!p(s)) return false;
        return true;
      };
    }
    case 'or': {
      const items = e.items.map((x) => compilePredicate(x, state));
      if (items.length === 2) {
        const [a, b] = items as [Predicate, Predicate];
        return (s) => a(s) || b(s);
      }
      return (s) => {
        for (const p of items) if (p(s)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compilePredicate(e.item, state);
      return (s) => !inner(s);
    }
    case 'macro': {
      if (e.body === undefined) throw new Error(`unresolved macro ${e.name}`);
      const body = compilePredicate(e.body, state);
      const slot = state.macroSlot(`${e.name}\u0000${exprId(e.body)}`);
      return (s) => s.macro(slot, body);
    }
    case 'check':
      return compileCheck(e, state);
  }
}

/** Macro bodies are shared objects when resolved once; identity keys the per-event cache. */
const ids = new WeakMap<object, number>();
let nextId = 0;
function exprId(e: Expr): number {
  let id = ids.get(e);
  if (id === undefined) {
    id = nextId++;
    ids.set(e, id);
  }
  return id;
}
