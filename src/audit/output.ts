/**
 * Falco output formats and alerts. A format is literal text with `%field`, `%field[arg]`,
 * `%NNfield` (padded to NN) or `%transformer(field)`; after `%` the longest known field name
 * wins, so `%ka.target.name/%ka.target.resource` and `%ka.auth.reason))` work. Rendering:
 * a missing value prints `<NA>`, a list `(v1,v2)`.
 *
 * The text line is `<evt.time>: <Priority> <message>`; the JSON alert is Falco's
 * (`json_output: true`): keys sorted, `output_fields` keyed by the tokens as written, lists as
 * arrays, missing values null, `evt.time` an integer.
 */
import { TRANSFORMERS, type TransformerName } from './condition.ts';
import { FIELD_NAMES_LONGEST_FIRST, FIELDS, clockTime, isoTime, parseFieldArg, type FieldContext, type FieldDef, type FieldValue } from './fields.ts';
import type { Priority } from './priority.ts';

export interface OutputToken {
  /** The token as written after `%` (the output_fields key). */
  key: string;
  def: FieldDef;
  arg: string | number | undefined;
  transformer?: TransformerName;
  width?: number;
}

export interface OutputFormat {
  text: string;
  parts: (string | OutputToken)[];
  tokens: OutputToken[];
}

export function compileOutput(text: string): OutputFormat {
  const parts: (string | OutputToken)[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    const start = i;
    i++;
    let width: number | undefined;
    const w = /^[0-9]+/.exec(text.slice(i, i + 6));
    if (w !== null) {
      width = Number(w[0]);
      i += w[0].length;
    }
    let transformer: TransformerName | undefined;
    for (const t of TRANSFORMERS) {
      if (text.startsWith(`${t}(`, i)) {
        transformer = t;
        i += t.length + 1;
        break;
      }
    }
    const name = FIELD_NAMES_LONGEST_FIRST.find((n) => text.startsWith(n, i));
    if (name === undefined) throw new Error(`invalid formatting token at position ${start + 1}: '${text.slice(start, start + 24)}'`);
    const def = FIELDS.get(name)!;
    i += name.length;
    let argText: string | undefined;
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close === -1) throw new Error(`unterminated field argument at position ${i + 1}`);
      argText = text.slice(i + 1, close);
      i = close + 1;
    }
    if (transformer !== undefined) {
      if (text[i] !== ')') throw new Error(`expected ')' after ${transformer}(${name} at position ${i + 1}`);
      i++;
    }
    const arg = parseFieldArg(def, argText);
    if (!arg.ok) throw new Error(arg.error);
    const key = text.slice(start + 1 + (w?.[0].length ?? 0), i);
    const token: OutputToken = { key, def, arg: arg.value };
    if (transformer !== undefined) token.transformer = transformer;
    if (width !== undefined) token.width = width;
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(token);
  }
  if (lit !== '') parts.push(lit);
  return { text, parts, tokens: parts.filter((p): p is OutputToken => typeof p !== 'string') };
}

export function applyTransformer(name: TransformerName, v: FieldValue): FieldValue {
  if (v === undefined) return undefined;
  if (name === 'len') return String(Array.isArray(v) ? v.length : Buffer.byteLength(v));
  const one = (s: string): string | undefined => {
    switch (name) {
      case 'tolower':
        return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
      case 'toupper':
        return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
      case 'basename': {
        const slash = s.lastIndexOf('/');
        return slash === -1 ? s : s.slice(slash + 1);
      }
      case 'b64': {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
        return Buffer.from(s, 'base64').toString('utf8');
      }
    }
  };
  if (Array.isArray(v)) {
    const out = v.map(one).filter((x): x is string => x !== undefined);
    return out.length === 0 ? undefined : out;
  }
  return one(v);
}

function tokenValue(t: OutputToken, ctx: FieldContext): FieldValue {
  const v = t.def.extract(ctx, t.arg);
  return t.transformer === undefined ? v : applyTransformer(t.transformer, v);
}

function show(v: FieldValue, width: number | undefined): string {
  const s = v === undefined ? '<NA>' : Array.isArray(v) ? `(${v.join(',')})` : v;
  if (width === undefined) return s;
  return s.length >= width ? s.slice(0, width) : s.padEnd(width);
}

export interface RenderedOutput {
  message: string;
  /** Token key → value, for JSON output_fields (tokens with transformers left out, as Falco does). */
  fields: Map<string, FieldValue | bigint>;
}

export function renderOutput(format: OutputFormat, ctx: FieldContext): RenderedOutput {
  let message = '';
  const fields = new Map<string, FieldValue | bigint>();
  for (const p of format.parts) {
    if (typeof p === 'string') {
      message += p;
      continue;
    }
    const v = tokenValue(p, ctx);
    message += show(v, p.width);
    if (p.transformer !== undefined) continue;
    if (p.def.type === 'abstime') fields.set(p.key, ctx.ev.timeNs);
    else if (p.def.type === 'u64' && v !== undefined && !Array.isArray(v)) fields.set(p.key, BigInt(v));
    else fields.set(p.key, v);
  }
  return { message, fields };
}

/** One alert, as Falco raises it. */
export interface FalcoAlert {
  /** Event time, ns since the epoch. */
  timeNs: bigint;
  rule: string;
  priority: Priority;
  source: string;
  tags: string[];
  hostname: string;
  /** The rendered output (no prefix). */
  message: string;
  /** The full text line: `13:58:49.736141000: Warning …`. */
  output: string;
  outputFields: Map<string, FieldValue | bigint>;
}

export function textLine(timeNs: bigint, priority: Priority, message: string, utc: boolean): string {
  return `${clockTime(timeNs, utc)}: ${priority} ${message}`;
}

export interface FalcoJsonOptions {
  /** Falco's `json_include_message_property` (default false). */
  includeMessage?: boolean;
  /** `json_include_output_property` (default true). */
  includeOutput?: boolean;
  /** `json_include_tags_property` (default true). */
  includeTags?: boolean;
  /** `json_include_output_fields_property` (default true). */
  includeOutputFields?: boolean;
}

function jsonValue(v: FieldValue | bigint): string {
  if (v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map((s) => JSON.stringify(s)).join(',')}]`;
  return JSON.stringify(v);
}

/** Falco's JSON alert on one line: keys sorted as nlohmann::json sorts them. */
export function falcoJson(a: FalcoAlert, options: FalcoJsonOptions = {}): string {
  const entries: [string, string][] = [['hostname', JSON.stringify(a.hostname)]];
  if (options.includeMessage === true) entries.push(['message', JSON.stringify(a.message)]);
  if (options.includeOutput !== false) entries.push(['output', JSON.stringify(a.output)]);
  if (options.includeOutputFields !== false) {
    const keys = [...a.outputFields.keys()].sort(byteOrder);
    entries.push(['output_fields', `{${keys.map((k) => `${JSON.stringify(k)}:${jsonValue(a.outputFields.get(k))}`).join(',')}}`]);
  }
  entries.push(['priority', JSON.stringify(a.priority)], ['rule', JSON.stringify(a.rule)], ['source', JSON.stringify(a.source)]);
  if (options.includeTags !== false) entries.push(['tags', JSON.stringify(a.tags)]);
  entries.push(['time', JSON.stringify(isoTime(a.timeNs))]);
  return `{${entries.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
