/**
 * Kubernetes URL library: url(), isURL(), getScheme, getHost, getHostname, getPort,
 * getEscapedPath, getQuery. Accepts what Go's url.ParseRequestURI accepts: an absolute URL or
 * an absolute path; no fragments are split off.
 */
import type { Environment } from '@marcbachmann/cel-js';

export class URLValue {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly text: string;
  constructor(scheme: string, host: string, path: string, rawQuery: string, text: string) {
    this.scheme = scheme;
    this.host = host;
    this.path = path;
    this.rawQuery = rawQuery;
    this.text = text;
  }
  hostname(): string {
    if (this.host.startsWith('[')) return this.host.slice(1, this.host.indexOf(']'));
    const colon = this.host.lastIndexOf(':');
    return colon < 0 ? this.host : this.host.slice(0, colon);
  }
  port(): string {
    const bracket = this.host.lastIndexOf(']');
    const colon = this.host.lastIndexOf(':');
    return colon > bracket ? this.host.slice(colon + 1) : '';
  }
  equals(o: unknown): boolean {
    return o instanceof URLValue && o.text === this.text;
  }
  toString(): string {
    return this.text;
  }
}

export function parseURL(text: string): URLValue | undefined {
  const hash = text.indexOf('#');
  let rest = hash < 0 ? text : text.slice(0, hash);
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm !== null) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (!rest.startsWith('/')) {
    return undefined;
  }
  let host = '';
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = authority.slice(at + 1);
    if (authority.startsWith('[')) {
      const close = authority.indexOf(']');
      if (close < 0) return undefined;
      const after = authority.slice(close + 1);
      if (after !== '' && !/^:\d*$/.test(after)) return undefined;
    } else {
      const colon = authority.indexOf(':');
      if (colon >= 0 && !/^\d*$/.test(authority.slice(colon + 1))) return undefined;
    }
    host = authority;
  } else if (scheme !== '' && !rest.startsWith('/')) {
    // opaque URL such as mailto:x; ParseRequestURI accepts it
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  return new URLValue(scheme, host, path, rawQuery, text);
}

function mustParseURL(s: string): URLValue {
  const u = parseURL(s);
  if (u === undefined) throw new Error(`URL parse error during conversion from string: ${s}`);
  return u;
}

function escapePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) => encodeURIComponent(c));
}

function queryMap(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    const v = decode(eq < 0 ? '' : part.slice(eq + 1));
    const list = out.get(k) ?? [];
    list.push(v);
    out.set(k, list);
  }
  return out;
}

export function registerURL(env: Environment): void {
  env.registerType('kubernetes.URL', { ctor: URLValue } as never);
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  const U = 'kubernetes.URL';
  fn(`url(string): ${U}`, (s: string) => mustParseURL(s));
  fn('isURL(string): bool', (s: string) => parseURL(s) !== undefined);
  fn(`string(${U}): string`, (u: URLValue) => u.toString());
  fn(`${U}.getScheme(): string`, (u: URLValue) => u.scheme);
  fn(`${U}.getHost(): string`, (u: URLValue) => u.host);
  fn(`${U}.getHostname(): string`, (u: URLValue) => u.hostname());
  fn(`${U}.getPort(): string`, (u: URLValue) => u.port());
  fn(`${U}.getEscapedPath(): string`, (u: URLValue) => escapePath(u.path));
  fn(`${U}.getQuery(): map<string, list<string>>`, (u: URLValue) => queryMap(u.rawQuery));
}
