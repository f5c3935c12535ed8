/**
 * JSON values as text, the way the k8saudit and json plugins print them: a string gives its
 * contents; anything else gives compact JSON as it was written in the event (key order,
 * duplicate keys, number text and string escapes kept), because the plugins re-serialize the
 * parsed document without normalising it. `JSON.stringify` would reorder integer-like keys,
 * rewrite numbers and drop `\u003c`-style escapes, so objects and arrays are cut out of the
 * event's source text instead. Every scanner here is iterative: deep nesting cannot overflow.
 */

/** A path into a JSON document: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** Skips blanks from `i`. */
function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** End (exclusive) of the string starting at `i` (which holds the opening quote). */
function stringEnd(s: string, i: number): number {
  i++;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q === -1) return s.length;
    let bs = 0;
    for (let k = q - 1; s.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** End (exclusive) of the value starting at `i` (no leading blanks). */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return stringEnd(s, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    for (;;) {
      const d = s.charCodeAt(j);
      if (Number.isNaN(d) || d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) return j;
      j++;
    }
  }
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 34) {
      j = stringEnd(s, j);
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return s.length;
}

/**
 * The source span of the value at `path` inside the JSON text `s` (from `start`), or undefined.
 * On duplicate keys the first wins, as in the plugins' parser.
 */
export function locate(s: string, path: JsonPath, start = 0): [number, number] | undefined {
  let i = skipWs(s, start);
  for (const step of path) {
    const c = s.charCodeAt(i);
    if (c === 123 && typeof step === 'string') {
      i = skipWs(s, i + 1);
      let found = false;
      while (s.charCodeAt(i) === 34) {
        const kEnd = stringEnd(s, i);
        const rawKey = s.slice(i + 1, kEnd - 1);
        const key = rawKey.includes('\\') ? (JSON.parse(`"${rawKey}"`) as string) : rawKey;
        i = skipWs(s, kEnd);
        i = skipWs(s, i + 1); // ':'
        if (key === step) {
          found = true;
          break;
        }
        i = skipWs(s, valueEnd(s, i));
        if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
      }
      if (!found) return undefined;
    } else if (c === 91 && typeof step === 'number') {
      i = skipWs(s, i + 1);
      for (let n = 0; ; n++) {
        if (s.charCodeAt(i) === 93 || i >= s.length) return undefined;
        if (n === step) break;
        i = skipWs(s, valueEnd(s, i));
        if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
      }
    } else {
      return undefined;
    }
  }
  return [i, valueEnd(s, i)];
}

/** Drops blanks outside strings. */
export function compact(s: string, start = 0, end = s.length): string {
  let out = '';
  let runStart = start;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(s, i);
      continue;
    }
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += s.slice(runStart, i);
      i++;
      runStart = i;
      continue;
    }
    i++;
  }
  return out + s.slice(runStart, end);
}

/** Go's `json.Indent(dst, src, "", "  ")` on compact JSON: `": "`, empty {} and [] stay closed. */
export function indentJson(s: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const nl = (d: number): string => '\n' + '  '.repeat(d);
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
      i++;
      continue;
    }
    if (needIndent && ch !== '}' && ch !== ']') {
      out += nl(depth);
      needIndent = false;
    }
    if (ch === '"') {
      const e = stringEnd(s, i);
      out += s.slice(i, e);
      i = e;
      continue;
    }
    if (ch === '{' || ch === '[') {
      out += ch;
      depth++;
      needIndent = true;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (needIndent) needIndent = false;
      else out += nl(depth);
      out += ch;
    } else if (ch === ',') {
      out += ',' + nl(depth);
    } else if (ch === ':') {
      out += ': ';
    } else {
      out += ch;
    }
    i++;
  }
  return out;
}

/** Where a value came from, so objects and arrays can be printed from the source text. */
export interface RawSource {
  raw: string | undefined;
}

/**
 * A JSON value as the plugins print it. `path` locates it in `src.raw` for objects, arrays and
 * numbers whose text JavaScript may have changed.
 */
export function jsonText(v: unknown, src: RawSource, path: JsonPath): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  if (src.raw !== undefined) {
    const span = locate(src.raw, path);
    if (span !== undefined) return compact(src.raw, span[0], span[1]);
  }
  return JSON.stringify(v) ?? 'null';
}
