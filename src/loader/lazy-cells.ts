/**
 * The DataLoader's one hook for lazy datasets (a `ZarrDataset`, docs/zarr.md): before it builds
 * batch k in the calling thread it awaits the fetch of that batch's cells, which were requested
 * `depth` batches ahead, and pins them until the batch is collated. A dataset is lazy when it
 * has `acquireCells`.
 * @module
 */

/**
 * A dataset whose cells must be fetched before they are read.
 * @example
 * ```ts
 * const release = await lazy.acquireCells([3, 5], [0, 1, 2]);
 * try { collate(); } finally { release(); }
 * ```
 */
export interface LazyCells {
  /** Fetches the stimuli (absolute indices) and their cells for `neurons`; pinned until the returned function runs. */
  acquireCells(stims: readonly number[], neurons: readonly number[]): Promise<() => void>;
}

/** The dataset as {@link LazyCells}, or null when its cells are in memory. */
export function lazyCellsOf(ds: unknown): LazyCells | null {
  return typeof (ds as Partial<LazyCells> | null)?.acquireCells === 'function' ? (ds as LazyCells) : null;
}

/**
 * A {@link CellPrefetch} for the batches of an epoch over `root`, or null when `root` is not lazy.
 * @example
 * ```ts
 * using ahead = cellPrefetch(root, batches.length, (k) => stimsOf(k), selected, 2);
 * const release = await ahead?.take(0);
 * ```
 */
export function cellPrefetch(root: unknown, batches: number, stimsOf: (k: number) => number[], neurons: readonly number[], depth: number): CellPrefetch | null {
  const lazy = lazyCellsOf(root);
  return lazy && new CellPrefetch(lazy, batches, stimsOf, neurons, depth);
}

/**
 * Fetches batches ahead: `take(k)` waits for batch k's cells (asking for batches k+1 … k+depth
 * meanwhile) and returns their release. Disposing it (`using`) releases every pin it still holds:
 * batches fetched and not taken, and batches taken and not released (an epoch that ended early).
 */
export class CellPrefetch {
  private readonly pending = new Map<number, Promise<() => void>>();
  private readonly taken = new Set<() => void>();

  constructor(
    private readonly lazy: LazyCells,
    private readonly batches: number,
    private readonly stimsOf: (k: number) => number[],
    private readonly neurons: readonly number[],
    private readonly depth: number,
  ) {}

  private request(k: number): void {
    if (k >= this.batches || this.pending.has(k)) return;
    const p = this.lazy.acquireCells(this.stimsOf(k), this.neurons);
    p.catch(() => undefined); // observed when taken
    this.pending.set(k, p);
  }

  /** Batch k's cells, fetched and pinned; call the result once the batch is collated. */
  async take(k: number): Promise<() => void> {
    for (let j = k; j <= k + this.depth; j++) this.request(j);
    const p = this.pending.get(k)!;
    this.pending.delete(k);
    const release = await p;
    this.taken.add(release);
    return () => {
      this.taken.delete(release);
      release();
    };
  }

  /** Releases every pin still held. */
  [Symbol.dispose](): void {
    for (const p of this.pending.values()) p.then((release) => release(), () => undefined);
    this.pending.clear();
    for (const release of this.taken) release();
    this.taken.clear();
  }
}
