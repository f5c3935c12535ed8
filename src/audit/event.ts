/**
 * Audit events as the k8saudit plugin takes them in: a JSON document is an `Event`, an
 * `EventList` (its `items`), or an array of either; anything else is "data not recognized as a
 * k8s audit event". Each event needs an RFC 3339 `stageTimestamp` (the event time) and must not
 * be larger than `maxEventSize` once compacted.
 */
import { locate } from './json-text.ts';

/** One audit event ready for the rules. */
export interface AuditEvent {
  /** The parsed `audit.k8s.io` Event. */
  obj: Record<string, unknown>;
  /** The event's JSON source text (objects are printed from it, as the plugins do). */
  raw: string | undefined;
  /** `stageTimestamp` in nanoseconds since the epoch. */
  timeNs: bigint;
  /** 1-based sequence number in the stream (`evt.num`). */
  num: number;
  /** 1-based line of the input where the event starts, when read from a file. */
  line?: number;
}

/** The plugin's default `maxEventSize` (bytes of compact JSON). */
export const DEFAULT_MAX_EVENT_SIZE = 262144;

/** Why an input item was not an event. */
export interface DecodeError {
  code: 'E_AUDIT_JSON' | 'E_AUDIT_NOT_EVENT' | 'E_AUDIT_TIMESTAMP' | 'E_AUDIT_TOO_LARGE' | 'E_AUDIT_TOO_DEEP';
  message: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 (with up to nanosecond fractions) → nanoseconds since the epoch, or undefined. */
export function parseTimestampNs(text: string): bigint | undefined {
  // Events of one stream share their second: reuse its parse and change only the fraction.
  const prefixLen = 19;
  if (text.length > prefixLen && text.startsWith(lastPrefix) && lastPrefix !== '') {
    const rest = text.slice(prefixLen);
    const f = FRACTION_Z.exec(rest);
    if (f !== null) return lastBaseNs + BigInt(f[1] === undefined ? 0 : Number(f[1].padEnd(9, '0')));
  }
  const v = parseFull(text);
  if (v !== undefined && /Z$|z$/.test(text) && RFC3339.test(text)) {
    lastPrefix = text.slice(0, prefixLen);
    lastBaseNs = (v / 1000000000n) * 1000000000n;
  }
  return v;
}

const FRACTION_Z = /^(?:\.(\d{1,9}))?[Zz]$/;
let lastPrefix = '';
let lastBaseNs = 0n;

function parseFull(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone![0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6))) * 60000;
  }
  const ns = frac === undefined ? 0 : Number(frac.padEnd(9, '0'));
  return BigInt(ms) * 1000000n + BigInt(ns);
}

export interface DecodeOptions {
  maxEventSize?: number;
  /** Maximum nesting of a document (arrays in arrays…); default 512. */
  maxDepth?: number;
}

/**
 * Decodes one JSON document (a line of a log file, a webhook body) into events, calling
 * `onEvent` for each and `onError` for every item that is dropped. Returns the number of events.
 */
export function decodeDocument(text: string, onEvent: (obj: Record<string, unknown>, raw: string, timeNs: bigint) => void, onError: (e: DecodeError) => void, options: DecodeOptions = {}): number {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    onError({ code: 'E_AUDIT_JSON', message: `malformed JSON: ${(err as Error).message}` });
    return 0;
  }
  const maxSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const maxDepth = options.maxDepth ?? 512;
  let count = 0;
  const item = (v: unknown, raw: string, depth: number): void => {
    if (depth > maxDepth) {
      onError({ code: 'E_AUDIT_TOO_DEEP', message: `arrays nested deeper than ${maxDepth} levels` });
      return;
    }
    if (Array.isArray(v)) {
      const spans = arraySpans(raw);
      for (let i = 0; i < v.length; i++) item(v[i], spans[i] === undefined ? JSON.stringify(v[i]) : raw.slice(spans[i]![0], spans[i]![1]), depth + 1);
      return;
    }
    if (v === null || typeof v !== 'object') {
      onError({ code: 'E_AUDIT_NOT_EVENT', message: 'data not recognized as a k8s audit event' });
      return;
    }
    const o = v as Record<string, unknown>;
    if (o['kind'] === 'EventList') {
      const items = o['items'];
      if (!Array.isArray(items)) {
        onError({ code: 'E_AUDIT_NOT_EVENT', message: 'EventList without an items array' });
        return;
      }
      const span = locate(raw, ['items']);
      const spans = span === undefined ? [] : arraySpans(raw.slice(span[0], span[1]));
      const base = span === undefined ? 0 : span[0];
      for (let i = 0; i < items.length; i++) {
        const sp = spans[i];
        event(items[i], sp === undefined ? JSON.stringify(items[i]) : raw.slice(base + sp[0], base + sp[1]));
      }
      return;
    }
    if (o['kind'] !== 'Event') {
      onError({ code: 'E_AUDIT_NOT_EVENT', message: 'data not recognized as a k8s audit event' });
      return;
    }
    event(o, raw);
  };
  const event = (v: unknown, raw: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      onError({ code: 'E_AUDIT_NOT_EVENT', message: 'EventList item is not an object' });
      return;
    }
    const o = v as Record<string, unknown>;
    const ts = o['stageTimestamp'];
    const timeNs = typeof ts === 'string' ? parseTimestampNs(ts) : undefined;
    if (timeNs === undefined) {
      onError({ code: 'E_AUDIT_TIMESTAMP', message: `event${typeof o['auditID'] === 'string' ? ` ${o['auditID']}` : ''} has no valid stageTimestamp` });
      return;
    }
    if (raw.length > maxSize && compactLength(raw) > maxSize) {
      onError({ code: 'E_AUDIT_TOO_LARGE', message: `event larger than maxEventSize (${maxSize} bytes)` });
      return;
    }
    count++;
    onEvent(o, raw, timeNs);
  };
  item(value, text, 0);
  return count;
}

function compactLength(s: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      n++;
      if (c === 92) {
        i++;
        n++;
      } else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
      n++;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) n++;
  }
  return Buffer.byteLength(s) - s.length + n;
}

/** Spans of the elements of the JSON array that `s` holds (after leading blanks). */
function arraySpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < s.length && s.charCodeAt(i) !== 91) i++;
  i++;
  let depth = 0;
  let start = -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      if (start === -1) start = i;
      i++;
      while (i < s.length) {
        const d = s.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      continue;
    }
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (depth === 0 && (c === 44 || c === 93)) {
      if (start !== -1) spans.push([start, trimEnd(s, start, i)]);
      start = -1;
      if (c === 93) break;
      continue;
    }
    if (start === -1) start = i;
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return spans;
}

function trimEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c === 32 || c === 10 || c === 13 || c === 9) end--;
    else break;
  }
  return end;
}
