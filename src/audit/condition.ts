/**
 * Falco's condition language (the libsinsp filter grammar), parsed into a small tree.
 *
 *   Expr     := Or
 *   Or       := And ('or' And)*            And := Not ('and' Not)*
 *   Not      := ('not')* Check             ('and'/'or'/'not' must be followed by a blank or '(')
 *   Check    := '(' Expr ')' | Operand Condition | Identifier (a macro)
 *   Operand  := Field ['[' arg ']'] | Transformer '(' Operand ')'
 *   Condition:= 'exists' | NumOp Number | StrOp Str | ListOp '(' [Str (',' Str)*] ')'
 *
 * `not` binds tighter than `and`, which binds tighter than `or`. Word operators need a blank
 * after them (`contains "x"`), symbols do not (`ka.verb=create`). Bare strings run up to a blank,
 * a parenthesis, a quote, `=` or `,`.
 */

export type Operand =
  | { kind: 'field'; name: string; arg?: string; pos: number }
  | { kind: 'transform'; name: TransformerName; arg: Operand; pos: number };

export type CheckValue =
  | { kind: 'string'; value: string }
  | { kind: 'list'; values: string[] }
  | { kind: 'operand'; operand: Operand };

export type Expr =
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  /** A macro reference; `body` is set once resolved (rule compilation inlines it). */
  | { kind: 'macro'; name: string; pos: number; body?: Expr }
  | { kind: 'check'; left: Operand; op: Operator; value?: CheckValue; pos: number };

export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;
export type TransformerName = (typeof TRANSFORMERS)[number];

const UNARY_OPS = ['exists'] as const;
const NUM_OPS = ['<=', '<', '>=', '>'] as const;
const STR_OPS = ['==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'] as const;
const LIST_OPS = ['intersects', 'in', 'pmatch'] as const;
export type Operator = (typeof UNARY_OPS)[number] | (typeof NUM_OPS)[number] | (typeof STR_OPS)[number] | (typeof LIST_OPS)[number];

export const LIST_OPERATORS: ReadonlySet<string> = new Set(LIST_OPS);

/** A syntax error at a 0-based offset of the condition text. */
export class ConditionSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ConditionSyntaxError';
    this.offset = offset;
  }
}

/** 1-based line and column of an offset in a condition (Falco reports conditions this way). */
export function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

