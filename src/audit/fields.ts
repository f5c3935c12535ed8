/**
 * Every field the k8saudit plugin (`ka.*`, v0.18.0), the json plugin (`jevt.*`/`json.*`, v0.7)
 * and Falco itself (`evt.*`) define for `k8s_audit` events, with the plugins' semantics and
 * quirks (shared/reference/falco-k8s-audit.md §3). A value is a string, a non-empty list of
 * strings (list fields), or undefined: "no value" (missing key, extraction error, empty list),
 * which fails every operator except `not`.
 */
import type { AuditEvent } from './event.ts';
import { indentJson, jsonText, compact, type JsonPath } from './json-text.ts';

export type FieldValue = string | string[] | undefined;

/** What extraction can see besides the event. */
export interface FieldContext {
  ev: AuditEvent;
  hostname: string;
  /** Time of the first event of the stream (for evt.reltime). */
  startNs: bigint;
  /** `evt.time` and `evt.datetime` print local time in Falco; UTC when set. */
  utc: boolean;
}

export interface FieldDef {
  name: string;
  /** Multi-valued: accepts only `in`, `intersects` and `exists`. */
  list: boolean;
  /** `index`: optional `[N]`; `key`: required `[key]`; `none`: no argument. */
  arg: 'none' | 'index' | 'key';
  /** `u64` and `abstime` fields compare as numbers and are numbers in JSON output_fields. */
  type: 'string' | 'u64' | 'abstime';
  desc: string;
  extract(ctx: FieldContext, arg: string | number | undefined): FieldValue;
}

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** fastjson `Get`: object keys, or decimal indexes on arrays; undefined when missing. */
function get(v: Json, keys: readonly string[]): Json {
  for (const k of keys) {
    if (Array.isArray(v)) {
      if (!/^(0|[1-9][0-9]*)$/.test(k)) return undefined;
      v = v[Number(k)];
    } else if (isObj(v)) {
      v = Object.hasOwn(v, k) ? v[k] : undefined;
    } else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

function text(ctx: FieldContext, path: readonly string[]): FieldValue {
  const v = get(ctx.ev.obj, path);
  return v === undefined ? undefined : jsonText(v, ctx.ev, path);
}

function pathKeys(path: JsonPath): string[] {
  return path.map(String);
}

/**
 * The plugin's multi-value walk: an array met *before* a key is expanded (every element, or
 * only element `index`; the same index for every array on the path); an array at the end is
 * one value (its JSON). Missing elements are `null` in the result.
 */
function walk(ctx: FieldContext, keys: readonly string[], index: number | undefined): (string | null)[] {
  const out: (string | null)[] = [];
  const rec = (v: Json, i: number, path: (string | number)[]): void => {
    if (i === keys.length) {
      out.push(v === undefined ? null : jsonText(v, ctx.ev, path));
      return;
    }
    if (Array.isArray(v)) {
      if (index === undefined) {
        for (let j = 0; j < v.length; j++) rec(v[j], i, [...path, j]);
      } else {
        rec(index < v.length ? v[index] : undefined, i, [...path, index]);
      }
      return;
    }
    const k = keys[i]!;
    if (!isObj(v) || !Object.hasOwn(v, k)) {
      out.push(null);
      return;
    }
    rec(v[k], i + 1, [...path, k]);
  };
  rec(ctx.ev.obj, 0, []);
  return out;
}

function strict(values: (string | null)[]): FieldValue {
  if (values.length === 0 || values.includes(null)) return undefined;
  return values as string[];
}

function skipNil(values: (string | null)[]): FieldValue {
  const out = values.filter((v): v is string => v !== null);
  return out.length === 0 ? undefined : out;
}

function nonEmpty(values: string[]): FieldValue {
  return values.length === 0 ? undefined : values;
}

/** `image` cut at the first `:`, then at the first `@` (so `localhost:5000/x` → `localhost`, as upstream). */
function repository(image: string): string {
  const colon = image.indexOf(':');
  let r = colon === -1 ? image : image.slice(0, colon);
  const at = r.indexOf('@');
  if (at !== -1) r = r.slice(0, at);
  return r;
}

function asIndex(arg: string | number | undefined): number | undefined {
  return typeof arg === 'number' ? arg : undefined;
}

/** Containers of one kind in the request object, with their source paths. */
function containers(ctx: FieldContext, kind: string, index: number | undefined): { c: Json; path: (string | number)[] }[] | undefined {
  const arr = get(ctx.ev.obj, ['requestObject', 'spec', kind]);
  if (!Array.isArray(arr)) return undefined;
  const base = ['requestObject', 'spec', kind];
  if (index !== undefined) return index < arr.length ? [{ c: arr[index], path: [...base, index] }] : [];
  return arr.map((c, i) => ({ c, path: [...base, i] }));
}

/** `command`/`args` of each container that has them, joined by spaces; non-string items are an error. */
function joinedArgs(ctx: FieldContext, kind: string, key: string, index: number | undefined): FieldValue {
  const cs = containers(ctx, kind, index);
  if (cs === undefined) return undefined;
  const out: string[] = [];
  for (const { c } of cs) {
    if (!isObj(c) || !Object.hasOwn(c, key)) continue;
    const v = c[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
    out.push(v.join(' '));
  }
  return nonEmpty(out);
}

function hostPorts(ctx: FieldContext, kind: string, index: number | undefined): FieldValue {
  const cs = containers(ctx, kind, index);
  if (cs === undefined) return undefined;
  const out: string[] = [];
  for (const { c, path } of cs) {
    const ports = isObj(c) ? c['ports'] : undefined;
    if (!Array.isArray(ports)) continue;
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const key = Object.hasOwn(p, 'hostPort') ? 'hostPort' : Object.hasOwn(p, 'containerPort') ? 'containerPort' : undefined;
      if (key !== undefined) out.push(jsonText(p[key], ctx.ev, [...path, 'ports', j, key]));
    });
  }
  return nonEmpty(out);
}

/** Quirk: reads `containers[i].runAsUser`, then `spec.runAsUser`, else "0" (not securityContext). */
function effective(ctx: FieldContext, kind: string, key: string, index: number | undefined): FieldValue {
  const cs = containers(ctx, kind, index);
  if (cs === undefined) return undefined;
  const podLevel = get(ctx.ev.obj, ['requestObject', 'spec', key]);
  const out = cs.map(({ c, path }) => {
    if (isObj(c) && Object.hasOwn(c, key)) return jsonText(c[key], ctx.ev, [...path, key]);
    if (podLevel !== undefined) return jsonText(podLevel, ctx.ev, ['requestObject', 'spec', key]);
    return '0';
  });
  return nonEmpty(out);
}

function containerFields(kind: string, withHostPort: boolean): FieldDef[] {
  const p = `ka.req.pod.${kind}`;
  const base = ['requestObject', 'spec', kind];
  const sc = (key: string, desc: string, list = true): FieldDef => ({
    name: `${p}.${key}`,
    list,
    arg: 'index',
    type: 'string',
    desc,
    extract: (ctx, arg) => skipNil(walk(ctx, [...base, 'securityContext', scKey[key]!].flat(), asIndex(arg))),
  });
  const scKey: Record<string, string | string[]> = {
    privileged: 'privileged',
    allow_privilege_escalation: 'allowPrivilegeEscalation',
    read_only_fs: 'readOnlyRootFilesystem',
    run_as_user: 'runAsUser',
    run_as_group: 'runAsGroup',
    proc_mount: 'procMount',
    add_capabilities: ['capabilities', 'add'],
  };
  const defs: FieldDef[] = [
    { name: `${p}.name`, list: true, arg: 'index', type: 'string', desc: `names of ${kind}`, extract: (ctx, arg) => strict(walk(ctx, [...base, 'name'], asIndex(arg))) },
    { name: `${p}.image`, list: true, arg: 'index', type: 'string', desc: `images of ${kind}`, extract: (ctx, arg) => strict(walk(ctx, [...base, 'image'], asIndex(arg))) },
    {
      name: `${p}.image.repository`,
      list: true,
      arg: 'index',
      type: 'string',
      desc: `image repositories of ${kind} (cut at the first ':')`,
      extract: (ctx, arg) => {
        const v = strict(walk(ctx, [...base, 'image'], asIndex(arg)));
        return v === undefined ? undefined : (v as string[]).map(repository);
      },
    },
    { name: `${p}.command`, list: true, arg: 'index', type: 'string', desc: `commands of ${kind}, space-joined`, extract: (ctx, arg) => joinedArgs(ctx, kind, 'command', asIndex(arg)) },
    { name: `${p}.args`, list: true, arg: 'index', type: 'string', desc: `args of ${kind}, space-joined`, extract: (ctx, arg) => joinedArgs(ctx, kind, 'args', asIndex(arg)) },
    sc('privileged', `securityContext.privileged of ${kind}`),
    sc('allow_privilege_escalation', `securityContext.allowPrivilegeEscalation of ${kind}`),
    sc('read_only_fs', `securityContext.readOnlyRootFilesystem of ${kind}`),
    sc('run_as_user', `securityContext.runAsUser of ${kind}`),
    sc('run_as_group', `securityContext.runAsGroup of ${kind}`),
    { name: `${p}.eff_run_as_user`, list: true, arg: 'index', type: 'string', desc: `effective user of ${kind} (upstream quirk: usually "0")`, extract: (ctx, arg) => effective(ctx, kind, 'runAsUser', asIndex(arg)) },
    { name: `${p}.eff_run_as_group`, list: true, arg: 'index', type: 'string', desc: `effective group of ${kind} (upstream quirk: usually "0")`, extract: (ctx, arg) => effective(ctx, kind, 'runAsGroup', asIndex(arg)) },
    sc('proc_mount', `securityContext.procMount of ${kind}`),
    sc('add_capabilities', `securityContext.capabilities.add of ${kind}, one JSON array per container`),
  ];
  if (withHostPort) defs.push({ name: `${p}.host_port`, list: true, arg: 'index', type: 'string', desc: `host ports (else container ports) of ${kind}`, extract: (ctx, arg) => hostPorts(ctx, kind, asIndex(arg)) });
  return defs;
}

function annotation(name: string, key: string, desc: string): FieldDef {
  return { name, list: false, arg: 'none', type: 'string', desc, extract: (ctx) => text(ctx, ['annotations', key]) };
}

function simple(name: string, path: string[], desc: string): FieldDef {
  return { name, list: false, arg: 'none', type: 'string', desc, extract: (ctx) => text(ctx, path) };
}

/** Each element of the array at `path` as text; non-array is an error (no value). */
function arrayItems(ctx: FieldContext, path: string[]): FieldValue {
  const v = get(ctx.ev.obj, path);
  if (!Array.isArray(v)) return undefined;
  return nonEmpty(v.map((x, i) => jsonText(x, ctx.ev, [...path, i])));
}

/** Flatten `rules[*].<key>[*]`; `[i]` selects rule i. */
function ruleItems(ctx: FieldContext, key: string, index: number | undefined): FieldValue {
  const rules = get(ctx.ev.obj, ['requestObject', 'rules']);
  if (!Array.isArray(rules)) return undefined;
  const out: string[] = [];
  rules.forEach((r, i) => {
    if (index !== undefined && i !== index) return;
    const items = isObj(r) ? r[key] : undefined;
    if (Array.isArray(items)) items.forEach((x, j) => out.push(jsonText(x, ctx.ev, ['requestObject', 'rules', i, key, j])));
  });
  return nonEmpty(out);
}

function subjects(ctx: FieldContext, kind: string, withNs: boolean): FieldValue {
  const subs = get(ctx.ev.obj, ['requestObject', 'subjects']);
  if (subs === undefined) return undefined;
  if (!Array.isArray(subs)) return undefined;
  const out: string[] = [];
  for (const s of subs) {
    if (!isObj(s) || typeof s['kind'] !== 'string' || typeof s['name'] !== 'string') continue;
    if (s['kind'] !== kind) continue;
    if (withNs) {
      if (typeof s['namespace'] === 'string') out.push(`${s['namespace']}:${s['name']}`);
    } else out.push(s['name']);
  }
  return nonEmpty(out);
}

/** First value of a query parameter, decoded like Go's url.ParseQuery (pairs with ';' or bad escapes are dropped). */
export function queryParam(uri: string, key: string): string | undefined {
  const q = uri.indexOf('?');
  if (q === -1) return undefined;
  let query = uri.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);
  for (const pair of query.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = unescapeQuery(eq === -1 ? pair : pair.slice(0, eq));
    if (k === undefined || k !== key) continue;
    const v = unescapeQuery(eq === -1 ? '' : pair.slice(eq + 1));
    if (v === undefined) continue;
    return v;
  }
  return undefined;
}

