/**
 * Items indexed by their labels, so that "which of these does this selector select?" costs
 * the size of the smallest matching label bucket, not the size of the namespace.
 */
import { asArray, asObject, asString, isObject } from './path.ts';
import { matchesSelector } from './selector.ts';

export class LabelIndex<T> {
  private readonly items: Array<{ item: T; labels: Record<string, string> }> = [];
  private readonly buckets = new Map<string, Array<{ item: T; labels: Record<string, string> }>>();

  add(item: T, labels: Record<string, string>): void {
    const entry = { item, labels };
    this.items.push(entry);
    for (const [k, v] of Object.entries(labels)) {
      const key = `${k}=${v}`;
      let list = this.buckets.get(key);
      if (list === undefined) this.buckets.set(key, (list = []));
      list.push(entry);
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** Items the selector selects (LabelSelector, or a Service-style map with `plainMap`). */
  select(selector: unknown, plainMap = false): T[] {
    return this.candidates(selector, plainMap).filter((e) => matchesSelector(selector, e.labels, plainMap)).map((e) => e.item);
  }

  /** True when the selector selects at least one item. */
  any(selector: unknown, plainMap = false): boolean {
    return this.candidates(selector, plainMap).some((e) => matchesSelector(selector, e.labels, plainMap));
  }

  /** The smallest bucket an item must be in to match: one per required `key=value`. */
  private candidates(selector: unknown, plainMap: boolean): ReadonlyArray<{ item: T; labels: Record<string, string> }> {
    if (!isObject(selector)) return [];
    const required: string[] = [];
    const pairs = plainMap ? selector : (asObject(selector['matchLabels']) ?? {});
    for (const [k, v] of Object.entries(pairs)) required.push(`${k}=${String(v)}`);
    if (!plainMap) {
      for (const e of asArray(selector['matchExpressions'])) {
        const expr = asObject(e);
        const values = asArray(expr?.['values']);
        if (expr?.['operator'] === 'In' && values.length === 1) required.push(`${asString(expr['key']) ?? ''}=${String(values[0])}`);
      }
    }
    if (required.length === 0) return this.items;
    let best: ReadonlyArray<{ item: T; labels: Record<string, string> }> | undefined;
    for (const key of required) {
      const bucket = this.buckets.get(key) ?? [];
      if (best === undefined || bucket.length < best.length) best = bucket;
    }
    return best ?? this.items;
  }
}

/**
 * The reverse question: items indexed by their selectors, so that "which selectors select
 * these labels?" looks only at selectors that require one of the labels (plus those that
 * require none).
 */
export class SelectorIndex<T> {
  private readonly unkeyed: Array<{ item: T; selector: unknown }> = [];
  private readonly byRequirement = new Map<string, Array<{ item: T; selector: unknown }>>();
  private readonly plainMap: boolean;

  constructor(plainMap = false) {
    this.plainMap = plainMap;
  }

  add(item: T, selector: unknown): void {
    const entry = { item, selector };
    const key = firstRequirement(selector, this.plainMap);
    if (key === undefined) {
      this.unkeyed.push(entry);
      return;
    }
    let list = this.byRequirement.get(key);
    if (list === undefined) this.byRequirement.set(key, (list = []));
    list.push(entry);
  }

  /** Items whose selector selects `labels`, in insertion order within each bucket. */
  matching(labels: Record<string, string>): T[] {
    const out: T[] = [];
    for (const e of this.unkeyed) if (matchesSelector(e.selector, labels, this.plainMap)) out.push(e.item);
    for (const [k, v] of Object.entries(labels)) {
      const bucket = this.byRequirement.get(`${k}=${v}`);
      if (bucket !== undefined) for (const e of bucket) if (matchesSelector(e.selector, labels, this.plainMap)) out.push(e.item);
    }
    return out;
  }
}

/** One `key=value` every match must carry, if the selector has one. */
function firstRequirement(selector: unknown, plainMap: boolean): string | undefined {
  if (!isObject(selector)) return undefined;
  const pairs = plainMap ? selector : asObject(selector['matchLabels']);
  if (pairs !== undefined) for (const [k, v] of Object.entries(pairs)) return `${k}=${String(v)}`;
  return undefined;
}
