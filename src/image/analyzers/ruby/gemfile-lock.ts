/** Gemfile.lock: `specs:` of the GEM, GIT and PATH sections, four-space `name (version)` lines. */
import type { Package } from '../../types.ts';
import { dedupe, pkg, type LockfileContext } from '../lockfile-util.ts';

export function parseGemfileLock(body: string, ctx: LockfileContext): Package[] {
  const out: Package[] = [];
  let section = '';
  let inSpecs = false;
  let current: Package | undefined;
  for (const line of body.split('\n')) {
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      inSpecs = false;
      continue;
    }
    if (!['GEM', 'GIT', 'PATH'].includes(section)) continue;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
    const spec = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(line);
    if (spec !== null) {
      // `nokogiri (1.13.3-x86_64-linux)`: the platform suffix is not part of the version.
      const version = spec[2]!.replace(/-(x86|x64|arm|aarch|universal|java|mingw|mswin|darwin|linux).*$/, '');
      current = pkg(spec[1]!, version, 'gem', ctx.path);
      out.push(current);
      continue;
    }
    const dep = /^ {6}([^\s(]+)/.exec(line);
    if (dep !== null && current !== undefined) (current.dependsOn ??= []).push(dep[1]!);
  }
  return dedupe(out);
}

/** An installed gem's specification (`specifications/<name>-<version>.gemspec`): name and version from the file name. */
export function gemFromSpecPath(path: string): Package | undefined {
  const m = /(?:^|\/)specifications\/(.+)-([0-9][^-/]*)\.gemspec$/.exec(path);
  return m === null ? undefined : pkg(m[1]!, m[2]!, 'gem', path);
}
