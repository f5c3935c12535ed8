/**
 * Which uid an image's `USER` runs as, resolved as the runtimes resolve it (runc's
 * libcontainer/user, which containerd's WithUser uses too): `user[:group]`; an empty user is uid
 * 0; a user that parses as a Go integer (`strconv.Atoi`: a sign, leading zeros) IS a uid, so
 * `00` and `+0` are root; any other name is looked up in the image's /etc/passwd, first matching
 * line wins, and a uid field that does not parse reads as 0. A name with no entry stops the
 * container from starting.
 */
import type { Analyzer } from '../analyzers/types.ts';
import type { WalkResult } from '../walker.ts';

export type ImageUser =
  | { uid: number; how: 'default' | 'numeric' | 'passwd' }
  /** A name /etc/passwd does not have (or no /etc/passwd): the runtime refuses to start the container. */
  | { uid: undefined; how: 'unknown-name' };

const PASSWD = 'etc/passwd';
/** Larger passwd files are cut here: uid 0 entries come first in every real one. */
const MAX_PASSWD_BYTES = 1 << 20;

/** Keeps the final /etc/passwd as (name, uid) pairs, in file order. */
export const passwdAnalyzer: Analyzer = {
  name: 'passwd',
  version: 1,
  maxBytes: MAX_PASSWD_BYTES,
  wants: (path) => path === PASSWD,
  analyze: (file) => ({ extra: [{ passwd: parsePasswd(file.content.toString('utf8')) }] }),
};

/** name:password:uid:…, lines trimmed, blank ones skipped (runc keeps `#` lines as entries too). */
export function parsePasswd(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(':');
    out.push([fields[0]!, goAtoi(fields[2] ?? '') ?? 0]);
  }
  return out;
}

/** Go's strconv.Atoi on a 64-bit platform: optional sign, decimal digits only; undefined when it fails. */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : undefined;
}

/** The passwd entries the walk saw in the final filesystem, or undefined when it has no /etc/passwd. */
export function imagePasswd(walk: WalkResult): Array<[string, number]> | undefined {
  for (const r of walk.results) {
    if (r.analyzer !== passwdAnalyzer.name || r.path !== PASSWD) continue;
    for (const e of (r.result.extra ?? []) as Array<{ passwd?: Array<[string, number]> }>) if (e.passwd !== undefined) return e.passwd;
  }
  return undefined;
}

export function resolveImageUser(user: string, passwd: ReadonlyArray<[string, number]> | undefined): ImageUser {
  const name = user.split(':')[0]!;
  if (name === '') return { uid: 0, how: 'default' };
  const numeric = /^[+-]?\d+$/.test(name);
  if (numeric) return { uid: /^[+-]?0+$/.test(name) ? 0 : Number(name), how: 'numeric' };
  const entry = passwd?.find(([n]) => n === name);
  return entry === undefined ? { uid: undefined, how: 'unknown-name' } : { uid: entry[1], how: 'passwd' };
}
