/**
 * ZAP 10037 Server Leaks Information via "X-Powered-By" HTTP Response Header Field(s) (Low):
 * X-Powered-By names the framework (and often its version) behind the site.
 * Reads: response header X-Powered-By.
 */
import { headerLeak } from './header-leak.ts';

export const xPoweredBy = headerLeak(
  'DAST-X-POWERED-BY', 10037, 'Server Leaks Information via "X-Powered-By" HTTP Response Header Field(s)', 'low', ['X-Powered-By'],
  'The server leaks the frameworks it runs on (and often their versions) through X-Powered-By headers.',
  'Remove X-Powered-By headers (Express: app.disable("x-powered-by"); PHP: expose_php = Off).',
);