function unescapeQuery(s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') bytes.push(32);
    else if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else for (const b of Buffer.from(c)) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 6901 pointer (leading '/' optional) → keys. */
export function pointerKeys(pointer: string): string[] {
  let keys = pointerCache.get(pointer);
  if (keys === undefined) {
    const p = pointer.startsWith('/') ? pointer.slice(1) : pointer;
    keys = p === '' ? [] : p.split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (pointerCache.size < 10000) pointerCache.set(pointer, keys);
  }
  return keys;
}

/** Pointers come from rules and outputs: few, and parsed once. */
const pointerCache = new Map<string, string[]>();

function wholeEvent(ctx: FieldContext): string {
  return ctx.ev.raw !== undefined ? compact(ctx.ev.raw) : JSON.stringify(ctx.ev.obj);
}

// ── time rendering ─────────────────────────────────────────────────────────────────────

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function timeParts(ns: bigint, utc: boolean): { date: string; time: string; frac: string } {
  const ms = Number(ns / 1000000n);
  const d = new Date(ms);
  const frac = String(((ns % 1000000000n) + 1000000000n) % 1000000000n).padStart(9, '0');
  if (utc) return { date: `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`, time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`, frac };
  return { date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`, time: `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`, frac };
}

/** `2018-10-25T13:58:49.736141000Z` (always UTC). */
export function isoTime(ns: bigint): string {
  const p = timeParts(ns, true);
  return `${p.date}T${p.time}.${p.frac}Z`;
}

/** `13:58:49.736141000`, the text output's time prefix. */
export function clockTime(ns: bigint, utc: boolean): string {
  const p = timeParts(ns, utc);
  return `${p.time}.${p.frac}`;
}

const evtFields: FieldDef[] = [
  { name: 'evt.num', list: false, arg: 'none', type: 'u64', desc: 'sequence number of the event', extract: (ctx) => String(ctx.ev.num) },
  { name: 'evt.time', list: false, arg: 'none', type: 'abstime', desc: 'event time, HH:MM:SS.nnnnnnnnn', extract: (ctx) => clockTime(ctx.ev.timeNs, ctx.utc) },
  { name: 'evt.time.s', list: false, arg: 'none', type: 'abstime', desc: 'event time, HH:MM:SS', extract: (ctx) => timeParts(ctx.ev.timeNs, ctx.utc).time },
  { name: 'evt.time.iso8601', list: false, arg: 'none', type: 'abstime', desc: 'event time, ISO 8601 UTC', extract: (ctx) => isoTime(ctx.ev.timeNs) },
  {
    name: 'evt.datetime',
    list: false,
    arg: 'none',
    type: 'abstime',
    desc: 'event date and time',
    extract: (ctx) => {
      const p = timeParts(ctx.ev.timeNs, ctx.utc);
      return `${p.date} ${p.time}.${p.frac}`;
    },
  },
  {
    name: 'evt.datetime.s',
    list: false,
    arg: 'none',
    type: 'abstime',
    desc: 'event date and time to the second',
    extract: (ctx) => {
      const p = timeParts(ctx.ev.timeNs, ctx.utc);
      return `${p.date} ${p.time}`;
    },
  },
  { name: 'evt.rawtime', list: false, arg: 'none', type: 'u64', desc: 'event time in ns since the epoch', extract: (ctx) => String(ctx.ev.timeNs) },
  { name: 'evt.rawtime.s', list: false, arg: 'none', type: 'u64', desc: 'seconds part of the event time', extract: (ctx) => String(ctx.ev.timeNs / 1000000000n) },
  { name: 'evt.rawtime.ns', list: false, arg: 'none', type: 'u64', desc: 'nanoseconds part of the event time', extract: (ctx) => String(ctx.ev.timeNs % 1000000000n) },
  { name: 'evt.reltime', list: false, arg: 'none', type: 'u64', desc: 'ns since the first event', extract: (ctx) => String(ctx.ev.timeNs - ctx.startNs) },
  { name: 'evt.reltime.s', list: false, arg: 'none', type: 'u64', desc: 'seconds since the first event', extract: (ctx) => String((ctx.ev.timeNs - ctx.startNs) / 1000000000n) },
  { name: 'evt.reltime.ns', list: false, arg: 'none', type: 'u64', desc: 'ns part of the time since the first event', extract: (ctx) => String((ctx.ev.timeNs - ctx.startNs) % 1000000000n) },
  { name: 'evt.pluginname', list: false, arg: 'none', type: 'string', desc: 'plugin that produced the event', extract: () => 'k8saudit' },
  { name: 'evt.plugininfo', list: false, arg: 'none', type: 'string', desc: 'event summary from the plugin', extract: () => '' },
  { name: 'evt.source', list: false, arg: 'none', type: 'string', desc: 'event source', extract: () => 'k8s_audit' },
  { name: 'evt.is_async', list: false, arg: 'none', type: 'string', desc: 'always false for audit events', extract: () => 'false' },
  { name: 'evt.asynctype', list: false, arg: 'none', type: 'string', desc: 'no value for audit events', extract: () => undefined },
  { name: 'evt.hostname', list: false, arg: 'none', type: 'string', desc: 'host the engine runs on', extract: (ctx) => ctx.hostname },
];

function jsonFields(prefix: string): FieldDef[] {
  return [
    {
      name: `${prefix}.value`,
      list: false,
      arg: 'key',
      type: 'string',
      desc: 'value at an RFC 6901 JSON pointer into the event',
      extract: (ctx, arg) => {
        const keys = pointerKeys(String(arg));
        if (keys.length === 0) return wholeEvent(ctx);
        return text(ctx, keys);
      },
    },
    { name: `${prefix}.obj`, list: false, arg: 'none', type: 'string', desc: 'the whole event, indented', extract: (ctx) => indentJson(wholeEvent(ctx)) },
    { name: `${prefix}.rawtime`, list: false, arg: 'none', type: 'string', desc: 'event time in ns, as a string', extract: (ctx) => String(ctx.ev.timeNs) },
  ];
}

const kaFields: FieldDef[] = [
  simple('ka.auditid', ['auditID'], 'audit event ID'),
  simple('ka.stage', ['stage'], 'stage of the request'),
  annotation('ka.auth.decision', 'authorization.k8s.io/decision', 'authorization decision'),
  annotation('ka.auth.reason', 'authorization.k8s.io/reason', 'authorization reason'),
  annotation('ka.auth.openshift.decision', 'authentication.openshift.io/decision', 'OpenShift authentication decision'),
  annotation('ka.auth.openshift.username', 'authentication.openshift.io/username', 'OpenShift authenticated user'),
  annotation('ka.validations.admission.policy.failure', 'validation.policy.admission.k8s.io/validation_failure', 'ValidatingAdmissionPolicy failures'),
  annotation('ka.security.pod.violations', 'pod-security.kubernetes.io/audit-violations', 'Pod Security audit violations'),
  simple('ka.user.name', ['user', 'username'], 'user name'),
  { name: 'ka.user.groups', list: true, arg: 'none', type: 'string', desc: 'user groups', extract: (ctx) => arrayItems(ctx, ['user', 'groups']) },
  simple('ka.impuser.name', ['impersonatedUser', 'username'], 'impersonated user name'),
  simple('ka.verb', ['verb'], 'request verb'),
  simple('ka.uri', ['requestURI'], 'request URI'),
  {
    name: 'ka.uri.param',
    list: false,
    arg: 'key',
    type: 'string',
    desc: 'first value of a query parameter of the request URI',
    extract: (ctx, arg) => {
      const uri = get(ctx.ev.obj, ['requestURI']);
      return typeof uri === 'string' ? queryParam(uri, String(arg)) : undefined;
    },
  },
  simple('ka.target.name', ['objectRef', 'name'], 'target object name'),
  simple('ka.target.namespace', ['objectRef', 'namespace'], 'target object namespace'),
  simple('ka.target.resource', ['objectRef', 'resource'], 'target resource'),
  simple('ka.target.subresource', ['objectRef', 'subresource'], 'target subresource'),
  {
    name: 'ka.target.pod.name',
    list: false,
    arg: 'none',
    type: 'string',
    desc: 'name of the pod in the response (pods without subresource only)',
    extract: (ctx) => {
      const ref = get(ctx.ev.obj, ['objectRef']);
      if (!isObj(ref) || ref['resource'] !== 'pods') return undefined;
      const sub = ref['subresource'];
      if (typeof sub === 'string' && sub !== '') return undefined;
      return text(ctx, ['responseObject', 'metadata', 'name']);
    },
  },
  { name: 'ka.req.binding.subjects', list: true, arg: 'none', type: 'string', desc: 'binding subjects, each as JSON', extract: (ctx) => arrayItems(ctx, ['requestObject', 'subjects']) },
  { name: 'ka.req.binding.subjects.user_names', list: true, arg: 'none', type: 'string', desc: 'names of User subjects', extract: (ctx) => subjects(ctx, 'User', false) },
  { name: 'ka.req.binding.subjects.serviceaccount_names', list: true, arg: 'none', type: 'string', desc: 'names of ServiceAccount subjects', extract: (ctx) => subjects(ctx, 'ServiceAccount', false) },
  { name: 'ka.req.binding.subjects.serviceaccount_ns_names', list: true, arg: 'none', type: 'string', desc: 'namespace:name of ServiceAccount subjects', extract: (ctx) => subjects(ctx, 'ServiceAccount', true) },
  { name: 'ka.req.binding.subjects.group_names', list: true, arg: 'none', type: 'string', desc: 'names of Group subjects', extract: (ctx) => subjects(ctx, 'Group', false) },
  simple('ka.req.binding.role', ['requestObject', 'roleRef', 'name'], 'role the binding refers to'),
  { name: 'ka.req.binding.subject.has_name', list: false, arg: 'key', type: 'string', desc: 'deprecated; always "true" (upstream)', extract: () => 'true' },
  simple('ka.req.configmap.name', ['objectRef', 'name'], 'configmap name (from objectRef)'),
  simple('ka.req.configmap.obj', ['requestObject', 'data'], 'configmap data as JSON'),
  ...containerFields('containers', true),
  ...containerFields('initContainers', true),
  ...containerFields('ephemeralContainers', false),
  {
    name: 'ka.req.container.image',
    list: false,
    arg: 'none',
    type: 'string',
    desc: 'deprecated: image of the first container',
    extract: (ctx) => {
      const v = get(ctx.ev.obj, ['requestObject', 'spec', 'containers', '0', 'image']);
      return v === undefined ? undefined : jsonText(v, ctx.ev, ['requestObject', 'spec', 'containers', 0, 'image']);
    },
  },
  {
    name: 'ka.req.container.image.repository',
    list: false,
    arg: 'none',
    type: 'string',
    desc: 'deprecated: repository of the first container image',
    extract: (ctx) => {
      const v = get(ctx.ev.obj, ['requestObject', 'spec', 'containers', '0', 'image']);
      return v === undefined ? undefined : repository(jsonText(v, ctx.ev, ['requestObject', 'spec', 'containers', 0, 'image']));
    },
  },
  {
    name: 'ka.req.container.privileged',
    list: false,
    arg: 'none',
    type: 'string',
    desc: 'deprecated: "true" if any container is privileged',
    extract: (ctx) => {
      const cs = get(ctx.ev.obj, ['requestObject', 'spec', 'containers']);
      if (cs === undefined) return undefined;
      if (!Array.isArray(cs)) return 'false';
      return cs.some((c) => get(c, ['securityContext', 'privileged']) === true) ? 'true' : 'false';
    },
  },
  simple('ka.req.pod.host_ipc', ['requestObject', 'spec', 'hostIPC'], 'hostIPC of the pod'),
  simple('ka.req.pod.host_network', ['requestObject', 'spec', 'hostNetwork'], 'hostNetwork of the pod'),
  simple('ka.req.container.host_network', ['requestObject', 'spec', 'hostNetwork'], 'deprecated alias of ka.req.pod.host_network'),
  simple('ka.req.pod.host_pid', ['requestObject', 'spec', 'hostPID'], 'hostPID of the pod'),
  simple('ka.req.pod.run_as_user', ['requestObject', 'spec', 'securityContext', 'runAsUser'], 'pod securityContext.runAsUser'),
  simple('ka.req.pod.run_as_group', ['requestObject', 'spec', 'securityContext', 'runAsGroup'], 'pod securityContext.runAsGroup'),
  simple('ka.req.pod.fs_group', ['requestObject', 'spec', 'securityContext', 'fsGroup'], 'pod securityContext.fsGroup'),
  { name: 'ka.req.pod.supplemental_groups', list: true, arg: 'none', type: 'string', desc: 'pod securityContext.supplementalGroups', extract: (ctx) => arrayItems(ctx, ['requestObject', 'spec', 'securityContext', 'supplementalGroups']) },
  { name: 'ka.req.role.rules', list: true, arg: 'none', type: 'string', desc: 'role rules, each as JSON', extract: (ctx) => arrayItems(ctx, ['requestObject', 'rules']) },
  { name: 'ka.req.role.rules.apiGroups', list: true, arg: 'index', type: 'string', desc: 'apiGroups of the role rules', extract: (ctx, arg) => ruleItems(ctx, 'apiGroups', asIndex(arg)) },
  { name: 'ka.req.role.rules.nonResourceURLs', list: true, arg: 'index', type: 'string', desc: 'nonResourceURLs of the role rules', extract: (ctx, arg) => ruleItems(ctx, 'nonResourceURLs', asIndex(arg)) },
  { name: 'ka.req.role.rules.verbs', list: true, arg: 'index', type: 'string', desc: 'verbs of the role rules', extract: (ctx, arg) => ruleItems(ctx, 'verbs', asIndex(arg)) },
  { name: 'ka.req.role.rules.resources', list: true, arg: 'index', type: 'string', desc: 'resources of the role rules', extract: (ctx, arg) => ruleItems(ctx, 'resources', asIndex(arg)) },
  simple('ka.req.service.type', ['requestObject', 'spec', 'type'], 'service type'),
  {
    name: 'ka.req.service.ports',
    list: true,
    arg: 'index',
    type: 'string',
    desc: 'service ports: one value, the JSON of the whole array (upstream quirk)',
    extract: (ctx) => {
      const v = text(ctx, ['requestObject', 'spec', 'ports']);
      return v === undefined ? undefined : [v as string];
    },
  },
  { name: 'ka.req.pod.volumes.hostpath', list: true, arg: 'index', type: 'string', desc: 'hostPath paths of the pod volumes', extract: (ctx, arg) => skipNil(walk(ctx, ['requestObject', 'spec', 'volumes', 'hostPath', 'path'], asIndex(arg))) },
  {
    name: 'ka.req.volume.hostpath',
    list: false,
    arg: 'key',
    type: 'string',
    desc: 'deprecated: "true" if the first volume mounts the given host path (a trailing * matches a prefix)',
    extract: (ctx, arg) => {
      const vols = get(ctx.ev.obj, ['requestObject', 'spec', 'volumes']);
      if (!Array.isArray(vols)) return undefined;
      const path = get(vols[0], ['hostPath', 'path']);
      const want = String(arg);
      if (typeof path !== 'string') return 'false';
      if (path === want) return 'true';
      if (want.endsWith('*') && path.startsWith(want.slice(0, -1))) return 'true';
      return 'false';
    },
  },
  { name: 'ka.req.pod.volumes.flexvolume_driver', list: true, arg: 'index', type: 'string', desc: 'flexVolume drivers of the pod volumes', extract: (ctx, arg) => skipNil(walk(ctx, ['requestObject', 'spec', 'volumes', 'flexVolume', 'driver'], asIndex(arg))) },
  {
    name: 'ka.req.pod.volumes.volume_type',
    list: true,
    arg: 'index',
    type: 'string',
    desc: 'volume types (every key but name) of the pod volumes',
    extract: (ctx, arg) => {
      const vols = get(ctx.ev.obj, ['requestObject', 'spec', 'volumes']);
      if (!Array.isArray(vols)) return undefined;
      const index = asIndex(arg);
      const out: string[] = [];
      vols.forEach((v, i) => {
        if (index !== undefined && i !== index) return;
        if (isObj(v)) for (const k of Object.keys(v)) if (k !== 'name') out.push(k);
      });
      return nonEmpty(out);
    },
  },
  simple('ka.resp.name', ['responseObject', 'metadata', 'name'], 'name of the object in the response'),
  simple('ka.response.code', ['responseStatus', 'code'], 'response code'),
  simple('ka.response.reason', ['responseStatus', 'reason'], 'response reason'),
  simple('ka.useragent', ['userAgent'], 'user agent of the client'),
  {
    name: 'ka.sourceips',
    list: true,
    arg: 'index',
    type: 'string',
    desc: 'upstream quirk: sourceIPs of requestObject.rules (almost always no value)',
    extract: (ctx, arg) => ruleItems(ctx, 'sourceIPs', asIndex(arg)),
  },
  annotation('ka.cluster.name', 'cluster_name', 'cluster name annotation'),
];

/** Every `ka.*` field is absent when the event has no `auditID` key (as in the plugin). */
function guardAuditId(def: FieldDef): FieldDef {
  const inner = def.extract;
  return { ...def, extract: (ctx, arg) => (Object.hasOwn(ctx.ev.obj, 'auditID') ? inner(ctx, arg) : undefined) };
}

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map([...evtFields, ...jsonFields('jevt'), ...jsonFields('json'), ...kaFields.map(guardAuditId)].map((f) => [f.name, f]));

/** Field names, longest first (output formats take the longest field name that prefixes the text). */
export const FIELD_NAMES_LONGEST_FIRST: readonly string[] = [...FIELDS.keys()].sort((a, b) => b.length - a.length);

/** Parses a field argument for `def`: an index must be a non-negative integer; a key is required. */
export function parseFieldArg(def: FieldDef, arg: string | undefined): { ok: true; value: string | number | undefined } | { ok: false; error: string } {
  if (def.arg === 'none') return arg === undefined ? { ok: true, value: undefined } : { ok: false, error: `field '${def.name}' does not take an argument` };
  if (def.arg === 'key') {
    if (arg === undefined) return { ok: false, error: `field '${def.name}' requires an argument` };
    // ka.req.volume.hostpath: a key; jevt.value: a pointer. Both are strings.
    return { ok: true, value: arg };
  }
  if (arg === undefined) return { ok: true, value: undefined };
  if (!/^[0-9]+$/.test(arg)) return { ok: false, error: `field '${def.name}' has an invalid index argument '${arg}'` };
  return { ok: true, value: Number(arg) };
}
