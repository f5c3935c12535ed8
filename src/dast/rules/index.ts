/** The passive rules, in ZAP plugin-ID order: the registry the scanner and `--generate-config` read. One file per ZAP plugin. */
import type { DastRule } from '../rule.ts';
import { antiClickjacking } from './anti-clickjacking.ts';
import { antiCsrf } from './anti-csrf-tokens.ts';
import { applicationError } from './application-error.ts';
import { bigRedirect } from './big-redirect.ts';
import { cacheControl } from './cache-control.ts';
import { charsetMismatch } from './charset-mismatch.ts';
import { contentTypeMissing } from './content-type-missing.ts';
import { cookieNoHttpOnly } from './cookie-no-httponly.ts';
import { cookieNoSameSite } from './cookie-no-samesite.ts';
import { cookieNoSecure } from './cookie-no-secure.ts';
import { cookiePoisoning } from './cookie-poisoning.ts';
import { corsMisconfiguration } from './cors.ts';
import { crossDomainScript } from './cross-domain-script.ts';
import { cspMissing } from './csp-missing.ts';
import { cspWeak } from './csp-weak.ts';
import { dangerousJs } from './dangerous-js.ts';
import { debugErrors } from './debug-errors.ts';
import { directoryBrowsing } from './directory-browsing.ts';
import { hashDisclosure } from './hash-disclosure.ts';
import { heartbleed } from './heartbleed.ts';
import { hsts } from './hsts.ts';
import { parameterOverride } from './http-parameter-override.ts';
import { httpToHttpsForm } from './http-to-https-form.ts';
import { httpsToHttpForm } from './https-to-http-form.ts';
import { inPageBanner } from './in-page-banner.ts';
import { jsfViewstate } from './insecure-jsf-viewstate.ts';
import { javaSerialization } from './java-serialization.ts';
import { looselyScopedCookie } from './loosely-scoped-cookie.ts';
import { mixedContent } from './mixed-content.ts';
import { modernWebApp } from './modern-web-app.ts';
import { offSiteRedirect } from './off-site-redirect.ts';
import { permissionsPolicy } from './permissions-policy.ts';
import { phpSource } from './php-source.ts';
import { pii } from './pii.ts';
import { polyfillDomain } from './polyfill-domain.ts';
import { privateIp } from './private-ip.ts';
import { retrievedFromCache } from './retrieved-from-cache.ts';
import { reverseTabnabbing } from './reverse-tabnabbing.ts';
import { sensitiveInReferer } from './sensitive-info-in-referer.ts';
import { sensitiveInUrl } from './sensitive-info-in-url.ts';
import { serverHeader } from './server-header.ts';
import { sessionIdInUrl } from './session-id-in-url.ts';
import { siteIsolation } from './site-isolation.ts';
import { sriMissing } from './sri-missing.ts';
import { suspiciousComments } from './suspicious-comments.ts';
import { timestampDisclosure } from './timestamp-disclosure.ts';
import { userControllableAttribute } from './user-controllable-attribute.ts';
import { userControllableCharset } from './user-controllable-charset.ts';
import { userControllableJsEvent } from './user-controllable-js-event.ts';
import { viewstate } from './viewstate.ts';
import { weakAuthentication } from './weak-authentication.ts';
import { wsdl } from './wsdl.ts';
import { xAspNetVersion } from './x-aspnet-version.ts';
import { xBackendServer } from './x-backend-server.ts';
import { xChromeLogger } from './x-chromelogger-data.ts';
import { xContentTypeOptions } from './x-content-type-options.ts';
import { xDebugToken } from './x-debug-token.ts';
import { xPoweredBy } from './x-powered-by.ts';
import { authRequest } from './auth-request.ts';
import { contentCacheability } from './content-cacheability.ts';
import { jsVulnsOutOfDate } from './js-vulns-out-of-date.ts';
import { sessionManagement } from './session-management.ts';
import { usernameHash } from './username-hash.ts';
import { verificationRequest } from './verification-request.ts';
import { vulnerableJsLibrary } from './vulnerable-js-library.ts';

export const DAST_RULES: readonly DastRule[] = [
  antiClickjacking,
  antiCsrf,
  applicationError,
  bigRedirect,
  cacheControl,
  charsetMismatch,
  contentTypeMissing,
  cookieNoHttpOnly,
  cookieNoSameSite,
  cookieNoSecure,
  cookiePoisoning,
  corsMisconfiguration,
  crossDomainScript,
  cspMissing,
  cspWeak,
  dangerousJs,
  debugErrors,
  directoryBrowsing,
  hashDisclosure,
  heartbleed,
  hsts,
  parameterOverride,
  httpToHttpsForm,
  httpsToHttpForm,
  inPageBanner,
  jsfViewstate,
  javaSerialization,
  looselyScopedCookie,
  mixedContent,
  modernWebApp,
  offSiteRedirect,
  permissionsPolicy,
  phpSource,
  pii,
  polyfillDomain,
  privateIp,
  retrievedFromCache,
  reverseTabnabbing,
  sensitiveInReferer,
  sensitiveInUrl,
  serverHeader,
  sessionIdInUrl,
  siteIsolation,
  sriMissing,
  suspiciousComments,
  timestampDisclosure,
  userControllableAttribute,
  userControllableCharset,
  userControllableJsEvent,
  viewstate,
  weakAuthentication,
  wsdl,
  xAspNetVersion,
  xBackendServer,
  xChromeLogger,
  xContentTypeOptions,
  xDebugToken,
  xPoweredBy,
  authRequest,
  contentCacheability,
  jsVulnsOutOfDate,
  sessionManagement,
  usernameHash,
  verificationRequest,
  vulnerableJsLibrary,
].sort((a, b) => a.zapId - b.zapId);

/**
 * ZAP baseline rules bosun does not implement, and why (listed by `--generate-config` as
 * comments so a ZAP config that names them is still understood). Every rule of ZAP's default
 * baseline set is implemented now.
 */
export const NOT_IMPLEMENTED: ReadonlyArray<readonly [number, string, string]> = [];

export function ruleByZapId(id: number): DastRule | undefined {
  return DAST_RULES.find((r) => r.zapId === id);
}
