/**
 * ZAP 10061 X-AspNet-Version Response Header (Low): the exact ASP.NET version.
 * Reads: response headers X-AspNet-Version, X-AspNetMvc-Version.
 */
import { headerLeak } from './header-leak.ts';

export const xAspNetVersion = headerLeak(
  'DAST-X-ASPNET-VERSION', 10061, 'X-AspNet-Version Response Header', 'low', ['X-AspNet-Version', 'X-AspNetMvc-Version'],
  'X-AspNet-Version and X-AspNetMvc-Version reveal the exact ASP.NET version.',
  'Set <httpRuntime enableVersionHeader="false"/> and MvcHandler.DisableMvcResponseHeader = true.',
);
