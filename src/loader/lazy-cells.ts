/**
 * The DataLoader's one hook for lazy datasets (a `ZarrDataset`, docs/zarr.md): before it builds
 * batch k in the calling thread it awaits the fetch of that batch's cells, requested ahead (see
 * {@link CellPrefetch} for the rule), and pins them until the batch is collated. With workers,
 * each opens the store itself from `workerShare` (src/zarr/worker-store.ts). A dataset is lazy
 * when it has `acquireCells`.
 * @module
 */
import type { ZarrWorkerShare } from '../zarr/zarr-dataset.js';

/**
 * A dataset whose cells must be fetched before they are read.
 * @example
 * ```ts
 * const release = await lazy.acquireCells([3, 5], [0, 1, 2]);
 * try { collate(); } finally { release(); }
 * ```
 */
export interface LazyCells {
  /**
   * Fetches the stimuli (absolute indices) and their cells for `neurons`; pinned until the
   * returned function runs. `{ stims: false }`: the cells only.
   */
  acquireCells(stims: readonly number[], neurons: readonly number[], options?: { stims?: boolean }): Promise<() => void>;
  /** Bytes of the stimuli `stims` and their cells for `neurons` (what `acquireCells` pins). */
  cellBytes(stims: readonly number[], neurons: readonly number[]): number;
  /** Most bytes a loader keeps pinned in batches fetched ahead and not taken yet. */
  readonly prefetchBytes: number;
  /** What each of `workers` loader workers opens; throws TypeError when the store cannot be opened from a worker. */
  workerShare(workers: number): ZarrWorkerShare;
}

/**
 * The dataset as {@link LazyCells}, or null when its cells are in memory.
 * @example
 * ```ts
 * if (lazyCellsOf(ds)) console.log('cells are fetched on demand');
 * ```
 */
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
 * One turn of the event loop, I/O included (two `setImmediate`s: the first may run before the
 * loop polls again; in a browser, a task).
 */
const ioTurn = (): Promise<void> =>
  typeof setImmediate === 'function'
    ? new Promise((go) => setImmediate(() => setImmediate(go)))
    : new Promise((go) => setTimeout(go, 0));

/**
 * Fetches batches ahead. The rule: batches are requested in order, as far ahead of the next one
 * to take as `lazy.prefetchBytes` allows (the bytes of batches requested and not taken, batch k
 * itself not counted), and at least `depth` batches ahead; the window moves when a batch is taken.
 * So the requests of many batches wait in the dataset's queue for every connection that frees up
 * (at most `concurrency` in flight). `take(k)` also
 * yields one event-loop turn before it returns, so that the answers that arrived while the
 * previous batch was collated (synchronously) free their connections and start the next requests
 * before this batch's collate.
 *
 * `take(k)` waits for batch k's cells and returns their release. Disposing it (`using`) releases
 * every pin it still holds: batches fetched and not taken, and batches taken and not released (an
 * epoch that ended early).
 * @example
 * ```ts
 * using ahead = new CellPrefetch(lazy, batches.length, (k) => stimsOf(k), selected, 2);
 * const release = await ahead.take(0); collate(); release();
 * ```
 */
export class CellPrefetch {
  private readonly pending = new Map<number, { bytes: number; p: Promise<() => void> }>();
  private readonly taken = new Set<() => void>();
  /** The next batch to take, the next to request, and the bytes of those requested and not taken. */
  private next = 0;
  private requested = 0;
  private aheadBytes = 0;
  private disposed = false;

  constructor(
    private readonly lazy: LazyCells,
    private readonly batches: number,
    private readonly stimsOf: (k: number) => number[],
    private readonly neurons: readonly number[],
    private readonly depth: number,
  ) {}

  /** Requests batches in order while the rule allows. */
  private fill(): void {
    while (!this.disposed && this.requested < this.batches) {
      const k = this.requested;
      const stims = this.stimsOf(k);
      const bytes = this.lazy.cellBytes(stims, this.neurons);
      const within = k < this.next + this.depth || this.aheadBytes + bytes <= this.lazy.prefetchBytes;
      if (!within) return;
      const p = this.lazy.acquireCells(stims, this.neurons);
      p.catch(() => undefined); // observed when taken
      this.pending.set(k, { bytes: k === this.next ? 0 : bytes, p });
      if (k !== this.next) this.aheadBytes += bytes;
      this.requested++;
    }
  }

  /** Batch k's cells, fetched and pinned; call the result once the batch is collated. */
  async take(k: number): Promise<() => void> {
    this.next = k;
    const own = this.pending.get(k);
    if (own) {
      this.aheadBytes -= own.bytes;
      own.bytes = 0;
    }
    this.fill();
    const { p } = this.pending.get(k)!;
    this.pending.delete(k);
    this.next = k + 1;
    this.fill();
    await ioTurn();
    const release = await p;
    this.taken.add(release);
    return () => {
      this.taken.delete(release);
      release();
    };
  }

  /** Releases every pin still held. */
  [Symbol.dispose](): void {
    this.disposed = true;
    for (const { p } of this.pending.values()) p.then((release) => release(), () => undefined);
    this.pending.clear();
    for (const release of this.taken) release();
    this.taken.clear();
  }
}
