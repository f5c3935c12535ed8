/**
 * Maven versions, ordered as current Maven's ComparableVersion (3.9+, with MNG-7644 and
 * MNG-7714). A version is split on `.`, `-` and digit/letter transitions into a tree of items:
 * numbers, qualifiers, qualifier+number combinations (`rc1`, also written `rc-1`) and
 * sub-lists (opened by `-` or a transition). Qualifiers order
 * `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < other
 * strings (lexical) < numbers`; `a1`/`b1`/`m1` abbreviate alpha/beta/milestone when followed by
 * a digit. Trailing "null" items (0, "", empty lists) are dropped, so `1 == 1.0 == 1-0`.
 * Two readings follow osv-scalibr (whose vectors bosun is tested against) where current Maven
 * differs: `X-1.2` is not a combination, and `ga1`/`ga-1` orders as `1` (`1-1 == 1-ga-1`).
 */
import type { Cmp } from './types.ts';
import { compareNumeric, compareStrings } from './types.ts';

type Item = { t: 'int'; v: string } | { t: 'str'; v: string } | { t: 'combo'; s: StrItem; d: Item } | { t: 'list'; items: Item[] };
type StrItem = { t: 'str'; v: string };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { cr: 'rc' };
/** Spellings of the release itself: they order as "" but, unlike "", are not dropped as trailing nulls (MNG-7714). */
const RELEASE_QUALIFIERS = ['ga', 'final', 'release'];
const RELEASE_INDEX = '5';

function strItem(value: string, followedByDigit: boolean): StrItem {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  return { t: 'str', v: ALIASES[v] ?? v };
}

function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.includes(q)) return RELEASE_INDEX;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** True when the digit run starting at `from` is followed by `sep`. */
function digitsRunInto(text: string, from: number, sep: string): boolean {
  let k = from;
  while (k < text.length && isDigit(text[k]!)) k++;
  return text[k] === sep;
}

function parseItem(combination: boolean, digit: boolean, buf: string): Item {
  if (combination) {
    const text = buf.replaceAll('-', '');
    let k = 0;
    while (k < text.length && !isDigit(text[k]!)) k++;
    const s = strItem(text.slice(0, k), true);
    const d = parseItem(false, true, text.slice(k));
    // `ga-1`, `final1`: the release itself with a build number orders as that number.
    if (comparableQualifier(s.v) === RELEASE_INDEX) return d;
    return { t: 'combo', s, d };
  }
  if (digit) return { t: 'int', v: buf.replace(/^0+/, '') || '0' };
  return strItem(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.t) {
    case 'int':
      return item.v === '0';
    case 'str':
      return item.v === '';
    case 'combo':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (!isNull(item)) continue;
    const next = list[i + 1];
    if (next === undefined || next.t === 'str') list.splice(i, 1);
    else if (next.t === 'list') {
      const head = next.items[0];
      if (head !== undefined && (head.t === 'combo' || head.t === 'str')) list.splice(i, 1);
    }
  }
}

export function parseMaven(version: string): Item[] {
  const text = version.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  const push = (): void => {
    const child: Item[] = [];
    list.push({ t: 'list', items: child });
    list = child;
    stack.push(child);
  };
  let digit = false;
  let combination = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.') {
      list.push(i === start ? { t: 'int', v: '0' } : parseItem(combination, digit, text.slice(start, i)));
      combination = false;
      start = i + 1;
    } else if (c === '-') {
      if (i === start) list.push({ t: 'int', v: '0' });
      else {
        // `X-1` is read as `X1`, but `X-1.2` keeps `1.2` in a sub-list of its own.
        if (!digit && i !== text.length - 1 && isDigit(text[i + 1]!) && !digitsRunInto(text, i + 1, '.')) {
          combination = true;
          continue;
        }
        list.push(parseItem(combination, digit, text.slice(start, i)));
      }
      start = i + 1;
      if (list.length > 0) push();
      combination = false;
    } else if (isDigit(c)) {
      if (!digit && i > start) {
        combination = true;
        if (list.length > 0) push();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list.push(parseItem(combination, true, text.slice(start, i)));
        start = i;
        push();
        combination = false;
      }
      digit = false;
    }
  }
  if (text.length > start) {
    // `1.0.0.X1 < 1.0.0-X2`: a trailing `.X` qualifier is read as `-X`.
    if (!digit && list.length > 0) push();
    list.push(parseItem(combination, digit, text.slice(start)));
  }
  for (let s = stack.length - 1; s >= 0; s--) normalize(stack[s]!);
  return root;
}

function compareItem(a: Item, b: Item | undefined): Cmp {
  switch (a.t) {
    case 'int':
      if (b === undefined) return a.v === '0' ? 0 : 1;
      return b.t === 'int' ? compareNumeric(a.v, b.v) : 1;
    case 'str':
      if (b === undefined) return compareStrings(comparableQualifier(a.v), RELEASE_INDEX);
      if (b.t === 'str') return compareStrings(comparableQualifier(a.v), comparableQualifier(b.v));
      if (b.t === 'combo') {
        const r = compareItem(a, b.s);
        return r === 0 ? -1 : r;
      }
      return -1;
    case 'combo':
      if (b === undefined) return compareItem(a.s, undefined);
      if (b.t === 'str') {
        const r = compareItem(a.s, b);
        return r === 0 ? 1 : r;
      }
      if (b.t === 'combo') return compareItem(a.s, b.s) || compareItem(a.d, b.d);
      return -1;
    case 'list':
      if (b === undefined) {
        for (const item of a.items) {
          const r = compareItem(item, undefined);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.t !== 'list') return b.t === 'int' ? -1 : 1;
      return compareLists(a.items, b.items);
  }
}

function compareLists(a: Item[], b: Item[]): Cmp {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const l = a[i];
    const r = b[i];
    const c = l === undefined ? (r === undefined ? 0 : (-compareItem(r, undefined) as Cmp)) : compareItem(l, r);
    if (c !== 0) return c;
  }
  return 0;
}

/** Parsed versions of recent comparisons: matching compares the same few versions many times. */
const parsed = new Map<string, Item[]>();

function parseCached(v: string): Item[] {
  let items = parsed.get(v);
  if (items === undefined) {
    if (parsed.size >= 10_000) parsed.clear();
    items = parseMaven(v);
    parsed.set(v, items);
  }
  return items;
}

export function compareMaven(a: string, b: string): Cmp {
  return compareLists(parseCached(a), parseCached(b));
}
