/**
 * Response headers that leak implementation details (one rule each, ZAP's plugin IDs):
 * 10037 X-Powered-By (Low), 10039 X-Backend-Server (Low), 10052 X-ChromeLogger-Data /
 * X-ChromePhp-Data (Medium: server-side debug logs for a browser extension), 10056
 * X-Debug-Token / X-Debug-Token-Link (Low: Symfony profiler), 10061 X-AspNet-Version /
 * X-AspNetMvc-Version (Low).
 */
import type { Severity } from '../../core/finding.ts';
import { headerAll } from '../message.ts';
import { defineRule, type DastRule } from '../rule.ts';

function headerLeak(id: string, zapId: number, title: string, severity: Severity, headers: readonly string[], description: string, remediation: string): DastRule {
  return defineRule({
    id,
    zapId,
    title,
    severity,
    description,
    remediation,
    fields: headers.map((h) => `response header ${h}`),
    scan(msg) {
      return headers.flatMap((h) => headerAll(msg.response.headers, h).map((v) => ({ param: h.toLowerCase(), evidence: `${h}: ${v}` })));
    },
  });
}

export const xPoweredBy = headerLeak(
  'DAST-X-POWERED-BY', 10037, 'Server Leaks Information via "X-Powered-By" HTTP Response Header Field(s)', 'low', ['X-Powered-By'],
  'The server leaks the frameworks it runs on (and often their versions) through X-Powered-By headers.',
  'Remove X-Powered-By headers (Express: app.disable("x-powered-by"); PHP: expose_php = Off).',
);

export const xBackendServer = headerLeak(
  'DAST-X-BACKEND-SERVER', 10039, 'X-Backend-Server Header Information Leak', 'low', ['X-Backend-Server'],
  'The X-Backend-Server header names the internal server that answered, revealing the infrastructure behind the proxy.',
  'Strip X-Backend-Server at the proxy or load balancer.',
);

export const xChromeLogger = headerLeak(
  'DAST-X-CHROMELOGGER-DATA', 10052, 'X-ChromeLogger-Data (XCOLD) Header Information Leak', 'medium', ['X-ChromeLogger-Data', 'X-ChromePhp-Data'],
  'X-ChromeLogger-Data carries server-side debug logs (base64 JSON) to a browser extension: paths, queries, variables.',
  'Disable ChromeLogger/ChromePhp in production.',
);

export const xDebugToken = headerLeak(
  'DAST-X-DEBUG-TOKEN', 10056, 'X-Debug-Token Information Leak', 'low', ['X-Debug-Token', 'X-Debug-Token-Link'],
  'X-Debug-Token(-Link) points at the Symfony profiler, which exposes requests, configuration and credentials.',
  'Disable the Symfony profiler (web_profiler) in production.',
);

export const xAspNetVersion = headerLeak(
  'DAST-X-ASPNET-VERSION', 10061, 'X-AspNet-Version Response Header', 'low', ['X-AspNet-Version', 'X-AspNetMvc-Version'],
  'X-AspNet-Version and X-AspNetMvc-Version reveal the exact ASP.NET version.',
  'Set <httpRuntime enableVersionHeader="false"/> and MvcHandler.DisableMvcResponseHeader = true.',
);
