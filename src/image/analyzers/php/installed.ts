/** Installed Composer packages: `vendor/composer/installed.json`. */
import type { Analyzer } from '../types.ts';
import { parseComposerInstalled } from './composer.ts';

export const composerInstalledAnalyzer: Analyzer = {
  name: 'composer-installed',
  version: 1,
  maxBytes: 32 * 1024 * 1024,
  wants: (path) => path.endsWith('vendor/composer/installed.json'),
  analyze: (file) => ({ packages: parseComposerInstalled(file.content.toString('utf8'), { path: file.path, readRelative: () => undefined }) }),
};
