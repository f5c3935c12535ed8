/** Where the vulnerability store lives: the user cache directory, overridable for CI and tests. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$BOSUN_CACHE_DIR`, else the platform cache directory: `$XDG_CACHE_HOME` or `~/.cache` on
 * Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['BOSUN_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'bosun');
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'bosun');
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'bosun');
}

/** The store file: `<cache>/vuln/osv.sqlite`. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'vuln', 'osv.sqlite');
}
