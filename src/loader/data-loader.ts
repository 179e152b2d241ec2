/**
 * `DataLoader`: batches of a dataset, as `for await`, optionally prepared ahead in worker
 * threads (docs/performance.md). The torch.utils.data.DataLoader experience in Node and browsers.
 * @module
 */
import { platform } from '#platform';
import { DisposedError, ValueError } from '../errors.js';
import type { Batch, CollateOptions } from '../collate/neural-collate.js';
import { NeuralDataset } from '../contract/neural-dataset.js';
import { datasetCells, makeItem, type CellSource } from '../contract/item.js';
import type { DatasetItem } from '../contract/types.js';
import type { WasmHeap } from '../memory/heap.js';
import { BatchSampler, DistributedSampler, RandomSampler, SequentialSampler, SubsetRandomSampler, type Sampler } from './samplers.js';
import { Subset, type MapDataset } from './subset.js';
import { WorkerPool } from './pool.js';
import { BatchQueue, type EpochJobs, type Entry } from './prefetch.js';
import { DatasetChangedError } from './errors.js';
import { LoaderResources, unwatchLoader, watchLoader } from './resources.js';
import { describeStore, datasetInfo, sameTables, storeTables, type StoreTables, type StoreTransport } from './heap-share.js';
import { loadTransform, transformSpec, type TransformOption } from './transform.js';
import { BatchFetcher } from './fetch.js';
import { BatchSlots, HeapSlot, releasable, releaseAs, reusableBatch, slotArrays, slotLayout, type LoaderBatch, type SlotRef } from './batch-memory.js';
import { shapeSize } from '../tensor.js';
import type { Meta } from '../contract/types.js';
import type { TransformSpec, WireBatch } from './protocol.js';
import { collateWorkerUrl } from './worker-url.js';
import { cellPrefetch, lazyCellsOf, type CellPrefetch } from './lazy-cells.js';
import { sameValues } from '../util/same-values.js';

/**
 * Options of {@link DataLoader}; all optional.
 * @example
 * ```ts
 * const o: DataLoaderOptions = { batchSize: 8, shuffle: true, seed: 1, numWorkers: 2, prefetchFactor: 2 };
 * ```
 */
export interface DataLoaderOptions {
  /** Items per batch (default 1). Ignored when `sampler` is a `BatchSampler`. */
  batchSize?: number;
  /** Shuffle each epoch, deterministically from `seed` and the epoch (default false). */
  shuffle?: boolean;
  /** Seed of the default shuffling sampler (default 0). */
  seed?: number;
  /** Drop the last, short batch (default false). Ignored when `sampler` is a `BatchSampler`. */
  dropLast?: boolean;
  /** Index sampler (overrides `shuffle`), or a `BatchSampler` (then it decides the batches). */
  sampler?: Sampler | BatchSampler;
  /** Worker threads preparing batches; 0 = collate in the calling thread (default 0). */
  numWorkers?: number;
  /** Batches requested ahead per worker (default 2): at most numWorkers × prefetchFactor in flight. */
  prefetchFactor?: number;
  /** Aborting it terminates the workers and rejects the iteration with the signal's reason. */
  signal?: AbortSignal;
  /** Per-item transform module, run in the workers (or here with `numWorkers: 0`). */
  transform?: TransformOption;
  /**
   * How workers receive the store: `'auto'` (default) = the shared wasm memory when this thread
   * has one (Node; cross-origin-isolated pages), otherwise one copy per worker; `'copy'` forces
   * the copy; `'shared'` fails when shared memory is unavailable.
   */
  transport?: StoreTransport;
  /**
   * Release each batch when the loop asks for the next one (as `batch.release()` would): its
   * memory is written over by a later batch, and reading it afterwards throws
   * `ReleasedBatchError`. Saves new memory per batch. Only for loops that are done with a batch
   * when they take the next one (default false); `for await (using batch of loader)` does the
   * same per loop (docs/loader.md, "Batch memory").
   */
  recycleBatches?: boolean;
  /**
   * Most milliseconds to wait for one batch (default 0: no limit, as torch's `timeout`). On
   * expiry the iteration throws `DataLoaderTimeoutError` naming the worker and the batch, and
   * every worker is terminated. Also bounds each worker's start-up.
   */
  timeout?: number;
  /**
   * Workers left idle this many milliseconds after an epoch are terminated (and started again
   * on the next iteration). Default 10 000; 0 ends them at the end of every epoch; `Infinity`
   * keeps them until `close()` (or until the loader is garbage-collected).
   */
  workerIdleTimeout?: number;
}

