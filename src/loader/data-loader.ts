/**
 * `DataLoader`: batches of a dataset, as `for await`, optionally prepared ahead in worker
 * threads (docs/performance.md). The torch.utils.data.DataLoader experience in Node and browsers.
 * @module
 */
import { platform } from '#platform';
import { DisposedError, ValueError } from '../errors.js';
import { neuralCollate, type Batch, type CollateItem } from '../collate/neural-collate.js';
import { NeuralDataset } from '../contract/neural-dataset.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { BatchSampler, RandomSampler, SequentialSampler, type Sampler } from './samplers.js';
import { Subset, type MapDataset } from './subset.js';
import { WorkerPool, withTimeout } from './pool.js';
import { DataLoaderTimeoutError, DatasetChangedError } from './errors.js';
import { LoaderResources, unwatchLoader, watchLoader } from './resources.js';
import { describeStore, datasetInfo, sameTables, storeTables, type StoreTransport } from './heap-share.js';
import { TransformArena, loadTransform, transformSpec, type ItemTransform, type LoaderItem, type TransformOption } from './transform.js';
import type { BatchJob, TransformSpec, WireBatch } from './protocol.js';
import { collateWorkerUrl } from './worker-url.js';
import { cellPrefetch, lazyCellsOf } from './lazy-cells.js';

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
   * Recycle batch memory: when the consumer asks for the next batch, the previous batch's
   * buffers go back to the workers (transferred: the old batch's arrays become empty) or, with
   * no workers, are overwritten by the next batch. Saves the first-touch page faults of fresh
   * memory. Only for loops that are done with a batch when they take the next one (default false).
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
  /** How the current pool received the store, or null without workers. */
  transport: 'shared' | 'copy' | null;
  /** Worker threads currently running. */
  liveWorkers: number;
}

interface Snapshot {
  root: NeuralDataset;
  iterable: number[];
  selected: number[];
  /** The dataset's `dataVersion` when the epoch started. */
  version: number;
}

const noop = () => undefined;