const FIELD_RE = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+/y;
const IDENT_RE = /[a-zA-Z][a-zA-Z0-9_]*/y;
const BARE_RE = /[^ \t\b\n\r()"'=,]+/y;
const BARE_ARG_RE = /[^ \t\b\n\r[\]"']+/y;
const NUMBER_RE = /(?:0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?)/y;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\b';
}

export function parseCondition(text: string): Expr {
  const p = new ConditionParser(text);
  const expr = p.parseOr();
  p.skipBlanks();
  if (p.pos < text.length) throw new ConditionSyntaxError(`unexpected token after '${p.lastToken()}', expecting 'or', 'and'`, p.pos);
  return expr;
}

class ConditionParser {
  readonly text: string;
  pos = 0;
  private last = '';

  constructor(text: string) {
    this.text = text;
  }

  lastToken(): string {
    return this.last;
  }

  skipBlanks(): void {
    while (this.pos < this.text.length && isBlank(this.text[this.pos])) this.pos++;
  }

  /** A keyword followed by a blank or '(' (or, for `not`, also at the very end is an error later). */
  private keyword(word: string): boolean {
    this.skipBlanks();
    if (!this.text.startsWith(word, this.pos)) return false;
    const next = this.text[this.pos + word.length];
    if (next !== undefined && !isBlank(next) && next !== '(') return false;
    this.pos += word.length;
    this.last = word;
    return true;
  }

  parseOr(): Expr {
    const first = this.parseAnd();
    const items = [first];
    while (this.keyword('or')) items.push(this.parseAnd());
    return items.length === 1 ? first : { kind: 'or', items };
  }

  private parseAnd(): Expr {
    const first = this.parseNot();
    const items = [first];
    while (this.keyword('and')) items.push(this.parseNot());
    return items.length === 1 ? first : { kind: 'and', items };
  }

  private parseNot(): Expr {
    if (this.keyword('not')) return { kind: 'not', item: this.parseNot() };
    return this.parseCheck();
  }

  private parseCheck(): Expr {
    this.skipBlanks();
    const start = this.pos;
    if (this.text[this.pos] === '(') {
      this.pos++;
      this.last = '(';
      const inner = this.parseOr();
      this.skipBlanks();
      if (this.text[this.pos] !== ')') throw new ConditionSyntaxError(`expecting ')' after '${this.last}'`, this.pos);
      this.pos++;
      this.last = ')';
      return inner;
    }
    const transformer = this.tryTransformer();
    if (transformer !== undefined) return this.parseCondition(transformer, start);
    const field = this.match(FIELD_RE);
    if (field !== undefined) {
      const operand: Operand = { kind: 'field', name: field, pos: start };
      const arg = this.parseFieldArg();
      if (arg !== undefined) operand.arg = arg;
      return this.parseCondition(operand, start);
    }
    const ident = this.match(IDENT_RE);
    if (ident !== undefined) {
      if (ident === 'and' || ident === 'or' || ident === 'not') throw new ConditionSyntaxError(`unexpected '${ident}'`, start);
      return { kind: 'macro', name: ident, pos: start };
    }
    if (this.pos >= this.text.length) throw new ConditionSyntaxError(`unexpected end of condition after '${this.last}', expecting 'not', '(', a field or a macro`, this.pos);
    throw new ConditionSyntaxError(`unexpected token after '${this.last}', expecting 'not', '(', a field or a macro`, this.pos);
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    this.last = m[0];
    return m[0];
  }

  private tryTransformer(): Operand | undefined {
    const start = this.pos;
    for (const name of TRANSFORMERS) {
      if (this.text.startsWith(`${name}(`, this.pos)) {
        this.pos += name.length + 1;
        this.last = `${name}(`;
        this.skipBlanks();
        const inner = this.tryTransformer() ?? this.parseFieldOperand();
        this.skipBlanks();
        if (this.text[this.pos] !== ')') throw new ConditionSyntaxError(`expecting ')' to close ${name}(`, this.pos);
        this.pos++;
        this.last = ')';
        return { kind: 'transform', name, arg: inner, pos: start };
      }
    }
    return undefined;
  }

  private parseFieldOperand(): Operand {
    const start = this.pos;
    const field = this.match(FIELD_RE);
    if (field === undefined) throw new ConditionSyntaxError(`expecting a field name`, this.pos);
    const operand: Operand = { kind: 'field', name: field, pos: start };
    const arg = this.parseFieldArg();
    if (arg !== undefined) operand.arg = arg;
    return operand;
  }

  private parseFieldArg(): string | undefined {
    if (this.text[this.pos] !== '[') return undefined;
    this.pos++;
    let arg: string | undefined;
    const q = this.text[this.pos];
    if (q === '"' || q === "'") arg = this.parseQuoted();
    else arg = this.match(BARE_ARG_RE);
    if (arg === undefined) throw new ConditionSyntaxError(`expecting a field argument after '['`, this.pos);
    if (this.text[this.pos] !== ']') throw new ConditionSyntaxError(`expecting ']' after field argument`, this.pos);
    this.pos++;
    return arg;
  }

  private parseCondition(left: Operand, start: number): Expr {
    this.skipBlanks();
    const opPos = this.pos;
    const t = this.text;
    if (t.startsWith('exists', this.pos) && !/[a-zA-Z0-9_.]/.test(t[this.pos + 6] ?? ' ')) {
      this.pos += 6;
      this.last = 'exists';
      return { kind: 'check', left, op: 'exists', pos: start };
    }
    for (const op of NUM_OPS) {
      if (t.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.last = op;
        this.skipBlanks();
        return { kind: 'check', left, op, value: this.parseNumberValue(), pos: start };
      }
    }
    for (const op of STR_OPS) {
      if (!t.startsWith(op, this.pos)) continue;
      const symbolic = op === '==' || op === '=' || op === '!=';
      if (!symbolic && !isBlank(t[this.pos + op.length])) continue;
      this.pos += op.length;
      this.last = op;
      this.skipBlanks();
      return { kind: 'check', left, op, value: this.parseStringValue(), pos: start };
    }
    for (const op of LIST_OPS) {
      if (!t.startsWith(op, this.pos)) continue;
      const next = t[this.pos + op.length];
      if (!isBlank(next) && next !== '(') continue;
      this.pos += op.length;
      this.last = op;
      this.skipBlanks();
      return { kind: 'check', left, op, value: this.parseListValue(op), pos: start };
    }
    throw new ConditionSyntaxError(`expected a valid operator after '${this.last}'`, opPos);
  }

  private parseOperandValue(): CheckValue | undefined {
    if (this.text.startsWith('val(', this.pos)) {
      this.pos += 4;
      this.skipBlanks();
      const operand = this.parseFieldOperand();
      this.skipBlanks();
      if (this.text[this.pos] !== ')') throw new ConditionSyntaxError(`expecting ')' to close val(`, this.pos);
      this.pos++;
      return { kind: 'operand', operand };
    }
    const transformer = this.tryTransformer();
    if (transformer !== undefined) return { kind: 'operand', operand: transformer };
    return undefined;
  }

  private parseNumberValue(): CheckValue {
    const operand = this.parseOperandValue();
    if (operand !== undefined) return operand;
    const num = this.match(NUMBER_RE);
    if (num === undefined) throw new ConditionSyntaxError(`expected a number after '${this.last}'`, this.pos);
    return { kind: 'string', value: num };
  }

  private parseStringValue(): CheckValue {
    const operand = this.parseOperandValue();
    if (operand !== undefined) return operand;
    const q = this.text[this.pos];
    if (q === '"' || q === "'") return { kind: 'string', value: this.parseQuoted() };
    const bare = this.match(BARE_RE);
    if (bare === undefined) throw new ConditionSyntaxError(`expected a string value after '${this.last}'`, this.pos);
    return { kind: 'string', value: bare };
  }

  private parseListValue(op: string): CheckValue {
    const operand = this.parseOperandValue();
    if (operand !== undefined) return operand;
    if (this.text[this.pos] !== '(') throw new ConditionSyntaxError(`expected '(' after '${op}'`, this.pos);
    this.pos++;
    this.last = '(';
    const values: string[] = [];
    this.skipBlanks();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { kind: 'list', values };
    }
    for (;;) {
      this.skipBlanks();
      const q = this.text[this.pos];
      let v: string | undefined;
      if (q === '"' || q === "'") v = this.parseQuoted();
      else v = this.match(BARE_RE);
      if (v === undefined) throw new ConditionSyntaxError(`expected a list value after '${this.last}'`, this.pos);
      values.push(v);
      this.last = v;
      this.skipBlanks();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.last = ',';
        continue;
      }
      if (c === ')') {
        this.pos++;
        this.last = ')';
        return { kind: 'list', values };
      }
      throw new ConditionSyntaxError(`expected ',' or ')' in list after '${this.last}'`, this.pos);
    }
  }

  /** "…" or '…' with the escapes libsinsp accepts: \b \f \n \r \t \<space> \\ \/ \xHH and the own quote. */
  private parseQuoted(): string {
    const quote = this.text[this.pos]!;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new ConditionSyntaxError(`unterminated string`, start);
      const c = this.text[this.pos]!;
      if (c === quote) {
        this.pos++;
        this.last = this.text.slice(start, this.pos);
        return out;
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case ' ': out += ' '; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'x': {
          const hex = this.text.slice(this.pos, this.pos + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new ConditionSyntaxError(`invalid \\x escape in string`, this.pos - 2);
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 2;
          break;
        }
        default:
          if (e === quote) {
            out += quote;
            break;
          }
          throw new ConditionSyntaxError(`invalid escape sequence in string`, this.pos - 2);
      }
    }
  }
}

/** RE2 full match as a JavaScript RegExp; a leading `(?i)`/`(?s)` becomes a flag. */
export function toRegExp(pattern: string): RegExp {
  let flags = 'u';
  let p = pattern;
  const m = /^\(\?([is]+)\)/.exec(p);
  if (m !== null) {
    if (m[1]!.includes('i')) flags += 'i';
    if (m[1]!.includes('s')) flags += 's';
    p = p.slice(m[0].length);
  }
  return new RegExp(`^(?:${p})$`, flags);
}