/**
 * Counters a loader keeps (for tests, benchmarks and curiosity).
 * @example
 * ```ts
 * for await (const b of loader) step(b);
 * loader.stats.transport; // 'shared' in Node, 'copy' in a page without cross-origin isolation
 * ```
 */
export interface DataLoaderStats {
  /** Largest number of batches requested from workers and not yet delivered. */
  maxInFlight: number;
  /** Worker pools started (a pool is restarted when the dataset's cells change). */
  poolStarts: number;
  /** How the current pool received the store (`'lazy'`: each worker opened the lazy dataset's store itself), or null without workers. */
  transport: 'shared' | 'copy' | 'lazy' | null;
  /** Worker threads currently running. */
  liveWorkers: number;
  /**
   * Batches written into reused shared memory: by workers into shared batch slots (the rest came
   * in new transferred buffers), or with `numWorkers: 0` into the heap slot once batches are released.
   */
  slotBatches: number;
  /**
   * Batches an epoch took from the workers' prefetch of the previous epoch's end (requested
   * before it started: cross-epoch prefetch).
   */
  prefetchedAhead: number;
  /**
   * Batches prefetched for a next epoch and dropped because that epoch asked for others (a
   * changed epoch, sampler, selection or data).
   */
  droppedAhead: number;
}

interface Snapshot {
  root: NeuralDataset;
  iterable: number[];
  selected: number[];
  /** The dataset's `dataVersion` when the epoch started. */
  version: number;
  /** The dataset's cells and masks when the epoch started. */
  cells: CellSource;
}

/**
 * An epoch listed ahead (cross-epoch prefetch): its number, the sampler's order and what that
 * order was read under, the snapshot and the jobs. The epoch reuses it when it starts (listed once).
 */
interface Listing {
  epoch: number;
  /** What the sampler's order depends on when it is one of this library's (null: list again). */
  orderKey: number[] | null;
  batches: number[][];
  snap: Snapshot;
  jobs: EpochJobs;
}

/** The library's samplers: their order is fixed by their options (read-only), the epoch and their dataset's length. */
const PURE_SAMPLERS: ReadonlySet<unknown> = new Set([SequentialSampler, RandomSampler, SubsetRandomSampler, DistributedSampler]);

/**
 * What `batchSampler`'s order for `epoch` depends on, when its sampler is one of the library's
 * (their order is a pure function of the epoch, their dataset's length and their options: every
 * number, flag and array of numbers the sampler holds, `seed`, `rank`, `shuffle`, `indices` …,
 * read-only in TypeScript but assignable from JavaScript; the batch size and `dropLast` are
 * read-only); null for any other
 * sampler, which is listed again when its epoch starts.
 */
function orderKey(batchSampler: BatchSampler, epoch: number): number[] | null {
  const inner = batchSampler.sampler as Sampler & { dataset?: { length: number } };
  if (!PURE_SAMPLERS.has(inner.constructor) || !inner.dataset) return null;
  const key = [epoch, inner.length, inner.dataset.length];
  for (const v of Object.values(inner)) {
    if (typeof v === 'number' || typeof v === 'boolean') key.push(Number(v));
    else if (Array.isArray(v)) key.push(v.length, ...(v as unknown[]).map(Number)); // SubsetRandomSampler's indices
  }
  return key;
}

const sameKey = (a: number[] | null, b: number[] | null) => a !== null && b !== null && sameValues(a, b);
const sameBatches = (a: number[][], b: number[][]) => a === b || (a.length === b.length && a.every((x, i) => sameValues(x, b[i])));

const noop = () => undefined;

