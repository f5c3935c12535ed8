/** Shell-style globs (`*`, `?`) as used in waivers and rule selection; case-sensitive. */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re === undefined) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

export function matchesGlob(glob: string, value: string): boolean {
  return glob === value || globToRegExp(glob).test(value);
}

export function matchesAnyGlob(globs: readonly string[] | undefined, value: string): boolean {
  return globs !== undefined && globs.some((g) => matchesGlob(g, value));
}
