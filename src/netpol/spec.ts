/**
 * Desired connectivity as code (the Illuminatio idea, done statically): a spec lists connections
 * that must be allowed and connections that must be denied; each case becomes one test result.
 *
 * ```yaml
 * allow:
 *   - from: shop/frontend          # <namespace>/<pod>, <namespace>/* (every pod), or an IP
 *     to: shop/api:8080/TCP        # destination, port and protocol (TCP by default)
 * deny:
 *   - from: shop/frontend
 *     to: shop/db:5432
 *   - { from: shop/api, to: 203.0.113.10, port: 443 }
 * ```
 */
import { load } from 'js-yaml';
import { BosunError } from '../core/errors.ts';
import { asArray, asObject, asString } from '../manifests/path.ts';
import type { ConnectionVerdict, NetpolEvaluator } from './evaluate.ts';
import { parsePortProto, portKey } from './matrix.ts';
import type { Endpoint, PortProto } from './model.ts';
import { parseAddress } from './ip.ts';

export interface SpecCase {
  expect: 'allow' | 'deny';
  from: string;
  to: string;
  port: PortProto;
  /** Index in its list, for messages: `allow[2]`. */
  origin: string;
}

export interface CaseResult {
  name: string;
  origin: string;
  expect: 'allow' | 'deny';
  from: string;
  to: string;
  port: string;
  allowed: boolean;
  passed: boolean;
  /** Why the analysis decided as it did. */
  reasons: string[];
  /** Set when an endpoint does not exist in the inputs. */
  error?: string;
}

export interface SpecResult {
  cases: CaseResult[];
  passed: number;
  failed: number;
}

/** `ns/pod:80/TCP`, `10.0.0.1:53/UDP`, `[2001:db8::1]:443`: endpoint and optional port. */
export function splitEndpointPort(text: string): { endpoint: string; port: PortProto | undefined } {
  const t = text.trim();
  const bracket = /^\[([^\]]+)\](?::(.+))?$/.exec(t);
  if (bracket !== null) return { endpoint: bracket[1]!, port: bracket[2] === undefined ? undefined : portOrThrow(bracket[2], text) };
  if (parseAddress(t) !== undefined) return { endpoint: t, port: undefined };
  const colon = t.lastIndexOf(':');
  if (colon === -1) return { endpoint: t, port: undefined };
  return { endpoint: t.slice(0, colon), port: portOrThrow(t.slice(colon + 1), text) };
}

function portOrThrow(text: string, whole: string): PortProto {
  const p = parsePortProto(text);
  if (p === undefined) throw new BosunError('E_NETPOL_SPEC', `"${whole}": "${text}" is not PORT[/TCP|UDP|SCTP]`);
  return p;
}

export function parseSpec(text: string, file: string): SpecCase[] {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new BosunError('E_NETPOL_SPEC', `${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const root = asObject(doc);
  if (root === undefined || (root['allow'] === undefined && root['deny'] === undefined)) throw new BosunError('E_NETPOL_SPEC', `${file}: expected a map with "allow:" and/or "deny:" lists`);
  const out: SpecCase[] = [];
  for (const expect of ['allow', 'deny'] as const) {
    asArray(root[expect]).forEach((raw, i) => {
      const origin = `${expect}[${i}]`;
      const c = asObject(raw);
      const from = asString(c?.['from']);
      const toRaw = asString(c?.['to']);
      if (from === undefined || toRaw === undefined) throw new BosunError('E_NETPOL_SPEC', `${file}: ${origin}: needs "from" and "to"`);
      const { endpoint: to, port: inline } = splitEndpointPort(toRaw);
      let port = inline;
      if (c!['port'] !== undefined) port = portOrThrow(`${String(c!['port'])}${c!['protocol'] !== undefined ? `/${String(c!['protocol'])}` : ''}`, toRaw);
      if (port === undefined) throw new BosunError('E_NETPOL_SPEC', `${file}: ${origin}: "${toRaw}" names no port (write ${toRaw}:80/TCP or port: 80)`);
      out.push({ expect, from: from.trim(), to, port, origin });
    });
  }
  return out;
}

/** External IPs the cases name (they become endpoints of the model). */
export function specExternals(cases: readonly SpecCase[]): string[] {
  return [...new Set(cases.flatMap((c) => [c.from, c.to]).filter((e) => parseAddress(e) !== undefined))];
}

/** `ns/pod`, `ns/*` or an IP → endpoints; an empty list when nothing matches. */
export function resolveEndpoints(ev: NetpolEvaluator, ref: string): Endpoint[] {
  const model = ev.model;
  if (ref.endsWith('/*')) {
    const ns = ref.slice(0, -2);
    return model.pods.filter((p) => p.namespace === ns);
  }
  const e = model.byKey.get(ref);
  return e === undefined ? [] : [e];
}

export function reasonsOf(v: ConnectionVerdict): string[] {
  return [v.egress?.reason, v.ingress?.reason].filter((r): r is string => r !== undefined);
}

export function runSpec(ev: NetpolEvaluator, cases: readonly SpecCase[]): SpecResult {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const froms = resolveEndpoints(ev, c.from);
    const tos = resolveEndpoints(ev, c.to);
    const base = { origin: c.origin, expect: c.expect, port: portKey(c.port) };
    if (froms.length === 0 || tos.length === 0) {
      const missing = froms.length === 0 ? c.from : c.to;
      results.push({ ...base, name: `${c.expect} ${c.from} -> ${c.to}:${portKey(c.port)}`, from: c.from, to: c.to, allowed: false, passed: false, reasons: [], error: `"${missing}" matches no pod in the inputs` });
      continue;
    }
    for (const f of froms) {
      for (const t of tos) {
        const v = ev.connection(f, t, c.port);
        results.push({ ...base, name: `${c.expect} ${f.key} -> ${t.key}:${portKey(c.port)}`, from: f.key, to: t.key, allowed: v.allowed, passed: v.allowed === (c.expect === 'allow'), reasons: reasonsOf(v) });
      }
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { cases: results, passed, failed: results.length - passed };
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One JUnit testcase per case; a failure carries the verdict and the deciding rules. */
export function renderSpecJunit(result: SpecResult, suite = 'bosun netpol test'): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(suite)}" tests="${result.cases.length}" failures="${result.failed}">`, `  <testsuite name="${xml(suite)}" tests="${result.cases.length}" failures="${result.failed}">`];
  for (const c of result.cases) {
    lines.push(`    <testcase classname="netpol.${c.expect}" name="${xml(c.name)}">`);
    if (!c.passed) {
      const message = c.error ?? `expected ${c.expect === 'allow' ? 'allowed' : 'denied'}, but the policies ${c.allowed ? 'allow' : 'deny'} it`;
      lines.push(`      <failure message="${xml(message)}">${xml([message, ...c.reasons].join('\n'))}</failure>`);
    } else if (c.reasons.length > 0) {
      lines.push(`      <system-out>${xml(c.reasons.join('\n'))}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

export function renderSpecTable(result: SpecResult): string {
  const lines = result.cases.map((c) => `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}${c.passed ? '' : `: ${c.error ?? (c.allowed ? 'allowed' : 'denied')}`}${c.passed || c.error !== undefined ? '' : `\n        ${c.reasons.join('\n        ')}`}`);
  return `${lines.join('\n')}\n\n${result.passed} passed, ${result.failed} failed\n`;
}
