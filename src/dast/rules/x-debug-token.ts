/**
 * ZAP 10056 X-Debug-Token Information Leak (Low): the Symfony profiler is reachable.
 * Reads: response headers X-Debug-Token, X-Debug-Token-Link.
 */
import { headerLeak } from './header-leak.ts';

export const xDebugToken = headerLeak(
  'DAST-X-DEBUG-TOKEN', 10056, 'X-Debug-Token Information Leak', 'low', ['X-Debug-Token', 'X-Debug-Token-Link'],
  'X-Debug-Token(-Link) points at the Symfony profiler, which exposes requests, configuration and credentials.',
  'Disable the Symfony profiler (web_profiler) in production.',
);
