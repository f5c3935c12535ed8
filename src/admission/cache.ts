/**
 * A bounded LRU cache whose entries expire after a time to live. A Map keeps insertion order,
 * so re-inserting on every hit makes its first key the least recently used.
 */
export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
}

export class LruTtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(max: number, ttlMs: number, now: () => number = Date.now) {
    this.max = max;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(key: string): V | undefined {
    const value = this.find(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  /** As `get`, without counting a hit or a miss (for callers that count only some lookups). */
  find(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined || e.expires <= this.now()) {
      if (e !== undefined) this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V): void {
    if (this.max <= 0 || this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }
}
