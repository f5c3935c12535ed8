/**
 * The secret scanner's keyword pre-filter: which of the rules' keywords occur in a text, in one
 * pass, case-insensitively. An Aho–Corasick automaton (Aho & Corasick 1975) compiled to a full
 * transition table over the keywords' character classes, so each text character costs one table
 * lookup whatever the number of keywords. Every occurrence counts, overlapping ones included.
 *
 * Case folding is ASCII's plus exact matches of other characters: the text is decoded as latin1,
 * and folding `É`/`é` would make keywords match where the rule regexes (no `u` flag) may not.
 */

export interface KeywordMatcher {
  readonly keywords: readonly string[];
  /** Indexes (into `keywords`) of those found in `text`. */
  find(text: string): Set<number>;
}

export function compileKeywords(list: readonly string[]): KeywordMatcher {
  const keywords = [...new Set(list.map((k) => k.toLowerCase()).filter((k) => k !== ''))];
  // Character classes: 0 = a character no keyword has; ASCII letters fold to lower case.
  const classOf = new Map<number, number>();
  for (const k of keywords) for (let i = 0; i < k.length; i++) if (!classOf.has(k.charCodeAt(i))) classOf.set(k.charCodeAt(i), classOf.size + 1);
  const width = classOf.size + 1;
  const low = new Uint16Array(256);
  for (let c = 0; c < 256; c++) {
    const folded = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    low[c] = classOf.get(folded) ?? 0;
  }

  // Trie, breadth-first failure links, then the full transition table.
  const next: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  keywords.forEach((k, idx) => {
    let s = 0;
    for (let i = 0; i < k.length; i++) {
      const c = classOf.get(k.charCodeAt(i))!;
      let t = next[s]!.get(c);
      if (t === undefined) {
        t = next.length;
        next.push(new Map());
        out.push([]);
        next[s]!.set(c, t);
      }
      s = t;
    }
    out[s]!.push(idx);
  });
  const states = next.length;
  const delta = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < width; c++) {
    const t = next[0]!.get(c);
    if (t !== undefined) {
      delta[c] = t;
      queue.push(t);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    out[s]!.push(...out[fail[s]!]!);
    for (let c = 0; c < width; c++) {
      const t = next[s]!.get(c);
      if (t === undefined) delta[s * width + c] = delta[fail[s]! * width + c]!;
      else {
        fail[t] = delta[fail[s]! * width + c]!;
        delta[s * width + c] = t;
        queue.push(t);
      }
    }
  }
  // States are stored pre-multiplied by the row width; `final` flags states that end a keyword.
  for (let i = 0; i < delta.length; i++) delta[i] = delta[i]! * width;
  const final = new Uint8Array(states * width);
  const hits: number[][] = [];
  for (let st = 0; st < states; st++) {
    if (out[st]!.length > 0) final[st * width] = 1;
    hits[st * width] = [...new Set(out[st]!)];
  }
  return {
    keywords,
    find: (text) => runAutomaton(text, delta, final, hits, low, classOf, keywords.length),
  };
}

function runAutomaton(text: string, delta: Int32Array, final: Uint8Array, hits: number[][], low: Uint16Array, classOf: Map<number, number>, total: number): Set<number> {
  const seen = new Set<number>();
  if (total === 0) return seen;
  let s = 0;
  for (let i = 0, n = text.length; i < n; i++) {
    const code = text.charCodeAt(i);
    s = delta[s + (code < 256 ? low[code]! : (classOf.get(code) ?? 0))]!;
    if (final[s] === 1) {
      for (const k of hits[s]!) seen.add(k);
      if (seen.size === total) break;
    }
  }
  return seen;
}
