/** Shell-style globs (`*`, `?`) as used in waivers and rule selection; case-sensitive. */
import { BosunError } from './errors.ts';
/**
 * Compiled globs. Patterns also come from the objects scanned (the `bosun.dev/ignore`
 * annotation), so in a long-running process (the admission webhook) the cache must be bounded:
 * unbounded, every review with a new pattern kept ~1 KB for good.
 */
const cache = new Map<string, RegExp>();
const MAX_CACHED_GLOBS = 1024;

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re === undefined) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    if (cache.size >= MAX_CACHED_GLOBS) cache.clear();
    cache.set(glob, re);
  }
  return re;
}

/** How many compiled globs are cached (tests). */
export function cachedGlobCount(): number {
  return cache.size;
}

export function matchesGlob(glob: string, value: string): boolean {
  // Without `*` or `?` a glob matches only itself: no regular expression to compile or keep.
  return glob === value || ((glob.includes('*') || glob.includes('?')) && globToRegExp(glob).test(value));
}

export function matchesAnyGlob(globs: readonly string[] | undefined, value: string): boolean {
  return globs !== undefined && globs.some((g) => matchesGlob(g, value));
}

/**
 * Path globs for leaving files out of directory walks (bosun.yaml `exclude`, `scan --skip`),
 * matched against a `/`-separated path relative to a base directory: `**` spans any number of
 * directories, `*` and `?` stay inside one name, and, as in .gitignore, a pattern with no `/`
 * other than a trailing one matches a file or directory name at any depth. A matched directory
 * is left out whole.
 */
export function pathGlobMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  for (const g of globs) {
    // Paths are matched relative to the base: an absolute or parent-relative pattern could never match.
    if (g.startsWith('/') || g === '..' || g.startsWith('../') || g.includes('/../')) throw new BosunError('E_CONFIG', `exclude/--skip "${g}": patterns are relative to bosun.yaml (exclude) or the working directory (--skip); "/" and ".." never match`);
  }
  const res = globs.map((g) => {
    let glob = g.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!glob.includes('/')) glob = `**/${glob}`;
    let body = '';
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === '*' && glob[i + 1] === '*') {
        // `**/` = zero or more directories; a trailing `**` = everything below.
        if (glob[i + 2] === '/') {
          body += '(?:[^/]+/)*';
          i += 2;
        } else {
          body += '.*';
          i += 1;
        }
      } else if (c === '*') body += '[^/]*';
      else if (c === '?') body += '[^/]';
      else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${body}$`);
  });
  return (relativePath) => res.some((re) => re.test(relativePath));
}
