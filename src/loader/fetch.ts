/**
 * The item pipeline, the role of torch's `torch/utils/data/_utils/fetch.py`: one batch's
 * indices → items (src/contract/item.ts) → the optional per-item transform → `neuralCollate`.
 * The loader runs this same code in the calling thread (`numWorkers: 0`) and in every collate
 * worker (workers/collate-worker.ts); only where the items' cells are read from differs.
 * @module
 */
import type { Batch, CollateOptions } from '../collate/neural-collate.js';
import { neuralCollate } from '../collate/neural-collate.js';
import type { DatasetItem } from '../contract/types.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { DataLoaderTimeoutError } from './errors.js';
import { withTimeout } from './pool.js';
import type { DatasetInfo } from './protocol.js';
import { TransformArena, type ItemTransform } from './transform.js';

/**
 * What a fetcher runs, fixed for its life.
 * @example
 * ```ts
 * const setup: FetchSetup = { heap: store.heap, transform: null, options: null, info: datasetInfo(ds), timeoutMs: 0 };
 * ```
 */
export interface FetchSetup {
  /** The heap where `ctx.alloc` carves transform outputs (default: this thread's). */
  heap?: WasmHeap;
  /** The per-item transform, or null. */
  transform: ItemTransform | null;
  /** The transform's `ctx.options`. */
  options: unknown;
  /** Facts about the dataset (`ctx.dataset`); null for a dataset that is not a `NeuralDataset`. */
  info: DatasetInfo | null;
  /**
   * Most milliseconds one transform call may take (0: no limit), then `DataLoaderTimeoutError`
   * for worker -1 (the calling thread). Workers leave it 0: the loader bounds their whole batch.
   */
  timeoutMs: number;
}

/**
 * One batch to fetch.
 * @example
 * ```ts
 * const req: FetchRequest = { batch: 0, indices: [4, 1], neurons: [0, 2], item: (s) => makeItem(cells, s, [0, 2], null) };
 * ```
 */
export interface FetchRequest {
  /** The batch's position in its epoch (named by errors). */
  batch: number;
  /** Its items' indices: absolute stimulus indices (`ctx.stimIndex`), or positions of a map-style dataset. */
  indices: ArrayLike<number>;
  /** The selected neurons the responses belong to (`ctx.neurons`). */
  neurons: readonly number[];
  /** Builds item `b` of the batch from its index. */
  item: (index: number, b: number) => DatasetItem;
  /** A consumed batch whose memory the collate may write into (`neuralCollate`'s `reuse`). */
  reuse?: Batch;
  /** Where to write the batch once its sizes are known (`neuralCollate`'s `into`). */
  into?: CollateOptions['into'];
}

/**
 * Fetches batches: items, transform, collate. Holds the transform's per-batch arena
 * (`ctx.alloc`), reset before each batch; `release()` frees it.
 * @example
 * ```ts
 * const fetcher = new BatchFetcher({ transform: null, options: null, info: datasetInfo(ds), timeoutMs: 0 });
 * const cells = datasetCells(ds);
 * const batch = await fetcher.fetch({ batch: 0, indices: [0, 1], neurons: ds.selectedNeurons(), item: (s) => makeItem(cells, s, ds.selectedNeurons(), null) });
 * fetcher.release();
 * ```
 */
export class BatchFetcher {
  private arena: TransformArena | null = null;

  constructor(readonly setup: FetchSetup) {}

  /** The batch's items after the transform (what the collate reads). */
  async items(r: FetchRequest): Promise<DatasetItem[]> {
    const { transform, options, info, timeoutMs } = this.setup;
    const B = r.indices.length;
    const items: DatasetItem[] = new Array(B);
    for (let b = 0; b < B; b++) items[b] = r.item(r.indices[b], b);
    if (!transform) return items;
    if (!info) throw new TypeError('DataLoader: a transform needs a NeuralDataset (or a Subset of one)');
    const arena = (this.arena ??= new TransformArena(this.setup.heap ?? defaultHeap()));
    arena.reset();
    const alloc = (shape: readonly number[]) => arena.alloc(shape);
    for (let b = 0; b < B; b++) {
      const out = transform(items[b], { stimIndex: r.indices[b], neurons: r.neurons, dataset: info, options, alloc });
      items[b] = await withTimeout(Promise.resolve(out), timeoutMs, () => new DataLoaderTimeoutError(-1, r.batch, timeoutMs));
    }
    return items;
  }

  /** The batch: `neuralCollate` of the transformed items. */
  async fetch(r: FetchRequest): Promise<Batch> {
    return neuralCollate(await this.items(r), { reuse: r.reuse, into: r.into });
  }

  /** Frees the transform arena (the fetcher can still be used: it reallocates on demand). */
  release(): void {
    this.arena?.release();
    this.arena = null;
  }
}
