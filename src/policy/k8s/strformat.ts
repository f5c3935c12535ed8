/**
 * `string.format(list)` from ext.Strings v2 as Kubernetes runs it: cel-go's pre-v4 formatter
 * with the en_US locale (%e prints 2.718280×10⁰⁰; a list's %s prints doubles as %f). A macro,
 * so a list literal argument is exempt from the homogeneous-literal rule, as in cel-go.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { numeric } from './common.ts';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '+': '⁺' };

function typeName(v: unknown): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  const name = (v as object).constructor?.name;
  if (name === 'UnsignedInt') return 'uint';
  if (name === 'Duration') return 'google.protobuf.Duration';
  return 'map';
}

function formatDouble(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  return x.toFixed(precision);
}

function asDouble(v: unknown, clause: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`error during formatting: ${clause} clause can only be used on doubles, was given ${typeName(v)}`);
}

function timestampString(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** %s of one value; `nested` is true inside a list or map, where strings are quoted and doubles use %f. */
function stringOf(v: unknown, nested: boolean): string {
  const t = typeName(v);
  switch (t) {
    case 'null_type':
      return 'null';
    case 'string':
      return nested ? JSON.stringify(v) : (v as string);
    case 'double': {
      const x = v as number;
      if (Number.isNaN(x)) return nested ? '"NaN"' : 'NaN';
      if (!Number.isFinite(x)) return nested ? (x > 0 ? '"+Inf"' : '"-Inf"') : x > 0 ? '+Inf' : '-Inf';
      if (nested) return x.toFixed(6);
      return goFloat(x);
    }
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('utf8');
    case 'list':
      return `[${(v as unknown[]).map((e) => stringOf(e, true)).join(', ')}]`;
    case 'google.protobuf.Timestamp':
      return nested ? `timestamp("${timestampString(v as Date)}")` : timestampString(v as Date);
    case 'google.protobuf.Duration':
      return nested ? `duration("${String(v)}")` : String(v);
    case 'map': {
      if (v !== null && typeof v === 'object' && 'name' in v && Object.getPrototypeOf(v)?.constructor?.name === 'Type') return String((v as { name: string }).name);
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
      if (!(v instanceof Map) && Object.getPrototypeOf(v) !== Object.prototype) return String(v);
      return `{${entries.map(([k, x]) => `${stringOf(k, true)}:${stringOf(x, true)}`).join(', ')}}`;
    }
    default:
      return String(numeric(v) ?? v);
  }
}

/** Go's strconv 'g'-like shortest form used by cel-go for a bare double with %s. */
function goFloat(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e21)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(x);
}

function integerRadix(v: unknown, radix: number, clause: string, upper = false): string {
  if (typeof v === 'boolean' && radix === 2) return v ? '1' : '0';
  const n = numeric(v);
  if (typeof n !== 'bigint') {
    if (radix === 16 && typeof v === 'string') return Buffer.from(v, 'utf8').toString('hex')[upper ? 'toUpperCase' : 'toLowerCase']();
    if (radix === 16 && v instanceof Uint8Array) return Buffer.from(v).toString('hex')[upper ? 'toUpperCase' : 'toLowerCase']();
    throw new Error(`error during formatting: ${clause}, was given ${typeName(v)}`);
  }
  const s = n.toString(radix);
  return upper ? s.toUpperCase() : s;
}

export function formatString(format: string, args: unknown[]): string {
  let out = '';
  let argIndex = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    if (format[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^(?:\.(\d+))?([a-zA-Z])/.exec(format.slice(i + 1));
    if (m === null) throw new Error('could not parse formatting clause: missing formatting clause');
    const precision = m[1] === undefined ? undefined : Number(m[1]);
    const verb = m[2]!;
    i += m[0].length;
    if (!'sdfeboxX'.includes(verb)) throw new Error(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    if (argIndex >= args.length) throw new Error(`index ${argIndex} out of range`);
    const v = args[argIndex++];
    switch (verb) {
      case 's':
        out += stringOf(v, false);
        break;
      case 'd': {
        const n = numeric(v);
        if (typeof n !== 'bigint') {
          if (typeof v === 'number' && !Number.isFinite(v)) out += formatDouble(v, 0);
          else throw new Error(`error during formatting: decimal clause can only be used on integers, was given ${typeName(v)}`);
        } else out += n.toString();
        break;
      }
      case 'f':
        out += formatDouble(asDouble(v, 'fixed-point'), Math.min(precision ?? 6, 100)) + (precision !== undefined && precision > 100 && Number.isFinite(v as number) ? '0'.repeat(precision - 100) : '');
        break;
      case 'e': {
        const x = asDouble(v, 'scientific');
        if (!Number.isFinite(x)) out += formatDouble(x, 0);
        else {
          const [mant, exp] = x.toExponential(precision ?? 6).split('e') as [string, string];
          const e = Number(exp);
          const digits = `${e < 0 ? '-' : ''}${String(Math.abs(e)).padStart(2, '0')}`;
          out += `${mant}×10${[...digits].map((d) => SUPERSCRIPT[d]).join('')}`;
        }
        break;
      }
      case 'b':
        out += integerRadix(v, 2, 'only integers and bools can be formatted as binary');
        break;
      case 'o':
        out += integerRadix(v, 8, 'octal clause can only be used on integers');
        break;
      case 'x':
      case 'X':
        out += integerRadix(v, 16, 'only integers, byte buffers, and strings can be formatted as hex', verb === 'X');
        break;
    }
  }
  if (argIndex < args.length) throw new Error(`too many arguments supplied to string.format (expected ${argIndex}, got ${args.length})`);
  return out;
}

/** cel-go skips the homogeneous-literal rule for literals inside format() arguments: check their parts one by one. */
function checkLenient(checker: Any, node: Any, ctx: Any): void {
  if (node.op === 'list') for (const e of node.args) checkLenient(checker, e, ctx);
  else if (node.op === 'map') for (const [k, v] of node.args) (checkLenient(checker, k, ctx), checkLenient(checker, v, ctx));
  else checker.check(node, ctx);
}

function evalLenient(ev: Any, node: Any, ctx: Any): unknown {
  if (node.op === 'list') return (node.args as Any[]).map((e) => evalLenient(ev, e, ctx));
  if (node.op === 'map') return new Map((node.args as Any[]).map(([k, v]: Any) => [evalLenient(ev, k, ctx), evalLenient(ev, v, ctx)]));
  return ev.run(node, ctx);
}

export function registerStringFormat(env: Environment): void {
  env.registerFunction('string.format(ast): string', (({ args, receiver }: Any): Any => {
    const list = args[0];
    const literal = list.op === 'list';
    return {
      async: false,
      typeCheck(checker: Any, _m: Any, ctx: Any): Any {
        const r = checker.check(receiver, ctx);
        if (r.name !== 'string' && r.name !== 'dyn') throw checker.createError('no_matching_overload', `found no matching overload for '${r}.format(list)'`, receiver);
        if (literal) for (const e of list.args) checkLenient(checker, e, ctx);
        else {
          const t = checker.check(list, ctx);
          if (t.kind !== 'list' && t.name !== 'dyn') throw checker.createError('no_matching_overload', `found no matching overload for 'string.format(${t})'`, list);
        }
        return checker.getType('string');
      },
      evaluate(ev: Any, _m: Any, ctx: Any): unknown {
        const format = ev.run(receiver, ctx) as string;
        const values = literal ? (list.args as Any[]).map((e) => evalLenient(ev, e, ctx)) : (ev.run(list, ctx) as unknown[]);
        return formatString(format, values);
      },
    };
  }) as never);
}