/**
 * Iterates batches of `dataset` (`for await`), each exactly what `neuralCollate` returns for
 * the same items. With `numWorkers > 0` the batches are prepared in worker threads from the
 * dataset's packed store (shared memory, or one copy per worker) and delivered in sampler order.
 *
 * Epochs: each `for await` is one epoch. The epoch number seeds the shuffle (`seed + epoch`);
 * it starts at 0 and advances after each iteration, and `setEpoch(e)` sets the next one, so
 * the same seed and epoch give the same batches whatever `numWorkers` is. With workers and a
 * deterministic sampler, the next epoch's first batches are prepared while an epoch ends, and
 * kept only if that epoch asks for exactly them (docs/loader.md, "No gap between epochs"); an
 * epoch that starts the workers gets its batch 0 from the calling thread meanwhile (except over a
 * lazy dataset, whose workers open its store and fetch every batch: docs/zarr.md).
 *
 * Selection: the dataset's neuron selection and iterable stimuli are snapshot when an epoch
 * starts; changing the selection mid-epoch does not affect the running epoch (the next one
 * sees it). Data: an epoch reads the data as it was when it started; changing it in place
 * during the epoch (`smoothResponses`, …) makes the next batch throw `DatasetChangedError`,
 * whatever `numWorkers` is. Workers survive between epochs and are restarted if the dataset's
 * cells change.
 *
 * Lifecycle (docs/loader.md): breaking out of the loop, aborting `signal`, a worker error, a
 * `timeout`, or `close()` terminates every worker and frees what they held; workers idle for
 * `workerIdleTimeout` after an epoch end too, and so do the workers of a loader that was
 * garbage-collected without `close()`. An idle pool does not keep a Node process alive.
 *
 * @example
 * ```ts
 * const ds = new SyntheticDataset({ seed: 0 });
 * const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1, numWorkers: 2 });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   loader.setEpoch(epoch);
 *   for await (const batch of loader) train(batch.stims, batch.responses, batch.validMask);
 * }
 * await loader.close();
 * ```
 */
export class DataLoader implements AsyncIterable<LoaderBatch> {
  readonly dataset: MapDataset<unknown>;
  readonly batchSize: number;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  readonly batchSampler: BatchSampler;
  /** Counters (see {@link DataLoaderStats}). */
  readonly stats: DataLoaderStats = { maxInFlight: 0, poolStarts: 0, transport: null, liveWorkers: 0, slotBatches: 0, prefetchedAhead: 0, droppedAhead: 0 };
  private readonly signal: AbortSignal | undefined;
  private readonly transform: TransformSpec | null;
  private readonly transport: StoreTransport;
  private readonly recycleBatches: boolean;
  private readonly root: NeuralDataset | null;
  private readonly chain: Subset<unknown>[];
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  /** The pool and arena, held apart so that they end when this loader is garbage-collected. */
  private readonly res: LoaderResources;
  private epoch = 0;
  /** The epoch of the running (or last) iteration. */
  private running = 0;
  private closed = false;
  private iterating = false;
  /** Where a released batch's buffers go (refers to the resources, never to the loader). */
  private readonly giveBack: (buffers: ArrayBuffer[] | null, slot: SlotRef | null) => void;
  /** The job stream of the running pool (src/loader/prefetch.ts). */
  private queue: BatchQueue | null = null;
  /** The next epoch, as listed ahead while the last one ended (`nextEpochJobs`). */
  private listed: Listing | null = null;

  constructor(dataset: MapDataset<unknown>, options: DataLoaderOptions = {}) {
    if (!dataset || typeof dataset.length !== 'number' || typeof dataset.get !== 'function') {
      throw new TypeError('DataLoader: the dataset must have a length and get(i) (a NeuralDataset, a Subset, or any map-style dataset)');
    }
    this.dataset = dataset;
    const o = options;
    this.numWorkers = o.numWorkers ?? 0;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 0) throw new ValueError(`numWorkers must be a non-negative integer, got ${o.numWorkers}`);
    this.prefetchFactor = o.prefetchFactor ?? 2;
    if (!Number.isInteger(this.prefetchFactor) || this.prefetchFactor < 1) throw new ValueError(`prefetchFactor must be a positive integer, got ${o.prefetchFactor}`);
    if (o.sampler instanceof BatchSampler) {
      this.batchSampler = o.sampler;
    } else {
      const bs = o.batchSize ?? 1;
      if (!Number.isInteger(bs) || bs <= 0) throw new ValueError(`batchSize must be a positive integer, got ${o.batchSize}`);
      const sampler = o.sampler ?? (o.shuffle ? new RandomSampler(dataset, { seed: o.seed ?? 0 }) : new SequentialSampler(dataset));
      this.batchSampler = new BatchSampler(sampler, { batchSize: bs, dropLast: o.dropLast ?? false });
    }
    this.batchSize = this.batchSampler.batchSize;
    this.signal = o.signal;
    this.transform = transformSpec(o.transform);
    this.transport = o.transport ?? 'auto';
    if (!['auto', 'shared', 'copy'].includes(this.transport)) throw new ValueError(`transport must be 'auto', 'shared' or 'copy', got ${String(this.transport)}`);
    this.recycleBatches = o.recycleBatches ?? false;
    this.timeoutMs = o.timeout ?? 0;
    if (typeof this.timeoutMs !== 'number' || !(this.timeoutMs >= 0)) throw new ValueError(`timeout must be a number of milliseconds ≥ 0 (0 = none), got ${String(o.timeout)}`);
    this.idleMs = o.workerIdleTimeout ?? 10_000;
    if (typeof this.idleMs !== 'number' || !(this.idleMs >= 0)) throw new ValueError(`workerIdleTimeout must be a number of milliseconds ≥ 0, got ${String(o.workerIdleTimeout)}`);

