/**
 * ZAP 10039 X-Backend-Server Header Information Leak (Low): the header names the internal
 * server that answered. Reads: response header X-Backend-Server.
 */
import { headerLeak } from './header-leak.ts';

export const xBackendServer = headerLeak(
  'DAST-X-BACKEND-SERVER', 10039, 'X-Backend-Server Header Information Leak', 'low', ['X-Backend-Server'],
  'The X-Backend-Server header names the internal server that answered, revealing the infrastructure behind the proxy.',
  'Strip X-Backend-Server at the proxy or load balancer.',
);
