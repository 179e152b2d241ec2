/**
 * The in-memory cells of a lazy dataset: a least-recently-used cache bounded by bytes, whose
 * entries can be pinned (a batch being built) so that they are not evicted under it. Pinned
 * entries may carry the cache over its budget until they are released.
 * @module
 */

interface Entry {
  data: Float32Array;
  pins: number;
}

/**
 * A byte-bounded LRU of `Float32Array`s by numeric key, with pin counts.
 * @example
 * ```ts
 * const c = new CellCache(1 << 20);
 * c.pin([3]); c.put(3, new Float32Array(10)); c.unpin([3]);
 * c.get(3); // Float32Array(10), now the most recently used
 * ```
 */
export class CellCache {
  private readonly entries = new Map<number, Entry>();
  /** Pins of keys not loaded yet (taken before a fetch, moved onto the entry when it arrives). */
  private readonly pending = new Map<number, number>();
  private held = 0;

  constructor(readonly budgetBytes: number) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The data of `key`, marking it most recently used; undefined when absent. */
  get(key: number): Float32Array | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.data;
  }

  has(key: number): boolean {
    return this.entries.has(key);
  }

  /** Adds `key` (most recently used), then evicts what the budget requires. */
  put(key: number, data: Float32Array): void {
    const old = this.entries.get(key);
    if (old) {
      this.held -= old.data.byteLength;
      this.entries.delete(key);
    }
    const pins = (old?.pins ?? 0) + (this.pending.get(key) ?? 0);
    this.pending.delete(key);
    this.entries.set(key, { data, pins });
    this.held += data.byteLength;
    this.evict();
  }

  /** Protects `keys` from eviction (loaded or not) until `unpin`. */
  pin(keys: readonly number[]): void {
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e) e.pins++;
      else this.pending.set(k, (this.pending.get(k) ?? 0) + 1);
    }
  }

  /** Undoes one `pin` of each key, then evicts what the budget requires. */
  unpin(keys: readonly number[]): void {
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e && e.pins > 0) e.pins--;
      else {
        const p = (this.pending.get(k) ?? 0) - 1;
        if (p > 0) this.pending.set(k, p);
        else this.pending.delete(k);
      }
    }
    this.evict();
  }

  /** Drops every entry and pin (the dataset was disposed). */
  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.held = 0;
  }

  /** Drops least recently used unpinned entries while over budget. */
  private evict(): void {
    if (this.held <= this.budgetBytes) return;
    for (const [k, e] of this.entries) {
      if (this.held <= this.budgetBytes) break;
      if (e.pins > 0) continue;
      this.entries.delete(k);
      this.held -= e.data.byteLength;
    }
  }
}
