/** .NET applications in images: `*.deps.json` beside the assemblies. */
import type { Analyzer } from '../types.ts';
import { parseDepsJson } from './deps-json.ts';

export const dotnetDepsAnalyzer: Analyzer = {
  name: 'dotnet-deps',
  version: 1,
  maxBytes: 32 * 1024 * 1024,
  wants: (path) => path.endsWith('.deps.json'),
  analyze: (file) => ({ packages: parseDepsJson(file.content.toString('utf8'), { path: file.path, readRelative: () => undefined }) }),
};
