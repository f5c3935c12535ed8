/**
 * Kubernetes Quantity library (1.28+): quantity(), isQuantity(), isLessThan, isGreaterThan,
 * compareTo, add, sub, asInteger, isInteger, asApproximateFloat, sign. Values are exact
 * decimals (bigint × 10^-scale), so "0.2G" == "200M" and binary suffixes compare exactly.
 */
import type { Environment } from '@marcbachmann/cel-js';

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;
const QUANTITY_SHAPE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export class Quantity {
  readonly num: bigint;
  readonly scale: number;
  readonly text: string;
  constructor(num: bigint, scale: number, text?: string) {
    this.num = num;
    this.scale = scale;
    this.text = text ?? Quantity.format(num, scale);
  }
  static format(num: bigint, scale: number): string {
    if (scale <= 0) return (num * 10n ** BigInt(-scale)).toString();
    const neg = num < 0n;
    const digits = (neg ? -num : num).toString().padStart(scale + 1, '0');
    let frac = digits.slice(-scale).replace(/0+$/, '');
    const int = digits.slice(0, -scale);
    return `${neg ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`.replace(/^(-?)$/, '0');
  }
  /** Both numerators at the larger scale. */
  static align(a: Quantity, b: Quantity): [bigint, bigint, number] {
    const s = Math.max(a.scale, b.scale);
    return [a.num * 10n ** BigInt(s - a.scale), b.num * 10n ** BigInt(s - b.scale), s];
  }
  compareTo(o: Quantity): number {
    const [x, y] = Quantity.align(this, o);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  equals(o: unknown): boolean {
    return o instanceof Quantity && this.compareTo(o) === 0;
  }
  plus(o: Quantity, sign: 1n | -1n): Quantity {
    const [x, y, s] = Quantity.align(this, o);
    return new Quantity(x + sign * y, s);
  }
  integerValue(): bigint | undefined {
    if (this.scale <= 0) return this.num * 10n ** BigInt(-this.scale);
    const d = 10n ** BigInt(this.scale);
    return this.num % d === 0n ? this.num / d : undefined;
  }
  toString(): string {
    return this.text;
  }
}

/** Parses a quantity as resource.ParseQuantity does; throws with the upstream reason. */
export function parseQuantity(text: string): Quantity {
  const m = QUANTITY_SHAPE.exec(text);
  if (m === null || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1]!)) throw new Error('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  const [, numberPart, suffix] = m as unknown as [string, string, string];
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in BINARY) exp2 = BINARY[suffix]!;
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix]!;
  else if (/^[eE][-+]?\d+$/.test(suffix)) exp10 = Number(suffix.slice(1));
  else throw new Error("unable to parse quantity's suffix");
  const neg = numberPart.startsWith('-');
  const unsigned = numberPart.replace(/^[+-]/, '');
  const [intPart, fracPart = ''] = unsigned.split('.');
  let num = BigInt(`${intPart || '0'}${fracPart}` || '0');
  let scale = fracPart.length - exp10;
  num *= 2n ** BigInt(exp2);
  if (neg) num = -num;
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return new Quantity(num, scale, text);
}

function isQuantity(s: string): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

export function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', { ctor: Quantity } as never);
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  const Q = 'kubernetes.Quantity';
  fn(`quantity(string): ${Q}`, (s: string) => parseQuantity(s));
  fn('isQuantity(string): bool', (s: string) => isQuantity(s));
  fn(`string(${Q}): string`, (q: Quantity) => q.toString());
  fn(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) < 0);
  fn(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) > 0);
  fn(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)));
  fn(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.plus(b, 1n));
  fn(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => a.plus(new Quantity(b, 0), 1n));
  fn(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.plus(b, -1n));
  fn(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => a.plus(new Quantity(b, 0), -1n));
  fn(`${Q}.sign(): int`, (a: Quantity) => BigInt(a.compareTo(new Quantity(0n, 0))));
  fn(`${Q}.isInteger(): bool`, (a: Quantity) => {
    const v = a.integerValue();
    return v !== undefined && v <= MAX_INT64 && v >= MIN_INT64;
  });
  fn(`${Q}.asInteger(): int`, (a: Quantity) => {
    const v = a.integerValue();
    if (v === undefined || v > MAX_INT64 || v < MIN_INT64) throw new Error('cannot convert value to integer');
    return v;
  });
  fn(`${Q}.asApproximateFloat(): double`, (a: Quantity) => Number(a.num) / 10 ** a.scale);
  env.registerOperator(`${Q} == ${Q}`, ((a: Quantity, b: Quantity) => a.equals(b)) as never);
}
