/** Regular files with the setuid or setgid bit: privilege escalation paths (CIS Docker 4.8). */
import type { Analyzer } from '../types.ts';

export const setuidAnalyzer: Analyzer = {
  name: 'setuid',
  version: 1,
  maxBytes: 0,
  wants: (_path, mode) => (mode & 0o6000) !== 0,
  analyze: (file) => ({ specialFiles: [{ path: file.path, mode: file.mode }] }),
};
