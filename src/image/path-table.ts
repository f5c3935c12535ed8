/**
 * Paths of one layer's regular files with their size, mode and "quiet" analyzer bits, for
 * hardlinks to find their target. Held in one byte arena with open addressing: about the path's
 * length plus 28 bytes a file, where a `Map` of path strings and objects costs several times
 * that (200,000 files: ~20 MiB here, ~80 MiB of RSS as a Map). Exact: keys are compared byte for
 * byte.
 */
export interface PathEntry {
  size: number;
  mode: number;
  quiet: number;
}

// Entry: u32 hash, u32 byte length, path bytes (UTF-8), f64 size, u32 mode, u32 quiet.
const HEAD = 8;
const TAIL = 16;

export class PathTable {
  #slots = new Int32Array(1024).fill(-1);
  #arena = Buffer.allocUnsafe(64 * 1024);
  #used = 0;
  #count = 0;
  #scratch = Buffer.allocUnsafe(4096);

  get size(): number {
    return this.#count;
  }

  set(path: string, e: PathEntry): void {
    const n = this.#encode(path);
    const hash = fnv1a(this.#scratch, n);
    const slot = this.#find(hash, n);
    if (this.#slots[slot]! >= 0) {
      this.#writeTail(this.#slots[slot]! + HEAD + n, e);
      return;
    }
    if (this.#used + HEAD + n + TAIL > this.#arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.#arena.length * 2, this.#used + HEAD + n + TAIL));
      this.#arena.copy(bigger, 0, 0, this.#used);
      this.#arena = bigger;
    }
    const at = this.#used;
    this.#arena.writeUInt32LE(hash, at);
    this.#arena.writeUInt32LE(n, at + 4);
    this.#scratch.copy(this.#arena, at + HEAD, 0, n);
    this.#writeTail(at + HEAD + n, e);
    this.#used += HEAD + n + TAIL;
    this.#slots[slot] = at;
    if (++this.#count * 2 > this.#slots.length) this.#grow();
  }

  get(path: string): PathEntry | undefined {
    const n = this.#encode(path);
    const at = this.#slots[this.#find(fnv1a(this.#scratch, n), n)]!;
    if (at < 0) return undefined;
    const t = at + HEAD + n;
    return { size: this.#arena.readDoubleLE(t), mode: this.#arena.readUInt32LE(t + 8), quiet: this.#arena.readInt32LE(t + 12) };
  }

  clear(): void {
    this.#slots = new Int32Array(1024).fill(-1);
    this.#arena = Buffer.allocUnsafe(64 * 1024);
    this.#used = 0;
    this.#count = 0;
  }

  #encode(path: string): number {
    const max = Buffer.byteLength(path, 'utf8');
    if (max > this.#scratch.length) this.#scratch = Buffer.allocUnsafe(max * 2);
    return this.#scratch.write(path, 0, 'utf8');
  }

  #writeTail(t: number, e: PathEntry): void {
    this.#arena.writeDoubleLE(e.size, t);
    this.#arena.writeUInt32LE(e.mode >>> 0, t + 8);
    this.#arena.writeInt32LE(e.quiet | 0, t + 12);
  }

  /** The slot holding this key, or the empty slot where it would go. */
  #find(hash: number, n: number): number {
    const mask = this.#slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = this.#slots[i]!;
      if (at < 0) return i;
      if (this.#arena.readUInt32LE(at) === hash && this.#arena.readUInt32LE(at + 4) === n && this.#arena.compare(this.#scratch, 0, n, at + HEAD, at + HEAD + n) === 0) return i;
    }
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (const at of this.#slots) {
      if (at < 0) continue;
      let i = this.#arena.readUInt32LE(at) & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = at;
    }
    this.#slots = slots;
  }
}

function fnv1a(b: Buffer, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
