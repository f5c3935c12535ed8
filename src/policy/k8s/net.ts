/**
 * Kubernetes IP and CIDR libraries (1.30+): ip(), isIP(), ip.isCanonical(), family(), the
 * isUnspecified/isLoopback/isLinkLocalMulticast, isLinkLocalUnicast, isGlobalUnicast predicates; cidr(), containsIP(),
 * containsCIDR(), ip(), masked(), prefixLength(). Parsing follows Go's net/netip: dotted-quad IPv4
 * without leading zeros, IPv6 with one `::`; zones and IPv4-mapped IPv6 are rejected as Kubernetes does.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespace } from './common.ts';

export class IPAddress {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }
  equals(o: unknown): boolean {
    return o instanceof IPAddress && o.bytes.length === this.bytes.length && o.bytes.every((b, i) => b === this.bytes[i]);
  }
  toString(): string {
    if (this.family === 4) return [...this.bytes].join('.');
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((this.bytes[i]! << 8) | this.bytes[i + 1]!);
    let bestStart = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
  }
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIPv4(it);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Parses an IP address as Kubernetes' CEL ip() does; undefined when invalid. */
export function parseIP(s: string): IPAddress | undefined {
  if (s.includes('%')) return undefined;
  const bytes = s.includes(':') ? parseIPv6(s) : parseIPv4(s);
  if (bytes === undefined) return undefined;
  if (bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return undefined;
  return new IPAddress(bytes);
}

function mustParseIP(s: string): IPAddress {
  const ip = parseIP(s);
  if (ip === undefined) throw new Error(`IP Address ${JSON.stringify(s)} parse error during conversion from string`);
  return ip;
}

export class CIDR {
  readonly ip: IPAddress;
  readonly prefix: number;
  constructor(ip: IPAddress, prefix: number) {
    this.ip = ip;
    this.prefix = prefix;
  }
  masked(): CIDR {
    const bytes = this.ip.bytes.map((b, i) => {
      const bits = Math.max(0, Math.min(8, this.prefix - 8 * i));
      return b & ((0xff << (8 - bits)) & 0xff);
    });
    return new CIDR(new IPAddress(bytes), this.prefix);
  }
  containsIP(ip: IPAddress): boolean {
    if (ip.family !== this.ip.family) return false;
    return new CIDR(ip, this.prefix).masked().ip.equals(this.masked().ip);
  }
  containsCIDR(o: CIDR): boolean {
    return o.prefix >= this.prefix && this.containsIP(o.ip);
  }
  equals(o: unknown): boolean {
    return o instanceof CIDR && o.prefix === this.prefix && o.ip.equals(this.ip);
  }
  toString(): string {
    return `${this.ip.toString()}/${this.prefix}`;
  }
}

export function parseCIDR(s: string): CIDR | undefined {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(bits) || (bits.length > 1 && bits[0] === '0')) return undefined;
  const prefix = Number(bits);
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined;
  return new CIDR(ip, prefix);
}

function mustParseCIDR(s: string): CIDR {
  const c = parseCIDR(s);
  if (c === undefined) throw new Error('network address parse error during conversion from string: network address parse error during conversion from string');
  return c;
}

function isLoopback(ip: IPAddress): boolean {
  return ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
}

function isGlobalUnicast(ip: IPAddress): boolean {
  const b = ip.bytes;
  if (ip.family === 4) {
    if (b.every((x) => x === 255) || b.every((x) => x === 0)) return false;
    if (b[0] === 127 || b[0]! >= 224 || (b[0] === 169 && b[1] === 254)) return false;
    return true;
  }
  if (b.every((x) => x === 0) || isLoopback(ip) || b[0] === 0xff || (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80)) return false;
  return true;
}

export function registerNet(env: Environment): void {
  env.registerType('net.IP', { ctor: IPAddress } as never);
  env.registerType('net.CIDR', { ctor: CIDR } as never);
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn('ip(string): net.IP', (s: string) => mustParseIP(s));
  fn('isIP(string): bool', (s: string) => parseIP(s) !== undefined);
  fn('string(net.IP): string', (ip: IPAddress) => ip.toString());
  fn('net.IP.family(): int', (ip: IPAddress) => BigInt(ip.family));
  fn('net.IP.isUnspecified(): bool', (ip: IPAddress) => ip.bytes.every((b) => b === 0));
  fn('net.IP.isLoopback(): bool', isLoopback);
  fn('net.IP.isLinkLocalMulticast(): bool', (ip: IPAddress) =>
    ip.family === 4 ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1]! & 0x0f) === 0x02,
  );
  fn('net.IP.isLinkLocalUnicast(): bool', (ip: IPAddress) =>
    ip.family === 4 ? ip.bytes[0] === 169 && ip.bytes[1] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80,
  );
  fn('net.IP.isGlobalUnicast(): bool', isGlobalUnicast);
  env.registerOperator('net.IP == net.IP', ((a: IPAddress, b: IPAddress) => a.equals(b)) as never);
  const ns = registerNamespace(env, 'ip');
  fn(`${ns}.isCanonical(string): bool`, (_: unknown, s: string) => mustParseIP(s).toString() === s);
  fn('cidr(string): net.CIDR', (s: string) => mustParseCIDR(s));
  fn('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined);
  fn('string(net.CIDR): string', (c: CIDR) => c.toString());
  fn('net.CIDR.containsIP(net.IP): bool', (c: CIDR, ip: IPAddress) => c.containsIP(ip));
  fn('net.CIDR.containsIP(string): bool', (c: CIDR, s: string) => c.containsIP(mustParseIP(s)));
  fn('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDR, o: CIDR) => c.containsCIDR(o));
  fn('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => c.containsCIDR(mustParseCIDR(s)));
  fn('net.CIDR.ip(): net.IP', (c: CIDR) => c.ip);
  fn('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked());
  fn('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
  env.registerOperator('net.CIDR == net.CIDR', ((a: CIDR, b: CIDR) => a.equals(b)) as never);
}
