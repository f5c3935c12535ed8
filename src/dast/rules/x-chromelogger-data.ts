/**
 * ZAP 10052 X-ChromeLogger-Data (XCOLD) Header Information Leak (Medium): server-side debug
 * logs for a browser extension. Reads: response headers X-ChromeLogger-Data, X-ChromePhp-Data.
 */
import { headerLeak } from './header-leak.ts';

export const xChromeLogger = headerLeak(
  'DAST-X-CHROMELOGGER-DATA', 10052, 'X-ChromeLogger-Data (XCOLD) Header Information Leak', 'medium', ['X-ChromeLogger-Data', 'X-ChromePhp-Data'],
  'X-ChromeLogger-Data carries server-side debug logs (base64 JSON) to a browser extension: paths, queries, variables.',
  'Disable ChromeLogger/ChromePhp in production.',
);
