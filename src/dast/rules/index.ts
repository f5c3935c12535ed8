/** The passive rules, in ZAP plugin-ID order: the registry the scanner and `--generate-config` read. */
import type { DastRule } from '../rule.ts';
import { antiClickjacking } from './anti-clickjacking.ts';
import { applicationError } from './application-error.ts';
import { bigRedirect } from './big-redirect.ts';
import { cacheControl } from './cache-control.ts';
import { charsetMismatch } from './charset-mismatch.ts';
import { contentTypeMissing } from './content-type-missing.ts';
import { cookieNoHttpOnly, cookieNoSameSite, cookieNoSecure, looselyScopedCookie } from './cookies.ts';
import { corsMisconfiguration } from './cors.ts';
import { cspMissing } from './csp-missing.ts';
import { cspWeak } from './csp-weak.ts';
import { dangerousJs } from './dangerous-js.ts';
import { debugErrors } from './debug-errors.ts';
import { directoryBrowsing } from './directory-browsing.ts';
import { httpToHttpsForm, httpsToHttpForm } from './form-transitions.ts';
import { antiCsrf, parameterOverride } from './forms.ts';
import { hashDisclosure } from './hash-disclosure.ts';
import { heartbleed } from './heartbleed.ts';
import { hsts } from './hsts.ts';
import { inPageBanner } from './in-page-banner.ts';
import { xAspNetVersion, xBackendServer, xChromeLogger, xDebugToken, xPoweredBy } from './info-headers.ts';
import { javaSerialization } from './java-serialization.ts';
import { mixedContent } from './mixed-content.ts';
import { modernWebApp } from './modern-web-app.ts';
import { permissionsPolicy } from './permissions-policy.ts';
import { phpSource } from './php-source.ts';
import { pii } from './pii.ts';
import { privateIp } from './private-ip.ts';
import { retrievedFromCache } from './retrieved-from-cache.ts';
import { reverseTabnabbing } from './reverse-tabnabbing.ts';
import { crossDomainScript, polyfillDomain, sriMissing } from './script-inclusion.ts';
import { sensitiveInReferer, sensitiveInUrl, sessionIdInUrl } from './sensitive-url.ts';
import { serverHeader } from './server-header.ts';
import { siteIsolation } from './site-isolation.ts';
import { suspiciousComments } from './suspicious-comments.ts';
import { timestampDisclosure } from './timestamp-disclosure.ts';
import { cookiePoisoning, offSiteRedirect, userControllableAttribute, userControllableCharset, userControllableJsEvent } from './user-controlled.ts';
import { jsfViewstate, viewstate } from './viewstate.ts';
import { weakAuthentication } from './weak-authentication.ts';
import { wsdl } from './wsdl.ts';
import { xContentTypeOptions } from './x-content-type-options.ts';

export const DAST_RULES: readonly DastRule[] = [
  privateIp, sessionIdInUrl, inPageBanner, cookieNoHttpOnly, cookieNoSecure, cacheControl, crossDomainScript, contentTypeMissing,
  antiClickjacking, xContentTypeOptions, debugErrors, sensitiveInUrl, sensitiveInReferer, parameterOverride, suspiciousComments,
  offSiteRedirect, cookiePoisoning, userControllableCharset, userControllableAttribute, viewstate, directoryBrowsing, heartbleed,
  hsts, serverHeader, xPoweredBy, cspMissing, xBackendServer, mixedContent, httpToHttpsForm, httpsToHttpForm, userControllableJsEvent,
  bigRedirect, retrievedFromCache, xChromeLogger, cookieNoSameSite, cspWeak, xDebugToken, xAspNetVersion, pii, permissionsPolicy,
  timestampDisclosure, hashDisclosure, corsMisconfiguration, phpSource, weakAuthentication, reverseTabnabbing, modernWebApp,
  dangerousJs, polyfillDomain, antiCsrf, jsfViewstate, javaSerialization, sriMissing, siteIsolation, charsetMismatch, applicationError,
  wsdl, looselyScopedCookie,
].sort((a, b) => a.zapId - b.zapId);

/**
 * ZAP baseline rules bosun does not implement, and why (listed by `--generate-config` as
 * comments so a ZAP config that names them is still understood).
 */
export const NOT_IMPLEMENTED: ReadonlyArray<readonly [number, string, string]> = [
  [10003, 'Vulnerable JS Library', 'needs the Retire.js vulnerability database; use an SBOM/vulnerability scan of the front-end bundle'],
  [10049, 'Content Cacheability', 'reports every response as storable or not (informational inventory, not a finding)'],
  [10057, 'Username Hash Found', 'needs the users of an authenticated ZAP context'],
  [10111, 'Authentication Request Identified', 'authentication helper of ZAP contexts, not a finding'],
  [10112, 'Session Management Response Identified', 'authentication helper of ZAP contexts, not a finding'],
  [10113, 'Verification Request Identified', 'authentication helper of ZAP contexts, not a finding'],
  [10116, 'ZAP is Out of Date', 'about the ZAP installation itself'],
];

export function ruleByZapId(id: number): DastRule | undefined {
  return DAST_RULES.find((r) => r.zapId === id);
}
