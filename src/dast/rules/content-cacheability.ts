/**
 * ZAP 10049 Content Cacheability (Informational), after RFC 9111 (formerly 7234) §3 and §4.2: can
 * a shared cache store the response, and serve it to other users without asking the origin?
 * ZAP raises one of three sub-alerts for every response: 10049-1 Non-Storable, 10049-2 Storable but
 * Non-Cacheable, 10049-3 Storable and Cacheable. The first two are the safe outcomes, so bosun
 * reports only 10049-3: a response a proxy may hand to the next user as it is. Departure: ZAP
 * assumes a one-year heuristic lifetime when a storable response states none; bosun uses the
 * RFC's heuristic (10% of the time since Last-Modified) and otherwise treats it as stale.
 * Reads: request method and Cache-Control/Authorization; response status, Cache-Control, Pragma,
 * Expires, Date, Age, Last-Modified.
 */
import { header, type HttpMessage } from '../message.ts';
import { defineRule } from '../rule.ts';

/** Status codes cacheable by default (RFC 9110 §15.1). */
const HEURISTIC_STATUS = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

const NO_DIRECTIVES: ReadonlyMap<string, string> = new Map();

/** Cache-Control directives, names lower-cased, values unquoted. */
function directives(value: string | undefined): ReadonlyMap<string, string> {
  if (value === undefined) return NO_DIRECTIVES;
  const out = new Map<string, string>();
  for (const part of (value ?? '').split(',')) {
    const i = part.indexOf('=');
    const name = (i === -1 ? part : part.slice(0, i)).trim().toLowerCase();
    if (name !== '') out.set(name, i === -1 ? '' : part.slice(i + 1).trim().replace(/^"|"$/g, ''));
  }
  return out;
}

function seconds(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Why a shared cache may serve the response fresh, or undefined when it may not. */
export function sharedCacheFreshness(msg: HttpMessage): { lifetime: number; because: string } | undefined {
  const { request, response } = msg;
  if (!['GET', 'HEAD', 'POST'].includes(request.method)) return undefined;
  if (response.status < 100 || response.status > 599) return undefined;
  const req = directives(header(request.headers, 'cache-control'));
  const cc = directives(header(response.headers, 'cache-control'));
  if (req.has('no-store') || cc.has('no-store') || cc.has('private')) return undefined;
  if (header(request.headers, 'authorization') !== undefined && !cc.has('must-revalidate') && !cc.has('public') && !cc.has('s-maxage')) return undefined;
  const expires = header(response.headers, 'expires');
  const explicit = expires !== undefined || cc.has('max-age') || cc.has('s-maxage') || cc.has('public');
  if (!explicit && !HEURISTIC_STATUS.has(response.status)) return undefined; // not storable
  // POST responses are reused only with explicit freshness (RFC 9110 §9.3.3).
  if (request.method === 'POST' && !explicit) return undefined;
  if (cc.has('no-cache') || (!cc.has('max-age') && /\bno-cache\b/i.test(header(response.headers, 'pragma') ?? ''))) return undefined;
  const lastModifiedText = header(response.headers, 'last-modified');
  if (!explicit && lastModifiedText === undefined) return undefined; // nothing gives it a lifetime: stale
  const age = seconds(header(response.headers, 'age')) ?? 0;
  const date = Date.parse(header(response.headers, 'date') ?? '');
  const at = Number.isNaN(date) ? Date.now() : date;
  let lifetime: number | undefined;
  let because = '';
  const sMaxAge = seconds(cc.get('s-maxage'));
  const maxAge = seconds(cc.get('max-age'));
  if (sMaxAge !== undefined) [lifetime, because] = [sMaxAge, `s-maxage=${sMaxAge}`];
  else if (maxAge !== undefined) [lifetime, because] = [maxAge, `max-age=${maxAge}`];
  else if (expires !== undefined) {
    const e = Date.parse(expires);
    [lifetime, because] = [Number.isNaN(e) ? 0 : Math.floor((e - at) / 1000), `Expires: ${expires}`];
  } else {
    const lastModified = Date.parse(lastModifiedText ?? '');
    if (!Number.isNaN(lastModified) && lastModified < at) [lifetime, because] = [Math.floor((at - lastModified) / 10_000), `Last-Modified: ${lastModifiedText} (heuristic: 10% of its age)`];
  }
  if (lifetime === undefined || lifetime <= age) return undefined;
  return { lifetime: lifetime - age, because };
}

export const contentCacheability = defineRule({
  id: 'DAST-CONTENT-CACHEABILITY',
  zapId: 10049,
  title: 'Storable and Cacheable Content',
  severity: 'info',
  description: 'The response may be stored by shared caches (proxies, CDNs) and served to other users without asking the server; if it holds personal or session-specific data, they will see it.',
  remediation: 'For responses with user-specific data send Cache-Control: no-store (or private); keep long public lifetimes for static assets only.',
  fields: ['request method, Cache-Control, Authorization', 'response status, Cache-Control, Pragma, Expires, Date, Age, Last-Modified'],
  scan(msg) {
    const fresh = sharedCacheFreshness(msg);
    if (fresh === undefined) return [];
    return [{ ref: '10049-3', param: 'cache-control', evidence: fresh.because, detail: `a shared cache may serve it for ${fresh.lifetime} s` }];
  },
});
