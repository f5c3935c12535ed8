/**
 * Python versions (PEP 440, as `packaging.version.Version` orders them): epoch `N!`, release
 * with trailing zeros ignored, pre-releases (`a`/`b`/`rc`; `alpha`, `beta`, `c`, `pre`,
 * `preview` normalised), post-releases (`.postN`, `-N`, `rev`, `r`), dev releases (a bare
 * `.devN` sorts before every pre-release of its release), and a local label `+abc` compared
 * segment-wise (numbers above strings) only as a tie-breaker.
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric, compareStrings } from './types.ts';

const PATTERN =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_RANK: Record<string, number> = { alpha: 0, a: 0, beta: 1, b: 1, c: 2, rc: 2, pre: 2, preview: 2 };

interface Pep440 {
  epoch: string;
  release: string[];
  /** [rank, number]; undefined = no pre-release. */
  pre: [number, string] | undefined;
  post: string | undefined;
  dev: string | undefined;
  local: string[] | undefined;
}

export function parsePep440(text: string): Pep440 {
  const m = PATTERN.exec(text);
  if (m === null) throw new InvalidVersionError('pep440', text, 'not a PEP 440 version');
  const release = m[2]!.split('.');
  while (release.length > 1 && /^0+$/.test(release.at(-1)!)) release.pop();
  return {
    epoch: m[1] ?? '0',
    release,
    pre: m[3] === undefined ? undefined : [PRE_RANK[m[3].toLowerCase()]!, m[4] ?? '0'],
    post: m[5] ?? (m[6] === undefined ? undefined : (m[7] ?? '0')),
    dev: m[8] === undefined ? undefined : (m[9] ?? '0'),
    local: m[10]?.toLowerCase().split(/[-_.]/),
  };
}

export function isValidPep440(text: string): boolean {
  return PATTERN.test(text);
}

function compareRelease(a: string[], b: string[]): Cmp {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareNumeric(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

/** The pre-release key: a bare dev release sorts below every pre-release, no pre-release above. */
function preKey(v: Pep440): [number, string] {
  if (v.pre === undefined && v.post === undefined && v.dev !== undefined) return [-1, '0'];
  if (v.pre === undefined) return [3, '0'];
  return v.pre;
}

function compareLocal(a: string[] | undefined, b: string[] | undefined): Cmp {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn !== yn) return xn ? 1 : -1;
    const c = xn ? compareNumeric(x, y) : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Optional parts: a missing post sorts below any post, a missing dev above any dev. */
function compareOptional(a: string | undefined, b: string | undefined, missingIsHigh: boolean): Cmp {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return (a === undefined) === missingIsHigh ? 1 : -1;
  }
  return compareNumeric(a, b);
}

/** Parsed versions of recent comparisons (parsing costs more than comparing). */
const parsed = new Map<string, Pep440>();

function parseCached(v: string): Pep440 {
  let p = parsed.get(v);
  if (p === undefined) {
    if (parsed.size >= 10_000) parsed.clear();
    p = parsePep440(v);
    parsed.set(v, p);
  }
  return p;
}

export function comparePep440(a: string, b: string): Cmp {
  const x = parseCached(a);
  const y = parseCached(b);
  const px = preKey(x);
  const py = preKey(y);
  return (
    compareNumeric(x.epoch, y.epoch) ||
    compareRelease(x.release, y.release) ||
    (px[0] !== py[0] ? (px[0] < py[0] ? -1 : 1) : compareNumeric(px[1], py[1])) ||
    compareOptional(x.post, y.post, false) ||
    compareOptional(x.dev, y.dev, true) ||
    compareLocal(x.local, y.local)
  );
}
