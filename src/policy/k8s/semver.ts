/**
 * Kubernetes Semver library (1.33+): semver(s[, normalize]), isSemver(s[, normalize]), ==,
 * isLessThan, isGreaterThan, compareTo, major, minor, patch. Strict SemVer 2.0.0; with
 * normalize, a leading "v", missing minor/patch and leading zeros are accepted.
 */
import type { Environment } from '@marcbachmann/cel-js';

const STRICT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class Semver {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string[];
  readonly text: string;
  constructor(major: bigint, minor: bigint, patch: bigint, pre: string[], text: string) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.pre = pre;
    this.text = text;
  }
  compareTo(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    if (this.pre.length === 0 || o.pre.length === 0) return o.pre.length - this.pre.length === 0 ? 0 : this.pre.length === 0 ? 1 : -1;
    for (let i = 0; i < Math.min(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i]!;
      const b = o.pre[i]!;
      if (a === b) continue;
      const an = /^\d+$/.test(a);
      const bn = /^\d+$/.test(b);
      if (an && bn) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return Math.sign(this.pre.length - o.pre.length);
  }
  equals(o: unknown): boolean {
    return o instanceof Semver && this.compareTo(o) === 0;
  }
  toString(): string {
    return this.text;
  }
}

export function parseSemver(text: string, normalize = false): Semver {
  let s = text;
  if (normalize) {
    if (s.startsWith('v')) s = s.slice(1);
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s);
    if (m !== null) {
      const strip = (x: string | undefined): string => (x === undefined ? '0' : String(BigInt(x)));
      s = `${strip(m[1])}.${strip(m[2])}.${strip(m[3])}${m[4]}`;
    }
  }
  const m = STRICT.exec(s);
  if (m === null) {
    if (!/^\d+\.\d+\.\d+/.test(s)) throw new Error('No Major.Minor.Patch elements found');
    throw new Error(`invalid semver ${JSON.stringify(text)}`);
  }
  return new Semver(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!), m[4] === undefined ? [] : m[4].split('.'), s);
}

function isSemver(s: string, normalize: boolean): boolean {
  try {
    parseSemver(s, normalize);
    return true;
  } catch {
    return false;
  }
}

export function registerSemver(env: Environment): void {
  env.registerType('kubernetes.Semver', { ctor: Semver } as never);
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  const S = 'kubernetes.Semver';
  fn(`semver(string): ${S}`, (s: string) => parseSemver(s));
  fn(`semver(string, bool): ${S}`, (s: string, n: boolean) => parseSemver(s, n));
  fn('isSemver(string): bool', (s: string) => isSemver(s, false));
  fn('isSemver(string, bool): bool', (s: string, n: boolean) => isSemver(s, n));
  fn(`string(${S}): string`, (v: Semver) => v.toString());
  fn(`${S}.isLessThan(${S}): bool`, (a: Semver, b: Semver) => a.compareTo(b) < 0);
  fn(`${S}.isGreaterThan(${S}): bool`, (a: Semver, b: Semver) => a.compareTo(b) > 0);
  fn(`${S}.compareTo(${S}): int`, (a: Semver, b: Semver) => BigInt(a.compareTo(b)));
  fn(`${S}.major(): int`, (a: Semver) => a.major);
  fn(`${S}.minor(): int`, (a: Semver) => a.minor);
  fn(`${S}.patch(): int`, (a: Semver) => a.patch);
  env.registerOperator(`${S} == ${S}`, ((a: Semver, b: Semver) => a.equals(b)) as never);
}