/**
 * Iterates batches of `dataset` (`for await`), each exactly what `neuralCollate` returns for
 * the same items. With `numWorkers > 0` the batches are prepared in worker threads from the
 * dataset's packed store (shared memory, or one copy per worker) and delivered in sampler order.
 *
 * Epochs: each `for await` is one epoch. The epoch number seeds the shuffle (`seed + epoch`);
 * it starts at 0 and advances after each iteration, and `setEpoch(e)` sets the next one, so
 * the same seed and epoch give the same batches whatever `numWorkers` is.
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
export class DataLoader implements AsyncIterable<Batch> {
  readonly dataset: MapDataset<unknown>;
  readonly batchSize: number;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  readonly batchSampler: BatchSampler;
  /** Counters (see {@link DataLoaderStats}). */
  readonly stats: DataLoaderStats = { maxInFlight: 0, poolStarts: 0, transport: null, liveWorkers: 0 };
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
  private closed = false;
  private iterating = false;
  private localTransform: Promise<ItemTransform> | null = null;
  private reuse: Batch | undefined;

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
    if (this.numWorkers > 0 && lazyCellsOf(this.root)) {
      throw new TypeError('DataLoader: numWorkers > 0 is not supported for a lazy dataset (ZarrDataset) yet; use numWorkers: 0 (cells are still fetched prefetchFactor batches ahead)');
    }
    const res = new LoaderResources(this.stats);
    this.res = res;
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
   * Hands a consumed batch's memory back for reuse by later batches (transferred to a worker:
   * its arrays become empty; without workers the next batch is written over it).
   */
  recycle(batch: Batch): void {
    const bufs = [batch.stims?.data?.buffer, batch.responses?.data?.buffer, batch.validMask?.data?.buffer];
    if (bufs.some((b) => !(b instanceof ArrayBuffer) || b.byteLength === 0)) return; // detached or shared: not ours
    if (this.numWorkers === 0) this.reuse = batch;
    else if (new Set(bufs).size === 3) this.res.pool?.recycle(bufs as ArrayBuffer[]);
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

  async *[Symbol.asyncIterator](): AsyncGenerator<Batch, void, undefined> {
    if (this.closed) throw new Error('DataLoader is closed');
    if (this.iterating) throw new Error('DataLoader is already being iterated: finish or break the other loop first');
    this.signal?.throwIfAborted();
    this.iterating = true;
    this.res.cancelIdle();
    const epoch = this.epoch++;
    let completed = false;
    try {
      this.batchSampler.setEpoch(epoch);
      const batches = [...this.batchSampler];
      const snap = this.snapshot();
      // An empty epoch starts no worker.
      if (batches.length > 0 && this.numWorkers === 0) yield* this.local(batches, snap);
      else if (batches.length > 0) yield* this.workers(batches, snap as Snapshot);
      completed = true;
    } finally {
      this.iterating = false;
      if (!completed) await this.res.stopPool(); // break, error or abort: no worker outlives the loop
      else this.res.idleAfter(this.idleMs);
    }
  }

  // ------------------------------------------------------------------ in the calling thread

  private async *local(batches: number[][], snap: Snapshot | null): AsyncGenerator<Batch> {
    const transform = this.transform ? await (this.localTransform ??= loadTransform(this.transform)) : null;
    // A lazy dataset's cells: fetched prefetchFactor batches ahead, pinned until collated (src/loader/lazy-cells.ts).
    using ahead = snap && cellPrefetch(snap.root, batches.length, (j) => this.stimIndices(batches[j], snap), snap.selected, this.prefetchFactor);
    for (let k = 0; k < batches.length; k++) {
      this.signal?.throwIfAborted();
      let items: CollateItem[];
      let heap: WasmHeap | undefined;
      if (snap) {
        checkUnchanged(snap, k);
        const stims = this.stimIndices(batches[k], snap);
        const release = await ahead?.take(k);
        items = stims.map((s) => this.item(snap, s));
        heap = storeHeap(snap.root);
        if (transform) {
          const info = datasetInfo(snap.root);
          const arena = (this.res.arena ??= new TransformArena(heap ?? defaultHeap()));
          arena.reset();
          const alloc = (shape: readonly number[]) => arena.alloc(shape);
          const ms = this.timeoutMs;
          for (let b = 0; b < items.length; b++) {
            const out = transform(items[b] as LoaderItem, { stimIndex: stims[b], neurons: snap.selected, dataset: info, options: this.transform?.options ?? null, alloc });
            items[b] = await withTimeout(Promise.resolve(out), ms, () => new DataLoaderTimeoutError(-1, k, ms));
          }
        }
        const batch = neuralCollate(items, { heap, reuse: this.takeReuse() });
        release?.();
        batch.stimMeta = stims.map((s) => snap.root.stimMeta[s]);
        yield* this.deliver(batch);
      } else {
        items = batches[k].map((i) => this.dataset.get(i) as unknown as CollateItem);
        if (transform) throw new TypeError('DataLoader: a transform needs a NeuralDataset (or a Subset of one)');
        yield* this.deliver(neuralCollate(items, { reuse: this.takeReuse() }));
      }
    }
  }

  private takeReuse(): Batch | undefined {
    const r = this.reuse;
    this.reuse = undefined;
    return r;
  }

  private async *deliver(batch: Batch): AsyncGenerator<Batch> {
    yield batch;
    if (this.recycleBatches) this.recycle(batch); // the consumer asked for the next one
  }

  // ------------------------------------------------------------------ in workers

  private async *workers(batches: number[][], snap: Snapshot): AsyncGenerator<Batch> {
    const pool = await this.abortable(this.ensurePool(snap.root));
    const neurons = Int32Array.from(snap.selected);
    const extras = this.extrasOf(snap.root);
    const makeJob = (k: number): BatchJob => {
      const stims = this.stimIndices(batches[k], snap);
      return { id: k, stims: Int32Array.from(stims), neurons, extras: extras ? stims.map(extras) : null };
    };
    const results = pool.ordered(batches.length, makeJob, {
      maxInFlight: this.numWorkers * this.prefetchFactor,
      wait: (p) => this.abortable(p),
      onDispatch: (n) => (this.stats.maxInFlight = Math.max(this.stats.maxInFlight, n)),
      timeoutMs: this.timeoutMs,
    });
    for (;;) {
      let next: IteratorResult<{ job: BatchJob; wire: WireBatch }>;
      try {
        next = await results.next();
      } catch (e) {
        await this.res.stopPool(); // a worker failed or died, a timeout, or the signal aborted
        throw e;
      }
      if (next.done) return;
      const { job, wire } = next.value;
      checkUnchanged(snap, job.id);
      const batch: Batch = { stims: wire.stims, responses: wire.responses, validMask: wire.validMask, stimMeta: Array.from(job.stims, (s) => snap.root.stimMeta[s]) };
      for (const [key, value] of wire.extras) batch[key] = value;
      yield* this.deliver(batch);
    }
  }

  private async ensurePool(root: NeuralDataset): Promise<WorkerPool> {
    const r = this.res;
    const tables = storeTables(root);
    // Shared workers read the data in place; copy workers hold the bytes as they were at start-up.
    const current = r.pool && r.tables && sameTables(r.tables, tables) && (r.pool.transport === 'shared' || r.version === root.dataVersion);
    if (current && r.pool) return r.pool;
    if (r.starting) await r.starting.catch(noop);
    await r.stopPool();
    // Resolved here once (Node bundles a .ts module for the workers; browsers load URLs as given).
    const transform = this.transform && { ...this.transform, url: await platform.importableModuleUrl(this.transform.url) };
    const transport = this.transport;
    r.starting = WorkerPool.start({
      size: this.numWorkers,
      url: collateWorkerUrl(),
      store: () => describeStore(root, tables, transport),
      transform,
      maxRecycled: this.prefetchFactor + 1,
      heap: tables.heap,
      timeoutMs: this.timeoutMs,
      onClose: root.holdStore(), // the workers read the store until they end, even if the dataset is disposed
    });
    let pool: WorkerPool;
    try {
      pool = await r.starting;
    } finally {
      r.starting = null;
    }
    r.pool = pool;
    r.tables = tables;
    r.version = root.dataVersion;
    this.stats.poolStarts++;
    this.stats.transport = pool.transport;
    this.stats.liveWorkers = pool.size;
    if (this.closed || this.signal?.aborted) await r.stopPool();
    return pool;
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

  private snapshot(): Snapshot | null {
    const root = this.root;
    return root ? { root, iterable: root.iterableStims(), selected: root.selectedNeurons(), version: root.dataVersion } : null;
  }

  /** Loader positions → absolute stimulus indices, through the Subset chain and the snapshot. */
  private stimIndices(positions: number[], snap: Snapshot): number[] {
    return positions.map((p0) => {
      let p = p0;
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
    });
  }

  private item(snap: Snapshot, s: number): CollateItem {
    const { root, selected } = snap;
    const row = root.responses[s];
    const extras = this.extrasOf(root);
    return { stims: root.stims[s], responses: selected.map((n) => row[n]), stimMeta: root.stimMeta[s], ...(extras ? extras(s) : {}) };
  }

  /** The dataset's `itemExtras` when it overrides the default (which adds nothing). */
  private extrasOf(root: NeuralDataset): ((s: number) => Record<string, unknown>) | null {
    type WithExtras = { itemExtras(s: number): Record<string, unknown> };
    const fn = (root as unknown as WithExtras).itemExtras;
    const base = (NeuralDataset.prototype as unknown as WithExtras).itemExtras;
    return fn === base ? null : (s: number) => fn.call(root, s);
  }
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
