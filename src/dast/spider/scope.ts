/**
 * What the spider may request: the target's origin (scheme, host, port), extra hosts given with
 * `--scope`, minus URLs matching an `--exclude` regex. Nothing else is ever requested.
 */
export interface Scope {
  /** Origins in scope, e.g. `https://app.example.com:8443`. */
  origins: Set<string>;
  /** `host` or `host:port` entries from --scope (any scheme). */
  hosts: Set<string>;
  exclude: RegExp[];
}

export function createScope(target: URL, extraHosts: readonly string[] = [], exclude: readonly RegExp[] = []): Scope {
  const hosts = new Set<string>();
  const origins = new Set([target.origin]);
  for (const h of extraHosts) {
    if (/^https?:\/\//i.test(h)) origins.add(new URL(h).origin);
    else hosts.add(h.toLowerCase());
  }
  return { origins, hosts, exclude: [...exclude] };
}

export function inScope(scope: Scope, url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const hostOk = scope.origins.has(url.origin) || scope.hosts.has(url.host.toLowerCase()) || scope.hosts.has(url.hostname.toLowerCase());
  if (!hostOk) return false;
  const href = url.href;
  return !scope.exclude.some((re) => re.test(href));
}
