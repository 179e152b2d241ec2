/**
 * A lazy dataset's store inside a loader worker (workers/collate-worker.ts): the worker opens the
 * store itself at the location it was given (a folder, an http(s) base URL, an OPFS path), with
 * its own bounded cache, and before each batch fetches and decodes exactly that batch's cells,
 * pinned until the batch is collated. The calling thread fetches nothing (docs/zarr.md, "The DataLoader").
 * @module
 */
import { datasetCells, type CellSource } from '../contract/item.js';
import type { LazyStoreDescription } from '../loader/protocol.js';
import { describeStoreLocation, openStoreLocation } from './store-location.js';
import { ZarrDataset } from './zarr-dataset.js';

/**
 * `e` with the store named in its message (unless the message names it already), so that a
 * worker's error says which store failed.
 */
function naming(e: unknown, store: string, root: string): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (!err.message.includes(root)) err.message = `Zarr store ${store}: ${err.message}`;
  return err;
}

/**
 * The store a lazy loader worker reads.
 * @example
 * ```ts
 * const store = await WorkerZarrStore.open({ mode: 'lazy', location: { kind: 'folder', path: '/data/ns1.zarr' }, cacheBytes: 2 ** 27, concurrency: 8, info });
 * const release = await store.acquire([3, 5], [0, 1]);
 * try { collate(store.cells); } finally { release(); }
 * ```
 */
export class WorkerZarrStore {
  /** The dataset's cells (absolute indices; no selection applied: jobs carry absolute indices). */
  readonly cells: CellSource;

  private constructor(
    readonly dataset: ZarrDataset,
    private readonly name: string,
  ) {
    this.cells = datasetCells(dataset);
  }

  /**
   * Opens the store at `d.location` with the worker's cache share.
   * @throws the open's error (FormatError, HttpSourceError, …) with the store named in its message
   */
  static async open(d: LazyStoreDescription): Promise<WorkerZarrStore> {
    const name = describeStoreLocation(d.location);
    const root = d.location.kind === 'http' ? d.location.url : d.location.path;
    try {
      const ds = await ZarrDataset.open(await openStoreLocation(d.location), { cacheBytes: d.cacheBytes, concurrency: d.concurrency });
      return new WorkerZarrStore(ds, name);
    } catch (e) {
      throw naming(e, name, root);
    }
  }

  /**
   * Fetches the stimuli `stims` and their cells for `neurons` (absolute indices) and pins them
   * until the returned function runs.
   * @throws the fetch's error (a missing or truncated chunk, an HTTP failure) with the store named
   */
  async acquire(stims: ArrayLike<number>, neurons: readonly number[]): Promise<() => void> {
    try {
      return await this.dataset.acquireCells(Array.from(stims), neurons);
    } catch (e) {
      throw naming(e, this.name, this.dataset.source.root);
    }
  }
}
