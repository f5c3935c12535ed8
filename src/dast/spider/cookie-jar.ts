/**
 * The spider keeps the cookies the target sets and sends them back, as a browser does, so a
 * session-based site is crawled as a visitor sees it. Host-only (the Domain attribute is not
 * widened: everything in scope is one of a few known hosts), Path-scoped, Secure cookies only
 * over HTTPS, deletions and expiries honoured (RFC 6265 §5.3, simplified).
 */
import { isDeletion, parseSetCookie } from '../message.ts';

interface Stored {
  /** `name=value`, as sent. */
  pair: string;
  path: string;
  secure: boolean;
}

export interface CookieJar {
  /** Records the Set-Cookie headers of a response from `url`. */
  store(url: URL, setCookies: readonly string[]): void;
  /** The Cookie header value for a request to `url`, or undefined. */
  header(url: URL): string | undefined;
}

export function createCookieJar(): CookieJar {
  const byHost = new Map<string, Map<string, Stored>>();
  return {
    store(url, setCookies) {
      for (const raw of setCookies) {
        const c = parseSetCookie(raw);
        if (c.name === '') continue;
        let jar = byHost.get(url.host);
        if (jar === undefined) byHost.set(url.host, (jar = new Map()));
        const path = c.attrs.get('path') ?? defaultPath(url);
        const key = `${c.name}\u0000${path}`;
        if (isDeletion(c)) jar.delete(key);
        else jar.set(key, { pair: `${c.name}=${c.value}`, path, secure: c.attrs.has('secure') });
      }
    },
    header(url) {
      const jar = byHost.get(url.host);
      if (jar === undefined || jar.size === 0) return undefined;
      const pairs: string[] = [];
      const https = url.protocol === 'https:';
      const path = url.pathname;
      for (const c of jar.values()) {
        if (c.secure && !https) continue;
        if (!pathMatches(path, c.path)) continue;
        pairs.push(c.pair);
      }
      return pairs.length === 0 ? undefined : pairs.join('; ');
    },
  };
}

/** RFC 6265 §5.1.4: the directory of the request path. */
function defaultPath(url: URL): string {
  const p = url.pathname;
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
