/**
 * The secret scanner's one pass over a text: which of the rules' keywords occur, and where the
 * rules' anchors (anchors.ts) start, case-insensitively. An Aho–Corasick automaton (Aho &
 * Corasick 1975) compiled to a full transition table over the patterns' character classes, so
 * each text character costs one table lookup whatever the number of patterns. Every occurrence
 * counts, overlapping ones included.
 *
 * Case folding is ASCII's plus exact matches of other characters: the text is decoded as latin1,
 * and folding `É`/`é` would make keywords match where the rule regexes (no `u` flag) may not.
 */

export interface PatternHits {
  /** Indexes (into `keywords`) of the keywords found. */
  seen: Set<number>;
  /**
   * Per anchor (index into `anchors`), the start offsets of its occurrences, ascending; undefined
   * past MAX_ANCHOR_HITS (memory stays bounded on hostile text; the rule then scans everything).
   */
  starts: (number[] | undefined)[];
}

export const MAX_ANCHOR_HITS = 65536;

export interface KeywordMatcher {
  readonly keywords: readonly string[];
  readonly anchors: readonly string[];
  find(text: string): PatternHits;
}

export function compileKeywords(keywordList: readonly string[], anchorList: readonly string[] = []): KeywordMatcher {
  const keywords = [...new Set(keywordList.map((k) => k.toLowerCase()).filter((k) => k !== ''))];
  const anchors = [...new Set(anchorList.map((k) => k.toLowerCase()).filter((k) => k !== ''))];
  const patterns = [...new Set([...keywords, ...anchors])];
  const keywordOf = Int32Array.from(patterns, (p) => keywords.indexOf(p));
  const anchorOf = Int32Array.from(patterns, (p) => anchors.indexOf(p));
  const lengths = Int32Array.from(patterns, (p) => p.length);
  // Character classes: 0 = a character no pattern has; ASCII letters fold to lower case.
  const classOf = new Map<number, number>();
  for (const k of patterns) for (let i = 0; i < k.length; i++) if (!classOf.has(k.charCodeAt(i))) classOf.set(k.charCodeAt(i), classOf.size + 1);
  const width = classOf.size + 1;
  const low = new Uint16Array(256);
  for (let c = 0; c < 256; c++) low[c] = classOf.get(c >= 0x41 && c <= 0x5a ? c + 0x20 : c) ?? 0;

  // Trie, breadth-first failure links, then the full transition table.
  const next: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  patterns.forEach((k, idx) => {
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
  // States are stored pre-multiplied by the row width, and negated (bitwise NOT) when they end a
  // pattern, so the hot loop makes one table load per character.
  const ends = new Uint8Array(states);
  for (let st = 0; st < states; st++) ends[st] = out[st]!.length > 0 ? 1 : 0;
  for (let i = 0; i < delta.length; i++) {
    const t = delta[i]!;
    delta[i] = ends[t] === 1 ? ~(t * width) : t * width;
  }
  const hits: number[][] = [];
  for (let st = 0; st < states; st++) hits[st * width] = [...new Set(out[st]!)];
  const automaton: Automaton = { delta, hits, low, classOf, keywordOf, anchorOf, lengths, anchorCount: anchors.length };
  return { keywords, anchors, find: (text) => runAutomaton(text, automaton) };
}

interface Automaton {
  delta: Int32Array;
  hits: number[][];
  low: Uint16Array;
  classOf: Map<number, number>;
  keywordOf: Int32Array;
  anchorOf: Int32Array;
  lengths: Int32Array;
  anchorCount: number;
}

function runAutomaton(text: string, a: Automaton): PatternHits {
  const { delta, hits, low, classOf, keywordOf, anchorOf, lengths } = a;
  const seen = new Set<number>();
  const starts: (number[] | undefined)[] = Array.from({ length: a.anchorCount }, () => []);
  let s = 0;
  for (let i = 0, n = text.length; i < n; i++) {
    const code = text.charCodeAt(i);
    s = delta[s + (code < 256 ? low[code]! : (classOf.get(code) ?? 0))]!;
    if (s < 0) {
      s = ~s;
      for (const p of hits[s]!) {
        const k = keywordOf[p]!;
        if (k >= 0) seen.add(k);
        const an = anchorOf[p]!;
        if (an >= 0) {
          const list = starts[an];
          if (list === undefined) continue;
          if (list.length === MAX_ANCHOR_HITS) starts[an] = undefined;
          else list.push(i - lengths[p]! + 1);
        }
      }
    }
  }
  return { seen, starts };
}
