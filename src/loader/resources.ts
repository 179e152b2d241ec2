/**
 * What a `DataLoader` holds between batches — its worker pool, the pool's store tables, the
 * calling thread's batch fetcher (its transform arena) — kept in an object apart from the loader, so that the
 * workers end even when the loader is dropped without `close()`: a FinalizationRegistry on the
 * loader releases this object, and an idle timer ends workers left waiting after an epoch.
 * Nothing here refers back to the loader. See docs/loader.md ("When workers live and die").
 * @module
 */
import type { BatchFetcher } from './fetch.js';
import type { WorkerPool } from './pool.js';
import type { StoreTables } from './heap-share.js';
import type { BatchSlots, HeapSlot } from './batch-memory.js';

const noop = () => undefined;

/**
 * The loader's pool and fetcher, and their shutdown.
 * @example
 * ```ts
 * const res = new LoaderResources(stats);
 * watchLoader(loader, res); // dropping `loader` ends its workers
 * res.idleAfter(10_000);    // or ten idle seconds do
 * ```
 */
export class LoaderResources {
  pool: WorkerPool | null = null;
  /** The tables and data version the running pool was started with. */
  tables: StoreTables | null = null;
  version = -1;
  starting: Promise<WorkerPool> | null = null;
  /** The calling thread's item pipeline (`numWorkers: 0`), made on first use. */
  fetcher: BatchFetcher | null = null;
  /** Buffers of the last batch released with `numWorkers: 0`: the next batch is written into them. */
  reuse: ArrayBuffer[] | null = null;
  /** The calling thread's batch slot in the store's wasm heap (`numWorkers: 0`, released batches). */
  heapSlot: HeapSlot | null = null;
  /** The workers' shared batch slots (src/loader/batch-memory.ts); new ones with each pool. */
  slots: BatchSlots | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;

  /** `stats.liveWorkers` is kept up to date here (the loader's counters object). */
  constructor(private readonly stats: { liveWorkers: number }) {}

  /** Terminates the workers (and frees what they held). */
  async stopPool(): Promise<void> {
    this.cancelIdle();
    const starting = this.starting;
    const pool = this.pool;
    this.starting = null; // a pool still starting sees this and ends itself (DataLoader.startPool)
    this.pool = null;
    this.tables = null;
    this.slots = null; // slots of jobs in flight are lost with the pool
    if (pool) await pool.close();
    if (starting) await starting.then((p) => p.close(), noop);
    this.stats.liveWorkers = 0;
  }

  /** Stops the pool and frees the calling thread's transform arena. */
  async release(): Promise<void> {
    await this.stopPool();
    this.fetcher?.release();
    this.heapSlot?.free();
    this.heapSlot = null;
  }

  /** Ends the workers after `ms` idle milliseconds (Infinity: never), unless `cancelIdle` comes first. */
  idleAfter(ms: number): void {
    this.cancelIdle();
    if (!this.pool || !Number.isFinite(ms)) return;
    const timer = setTimeout(() => void this.stopPool(), ms);
    (timer as { unref?: () => void }).unref?.(); // an idle timer must not keep a Node process alive
    this.idle = timer;
  }

  /** Keeps the workers (an epoch starts). */
  cancelIdle(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
  }
}

const finalizer = new FinalizationRegistry<LoaderResources>((res) => void res.release());

/**
 * Releases `res` once `loader` has been garbage-collected (a loader dropped without `close()`).
 * @example
 * ```ts
 * watchLoader(this, this.res);
 * ```
 */
export function watchLoader(loader: object, res: LoaderResources): void {
  finalizer.register(loader, res, res);
}

/**
 * Stops watching (after an explicit `close()`).
 * @example
 * ```ts
 * unwatchLoader(this.res);
 * ```
 */
export function unwatchLoader(res: LoaderResources): void {
  finalizer.unregister(res);
}