    // Subsets resolve, through their index lists, to one root dataset.
    const chain: Subset<unknown>[] = [];
    let d: MapDataset<unknown> = dataset;
    while (d instanceof Subset) {
      chain.push(d);
      d = d.dataset;
    }
    this.chain = chain;
    this.root = d instanceof NeuralDataset ? d : null;
    if (this.numWorkers > 0 && this.root === null) {
      throw new TypeError('DataLoader: numWorkers > 0 needs a NeuralDataset (or a Subset of one): workers read its packed store');
    }
    // A lazy dataset's workers open its store themselves: throws TypeError when they cannot.
    if (this.numWorkers > 0) lazyCellsOf(this.root)?.workerShare(this.numWorkers);
    const res = new LoaderResources(this.stats);
    this.res = res;
    const local = this.numWorkers === 0;
    this.giveBack = (bufs, slot) => {
      if (slot) return res.slots?.giveBack(slot); // a worker's shared batch slot
      if (local && res.heapSlot) res.heapSlot.wanted = true; // the loop releases: later batches go to the heap slot
      if (bufs && local) res.reuse = bufs;
      else if (bufs) res.pool?.recycle(bufs);
    };
    watchLoader(this, res);
    this.signal?.addEventListener('abort', () => void res.stopPool(), { once: true }); // no reference to the loader
  }

  /** Number of batches per epoch. */
  get length(): number {
    return this.batchSampler.length;
  }

  /** Sets the epoch the next iteration uses (it reseeds shuffling samplers). */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new ValueError(`epoch must be a non-negative integer, got ${epoch}`);
    this.epoch = epoch;
  }

  /**
   * Releases a batch this loader delivered: `batch.release()` by another name. Its memory is
   * written over by a later batch, and reading it afterwards throws `ReleasedBatchError`.
   */
  recycle(batch: Batch): void {
    releaseAs(batch, 'loader.recycle(batch)');
  }

  /** Terminates every worker and frees what the loader holds; it cannot be iterated afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    unwatchLoader(this.res);
    await this.res.release();
  }

  /** `await using loader = new DataLoader(…)` closes the loader at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LoaderBatch, void, undefined> {
    if (this.closed) throw new Error('DataLoader is closed');
    if (this.iterating) throw new Error('DataLoader is already being iterated: finish or break the other loop first');
    this.signal?.throwIfAborted();
    this.iterating = true;
    this.res.cancelIdle();
    const epoch = this.epoch++;
    this.running = epoch;
    let completed = false;
    try {
      // The epoch listed ahead (cross-epoch prefetch) is used again as far as nothing it was read from changed.
      const listed = this.listed?.epoch === epoch ? this.listed : null;
      this.listed = null;
      this.batchSampler.setEpoch(epoch);
      const batches = listed && sameKey(orderKey(this.batchSampler, epoch), listed.orderKey) ? listed.batches : [...this.batchSampler];
      const snap = this.snapshot(listed?.snap);
      const jobs = listed && snap === listed.snap && sameBatches(batches, listed.batches) ? listed.jobs : null; // the prefetched jobs are this epoch's own
      // An empty epoch starts no worker.
      if (batches.length > 0 && this.numWorkers === 0) yield* this.local(batches, snap);
      else if (batches.length > 0) yield* this.workers(batches, snap as Snapshot, jobs);
      completed = true;
    } finally {
      this.iterating = false;
      if (!completed) await this.res.stopPool(); // break, error or abort: no worker outlives the loop
      else this.res.idleAfter(this.idleMs);
    }
  }

  // ------------------------------------------------------------------ in the calling thread

  private async *local(batches: number[][], snap: Snapshot | null): AsyncGenerator<LoaderBatch> {
    // A lazy dataset's cells: fetched ahead (by bytes, at least prefetchFactor batches), pinned until collated (src/loader/lazy-cells.ts).
    using ahead = snap && cellPrefetch(snap.root, batches.length, (j) => this.stimIndices(batches[j], snap), snap.selected, this.prefetchFactor);
    // The heap slot serves a batch only while the loop releases each batch before it asks for the
    // next: a batch that goes unreleased (a loop that keeps them) turns it off, and the first batch
    // of each epoch takes new memory, so a slot is lost to a kept batch only in a loop that
    // releases some batches and keeps others (its block then stays with that batch).
    if (this.res.heapSlot) this.res.heapSlot.wanted = false;
    for (let k = 0; k < batches.length; k++) {
      const batch = await this.fetchHere(batches, snap, k, ahead);
      const slot = this.res.heapSlot;
      let released = false;
      let b: LoaderBatch;
      if (slot?.holds(batch.responses.data)) {
        this.stats.slotBatches++;
        b = releasable(batch, k, () => {
          released = true;
          slot.giveBack();
        });
      } else {
        b = releasable(batch, k, (bufs) => {
          released = true;
          this.giveBack(bufs, null);
        });
      }
      yield b;
      this.taken(b);
      if (!released && slot) slot.wanted = false;
    }
  }

  /** Batch `k` of the epoch, fetched in the calling thread (a lazy dataset's cells through `ahead`). */
  private async fetchHere(batches: number[][], snap: Snapshot | null, k: number, ahead: CellPrefetch | null = null): Promise<Batch> {
    const fetcher = await this.localFetcher();
    this.signal?.throwIfAborted();
    if (!snap) {
      const item = (i: number) => this.dataset.get(i) as DatasetItem;
      return fetcher.fetch({ batch: k, indices: batches[k], neurons: [], item, reuse: this.takeReuse() });
    }
    checkUnchanged(snap, k);
    const stims = this.stimIndices(batches[k], snap);
    const extras = this.extrasOf(snap.root);
    const item = (s: number) => makeItem(snap.cells, s, snap.selected, extras ? extras(s) : null);
    const release = await ahead?.take(k);
    let batch: Batch;
    try {
      const bufs = this.res.reuse;
      this.res.reuse = null;
      let inSlot = false;
      const slotInto = this.slotInto(snap.root);
      const into: CollateOptions['into'] =
        slotInto &&
        ((n, m) => {
          const arrays = slotInto(n, m);
          inSlot = arrays !== null;
          return arrays;
        });
      batch = await fetcher.fetch({ batch: k, indices: stims, neurons: snap.selected, item, reuse: bufs ? reusableBatch(bufs) : undefined, into });
      if (inSlot && bufs) this.res.reuse ??= bufs; // unused: kept for a batch the slot cannot take (the next epoch's first)
    } finally {
      release?.();
    }
    batch.stimMeta = stims.map((s) => snap.root.stimMeta[s]);
    return batch;
  }

  /** The calling thread's item pipeline: the same as a worker's (src/loader/fetch.ts). */
  private async localFetcher(): Promise<BatchFetcher> {
    if (this.res.fetcher) return this.res.fetcher;
    const transform = this.transform ? await loadTransform(this.transform) : null;
    const root = this.root;
    this.res.fetcher ??= new BatchFetcher({
      heap: root ? storeHeap(root) : undefined,
      transform,
      options: this.transform?.options ?? null,
      info: root ? datasetInfo(root) : null,
      timeoutMs: this.timeoutMs,
    });
    return this.res.fetcher;
  }

  /**
   * With `numWorkers: 0` and the store in a shared wasm heap, where the collate may write: the
   * heap slot (src/loader/batch-memory.ts `HeapSlot`), once the loop has released a batch.
   */
  private slotInto(root: NeuralDataset): CollateOptions['into'] {
    const heap = storeHeap(root);
    if (this.numWorkers > 0 || !heap?.shared) return undefined;
    let slot = this.res.heapSlot;
    if (slot?.heap !== heap) {
      slot?.free();
      slot = this.res.heapSlot = new HeapSlot(heap);
    }
    return (respCount, stimCount) => (slot as HeapSlot).take(respCount, stimCount);
  }

  private takeReuse(): Batch | undefined {
    const bufs = this.res.reuse;
    this.res.reuse = null;
    return bufs ? reusableBatch(bufs) : undefined;
  }

  /**
   * The loop has asked for the batch after `b` (called right after `yield b`: not a generator of
   * its own, whose `yield*` would cost every batch a few promise turns): releases `b` with
   * `recycleBatches`.
   */
  private taken(b: LoaderBatch): void {
    if (this.recycleBatches) releaseAs(b, 'recycleBatches: true, when the loop asked for the next batch');
  }

  // ------------------------------------------------------------------ in workers

  private async *workers(batches: number[][], snap: Snapshot, listedJobs: EpochJobs | null): AsyncGenerator<LoaderBatch> {
    const r = this.res;
    let pool = this.currentPool(snap.root);
    let from = 0;
    if (!pool && lazyCellsOf(snap.root)) {
      // A lazy dataset: the workers fetch every batch (this thread never reads a cell).
      await this.abortable(r.stopPool());
      pool = await this.abortable(this.startPool(snap.root));
    } else if (!pool) {
      // Fetch batch 0 here with the same pipeline (same bytes), then start the workers while the
      // consumer works on it: start-up does not delay the first batch.
      await this.abortable(r.stopPool()); // an outdated pool
      const first = await this.fetchHere(batches, snap, 0);
      const starting = this.startPool(snap.root);
      starting.catch(noop); // awaited below
      const b = releasable(first, 0, this.giveBack);
      yield b;
      this.taken(b);
      from = 1;
      pool = await this.abortable(starting);
    }
    // The queue lives as long as its pool (not in `res`: it refers to this loader).
    const slots = (r.slots ??= typeof SharedArrayBuffer === 'function' && platform.sharedMemoryAvailable() ? new BatchSlots(this.numWorkers * this.prefetchFactor + 2) : null);
    if (this.queue?.pool !== pool) this.queue = new BatchQueue(pool, {
      // Each dispatched job carries a free shared batch slot (if any) for the worker to write into.
      prepare: slots
        ? (job) => {
            job.slot = slots.take();
            return job;
          }
        : undefined,
      onDrop: (job) => { if (job.slot) slots?.giveBack(job.slot); },
      maxInFlight: this.numWorkers * this.prefetchFactor,
      timeoutMs: this.timeoutMs,
      wait: this.signal ? (p) => this.abortable(p) : undefined,
      onDispatch: (n) => (this.stats.maxInFlight = Math.max(this.stats.maxInFlight, n)),
      onBegin: (adopted, dropped) => {
        this.stats.prefetchedAhead += adopted;
        this.stats.droppedAhead += dropped;
      },
    });
    const queue = this.queue;
    queue.begin(listedJobs ?? this.epochJobs(batches, snap), from, () => this.nextEpochJobs());
    for (let k = from; k < batches.length; k++) {
      let head: Entry | null;
      let wire: WireBatch;
      try {
        head = queue.next();
        while (!head) {
          await queue.settled(); // every slot is held by dropped jobs
          head = queue.next();
        }
        wire = await queue.answer(head);
        queue.shift();
      } catch (e) {
        await r.stopPool(); // a worker failed or died, a timeout, or the signal aborted
        throw e;
      }
      const job = head.job;
      checkUnchanged(snap, job.id);
      const respCount = shapeSize(wire.respShape);
      const stimCount = shapeSize(wire.stimShape);
      slots?.fit(slotLayout(respCount, stimCount).bytes);
      const slot = job.slot;
      const bufs = wire.buffers;
      if (slot && bufs) slots?.giveBack(slot); // the batch did not fit: the worker used new memory
      const arrays = bufs
        ? { stims: new Float32Array(bufs[0], 0, stimCount), responses: new Float32Array(bufs[1], 0, respCount), validMask: new Uint8Array(bufs[2], 0, respCount) }
        : slotArrays((slot as SlotRef).buffer, respCount, stimCount);
      const meta = snap.root.stimMeta;
      const stimMeta: Meta[] = [];
      for (let i = 0; i < job.stims.length; i++) stimMeta.push(meta[job.stims[i]]);
      const batch: Batch = {
        stims: { dtype: 'float32', shape: wire.stimShape, data: arrays.stims },
        responses: { dtype: 'float32', shape: wire.respShape, data: arrays.responses },
        validMask: { dtype: 'bool', shape: wire.respShape, data: arrays.validMask },
        stimMeta,
      };
      for (let i = 0; i < wire.extras.length; i++) batch[wire.extras[i][0]] = wire.extras[i][1];
      if (!bufs) this.stats.slotBatches++;
      const b = releasable(batch, job.id, this.giveBack, bufs ? null : slot);
      yield b;
      this.taken(b);
    }
  }

  /** The jobs of an epoch: its batches' absolute stimulus indices, the snapshot's neurons and extras. */
  private epochJobs(batches: number[][], snap: Snapshot): EpochJobs {
    const neurons = Int32Array.from(snap.selected);
    const extras = this.extrasOf(snap.root);
    return {
      count: batches.length,
      version: snap.version,
      job: (k) => {
        const positions = batches[k];
        const stims = new Int32Array(positions.length);
        for (let i = 0; i < positions.length; i++) stims[i] = this.stimIndex(positions[i], snap);
        return { id: k, stims, neurons, extras: extras ? Array.from(stims, extras) : null, slot: null };
      },
    };
  }

  /**
   * The next epoch's jobs as they stand now (its number: the running one's + 1, or what
   * `setEpoch` set meanwhile), or null when the sampler is not deterministic. Listed while the
   * running epoch ends (cross-epoch prefetch); the next epoch keeps them only if they are still
   * its jobs (src/loader/prefetch.ts).
   */
  private nextEpochJobs(): EpochJobs | null {
    const sampler = this.batchSampler;
    if (sampler.sampler.deterministic !== true) return null;
    try {
      const epoch = this.epoch;
      sampler.setEpoch(epoch);
      const batches = [...sampler];
      const snap = this.snapshot();
      if (!snap) return null;
      const jobs = this.epochJobs(batches, snap);
      this.listed = { epoch, orderKey: orderKey(sampler, epoch), batches, snap, jobs };
      return jobs;
    } finally {
      sampler.setEpoch(this.running);
    }
  }

  /** The running pool, if it still serves `root` as it is now (else null: start another). */
  private currentPool(root: NeuralDataset): WorkerPool | null {
    const r = this.res;
    if (!r.pool) return null;
    if (r.version === root.dataVersion) return r.pool; // cells move only in validate(), which changes the version
    // Shared workers read the data in place; copy workers hold the bytes as they were at start-up.
    if (r.pool.transport !== 'shared' || !r.tables || !sameTables(r.tables, storeTables(root))) return null;
    r.version = root.dataVersion;
    return r.pool;
  }

  /**
   * Starts a pool for `root`: `res.starting` is set before this returns, the workers are created
   * in the next task (after the consumer has received the batch in hand: creating a worker costs
   * the calling thread a few milliseconds).
   */
  private startPool(root: NeuralDataset): Promise<WorkerPool> {
    const r = this.res;
    const tables = lazyCellsOf(root) ? null : storeTables(root);
    const version = root.dataVersion;
    const o = {
      size: this.numWorkers, transform: this.transform, transport: this.transport,
      maxRecycled: this.prefetchFactor + 1, timeoutMs: this.timeoutMs,
    };
    let self: Promise<WorkerPool> | null = null; // read by the task below only after it is set
    const starting = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (r.starting !== self) throw new Error('DataLoader: the workers were stopped before they started');
      return launchPool(root, tables, o);
    })();
    self = starting;
    r.starting = starting;
    return starting.then(
      async (pool) => {
        if (r.starting !== starting || this.closed || this.signal?.aborted) {
          await pool.close(); // stopped while starting (a break, close() or an abort)
          this.signal?.throwIfAborted();
          throw new Error('DataLoader: the workers were stopped while starting');
        }
        r.starting = null;
        r.pool = pool;
        r.tables = tables;
        r.version = version;
        this.stats.poolStarts++;
        this.stats.transport = pool.transport;
        this.stats.liveWorkers = pool.size;
        return pool;
      },
      (e: unknown) => {
        if (r.starting === starting) r.starting = null;
        throw e;
      },
    );
  }

  /** Rejects with the signal's reason as soon as it aborts. */
  private abortable<R>(p: Promise<R>): Promise<R> {
    const signal = this.signal;
    if (!signal) return p;
    signal.throwIfAborted();
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  // ------------------------------------------------------------------ indices and items

  /** The dataset's selection and data as they are now: `same` itself when it sees the same ones. */
  private snapshot(same?: Snapshot): Snapshot | null {
    const root = this.root;
    if (!root) return null;
    const iterable = root.iterableStims();
    const selected = root.selectedNeurons();
    const version = root.dataVersion;
    if (same?.root === root && same.version === version && sameValues(same.iterable, iterable) && sameValues(same.selected, selected)) return same;
    return { root, iterable, selected, version, cells: datasetCells(root) };
  }

  /** Loader positions → absolute stimulus indices, through the Subset chain and the snapshot. */
  private stimIndices(positions: number[], snap: Snapshot): number[] {
    return positions.map((p) => this.stimIndex(p, snap));
  }

  /** One loader position → its absolute stimulus index. */
  private stimIndex(position: number, snap: Snapshot): number {
    let p = position;
    for (const sub of this.chain) {
      const L = sub.indices.length;
      const j = p < 0 ? p + L : p;
      if (!Number.isInteger(j) || j < 0 || j >= L) throw new RangeError(`sampler index ${p} is out of range for a Subset of length ${L}`);
      p = sub.indices[j];
    }
    const L = snap.iterable.length;
    const j = p < 0 ? p + L : p;
    if (!Number.isInteger(j) || j < 0 || j >= L) {
      throw new RangeError(`index ${p} is out of range for length ${L}; the length is relative to the dataset's selection when the epoch started`);
    }
    return snap.iterable[j];
  }

  /** The dataset's `itemExtras` when it overrides the default (which adds nothing). */
  private extrasOf(root: NeuralDataset): ((s: number) => Record<string, unknown>) | null {
    type WithExtras = { itemExtras(s: number): Record<string, unknown> };
    const fn = (root as unknown as WithExtras).itemExtras;
    const base = (NeuralDataset.prototype as unknown as WithExtras).itemExtras;
    return fn === base ? null : (s: number) => fn.call(root, s);
  }
}

