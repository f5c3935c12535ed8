/**
 * Optional list elements and map entries (`[a, ?b]`, `{?'k': v}`, cel-go's OptionalTypes syntax,
 * Kubernetes 1.28+), which cel-js's parser does not accept. The source is rewritten before
 * parsing: a list with optional elements becomes `[optional.of(a), b].k8s_optList()` and a map
 * with optional entries `{'k': v, 'k2': optional.of(v2)}.k8s_optMap()`, functions that drop the
 * empty optionals. Strings and comments are skipped; `x[?i]` (optional index) is left alone.
 */

interface Literal {
  kind: '[' | '{';
  /** Output offsets where each element (entry) starts. */
  starts: number[];
  optional: boolean[];
  /** Output offset just after the opening bracket. */
  open: number;
}

type Frame = Literal | { kind: '(' | 'index' | 'message' };

const IDENT = /[A-Za-z_0-9]/;

/** Returns the expression unchanged when it has no optional elements or entries. */
export function rewriteOptionalLiterals(src: string): string {
  if (!src.includes('?')) return src;
  let out = '';
  const stack: Frame[] = [];
  let prevEndsExpr = false; // the previous significant token ends an expression (ident, literal, ), ], })
  let changed = false;
  let i = 0;
  const atElementStart = (): Literal | undefined => {
    const top = stack[stack.length - 1];
    if (top === undefined || (top.kind !== '[' && top.kind !== '{')) return undefined;
    const lit = top as Literal;
    const start = lit.starts[lit.starts.length - 1];
    return start !== undefined && out.slice(start).trim() === '' ? lit : undefined;
  };
  while (i < src.length) {
    const c = src[i]!;
    // comments
    if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      const end = nl < 0 ? src.length : nl;
      out += src.slice(i, end);
      i = end;
      continue;
    }
    // strings: optional r/b prefixes, single/double, triple quotes
    if (c === '"' || c === "'" || ((c === 'r' || c === 'R' || c === 'b' || c === 'B') && /["']/.test(src[i + 1] ?? '') && !IDENT.test(src[i - 1] ?? ''))) {
      let j = i;
      let raw = false;
      while (src[j] !== '"' && src[j] !== "'") {
        if (src[j] === 'r' || src[j] === 'R') raw = true;
        j++;
      }
      const q = src[j]!;
      const triple = src.startsWith(q.repeat(3), j);
      const delim = triple ? q.repeat(3) : q;
      j += delim.length;
      while (j < src.length && !src.startsWith(delim, j)) j += !raw && src[j] === '\\' ? 2 : 1;
      j = Math.min(src.length, j + delim.length);
      out += src.slice(i, j);
      i = j;
      prevEndsExpr = true;
      continue;
    }
    if (/\s/.test(c)) {
      out += c;
      i++;
      continue;
    }
    if (c === '?') {
      const lit = atElementStart();
      if (lit !== undefined) {
        lit.optional[lit.optional.length - 1] = true;
        changed = true;
        i++;
        continue;
      }
    }
    if (c === '[' || c === '{' || c === '(') {
      if (c === '(') stack.push({ kind: '(' });
      else if (prevEndsExpr) stack.push({ kind: c === '[' ? 'index' : 'message' });
      else {
        out += c;
        i++;
        stack.push({ kind: c, starts: [out.length], optional: [false], open: out.length });
        prevEndsExpr = false;
        continue;
      }
      out += c;
      i++;
      prevEndsExpr = false;
      continue;
    }
    if (c === ',') {
      const top = stack[stack.length - 1];
      out += c;
      i++;
      if (top !== undefined && (top.kind === '[' || top.kind === '{')) {
        (top as Literal).starts.push(out.length);
        (top as Literal).optional.push(false);
      }
      prevEndsExpr = false;
      continue;
    }
    if (c === ']' || c === '}' || c === ')') {
      const top = stack.pop();
      if (top !== undefined && (top.kind === '[' || top.kind === '{') && top.optional.some(Boolean)) {
        out = closeLiteral(out, top);
        i++;
        prevEndsExpr = true;
        continue;
      }
      out += c;
      i++;
      prevEndsExpr = true;
      continue;
    }
    out += c;
    i++;
    prevEndsExpr = IDENT.test(c) || c === '.' ? IDENT.test(c) : false;
  }
  return changed ? out : src;
}

/** Rebuilds a literal with optional elements (out ends just before its closing bracket). */
function closeLiteral(out: string, lit: Literal): string {
  const head = out.slice(0, lit.open - 1);
  const parts = lit.starts.map((s, k) => out.slice(s, lit.starts[k + 1] === undefined ? out.length : lit.starts[k + 1]! - 1));
  if (lit.kind === '[') {
    const elems = parts.map((p, k) => (lit.optional[k] || p.trim() === '' ? p : wrap(p)));
    return `${head}[${elems.join(',')}].k8s_optList()`;
  }
  const entries = parts.map((p, k) => {
    if (lit.optional[k] || p.trim() === '') return p;
    const colon = topLevelColon(p);
    return colon < 0 ? p : `${p.slice(0, colon + 1)}${wrap(p.slice(colon + 1))}`;
  });
  return `${head}{${entries.join(',')}}.k8s_optMap()`;
}

/** `optional.of(x)`, keeping the whitespace around x outside the call. */
function wrap(text: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return `${m[1]}optional.of(${m[2]})${m[3]}`;
}

/** The ':' separating a map entry's key from its value, outside nested brackets and strings. */
function topLevelColon(entry: string): number {
  let depth = 0;
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i]!;
    if (c === '"' || c === "'") {
      const end = entry.indexOf(c, i + 1);
      i = end < 0 ? entry.length : end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ':' && depth === 0) return i;
    else if (c === '?' && depth === 0) depth += 0; // a ternary inside the key cannot occur before the ':'
  }
  return -1;
}
