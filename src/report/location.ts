/** File paths as report URIs: relative to the scan's base directory, forward slashes, percent-encoded. */
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ArtifactUri {
  uri: string;
  /** Set when `uri` is relative to the base directory. */
  uriBaseId?: string;
}

export const SRCROOT = '%SRCROOT%';

/**
 * GitHub code scanning resolves `uri` against the repository root, so paths are made relative
 * to `baseDir` (normally the repository root). A file outside it keeps an absolute `file:` URI.
 */
export function artifactUri(file: string, baseDir: string | undefined): ArtifactUri {
  const rel = baseDir === undefined ? file : relative(baseDir, file);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../')) return { uri: pathToFileURL(file).href };
  return { uri: encodePath(toPosix(rel)), uriBaseId: SRCROOT };
}

/** Display form of `file`: relative to `baseDir` when inside it, forward slashes. */
export function displayPath(file: string, baseDir: string | undefined): string {
  if (baseDir === undefined) return toPosix(file);
  const rel = relative(baseDir, file);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return toPosix(file);
  return toPosix(rel);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