/**
 * Starts the workers of a pool for `root`. A module function: the closures the pool keeps for
 * its workers' lives must not hold the loader (it is watched for garbage collection).
 */
function launchPool(
  root: NeuralDataset,
  tables: StoreTables | null,
  o: { size: number; transform: TransformSpec | null; transport: StoreTransport; maxRecycled: number; timeoutMs: number },
): Promise<WorkerPool> {
  const lazy = lazyCellsOf(root);
  return (async () => {
    // Resolved here once (Node bundles a .ts module for the workers; browsers load URLs as given).
    const transform = o.transform && { ...o.transform, url: await platform.importableModuleUrl(o.transform.url) };
    return WorkerPool.start({
      size: o.size,
      url: collateWorkerUrl(),
      // A lazy dataset: each worker opens its store (src/zarr/worker-store.ts); `transport` does not apply.
      store: lazy
        ? () => ({ description: { mode: 'lazy' as const, ...lazy.workerShare(o.size), info: datasetInfo(root) }, transfer: [] })
        : () => describeStore(root, tables as StoreTables, o.transport),
      transform,
      maxRecycled: o.maxRecycled,
      heap: tables?.heap ?? null,
      timeoutMs: o.timeoutMs,
      onClose: root.holdStore(), // the workers read the store until they end, even if the dataset is disposed
    });
  })();
}

/** Throws if the epoch's dataset was disposed or changed in place since the epoch started. */
function checkUnchanged(snap: Snapshot, batch: number): void {
  const { root } = snap;
  if (root.disposed) throw new DisposedError(`DataLoader: ${root.constructor.name} was disposed during the epoch (before batch ${batch})`);
  if (root.dataVersion !== snap.version) throw new DatasetChangedError(root.constructor.name, batch, snap.version, root.dataVersion);
}

/** The heap a dataset's store lives in (the calling thread's when not packed). */
function storeHeap(ds: NeuralDataset): WasmHeap | undefined {
  const s = ds.stims[0] as { heap?: WasmHeap };
  return s?.heap;
}
