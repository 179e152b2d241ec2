/**
 * The wire types between the loader (main thread) and its collate workers. Only these cross
 * threads: the store description once per worker (through Comlink), then per batch an index
 * list out and the batch's shapes (and buffers, transferred, not copied) back, as bare messages
 * on a port of their own ({@link PoolMessage}, {@link BatchReply}): no Comlink proxy, message
 * id or listener per batch (docs/loader.md, "What receiving a batch costs").
 * @module
 */
import type { SlotRef } from './batch-memory.js';
import type { Meta } from '../contract/types.js';
import type { ZarrStoreLocation } from '../zarr/store-location.js';

/**
 * Dataset facts a per-item transform may need (from `AudioNeuralDataset` when available).
 * @example
 * ```ts
 * const t: ItemTransform = (item, ctx) => { const info: DatasetInfo = ctx.dataset; return item; };
 * ```
 */
export interface DatasetInfo {
  /** The dataset's class name. */
  className: string;
  path: string;
  dtMs: number;
  /** Waveform sample rate, or null (spectrogram mode or not an audio dataset). */
  audioFs: number | null;
  /** Band count F of an audio dataset, or null. */
  F: number | null;
  /** Samples per response bin in waveform mode, or null. */
  hop: number | null;
}

/** Columns per row of {@link StoreDescription.stimTable}: ptr, rank, then up to 6 dims. */
export const STIM_COLS = 8;
/** Columns per row of {@link StoreDescription.cellTable}: ptr, R, T, NaN state. */
export const CELL_COLS = 4;

/**
 * The dataset's packed store as a worker receives it, once. With shared memory the worker
 * attaches to the same `WebAssembly.Memory`; otherwise it gets one copy of the bytes
 * `[lo, hi)` that hold every cell, placed at the same addresses in its own heap, so the
 * pointers of the tables are valid in both threads.
 */
export interface StoreDescription {
  mode: 'shared' | 'copy';
  /** Shared mode: the memory itself. */
  memory: WebAssembly.Memory | null;
  /** Byte address of the allocator header (same in every heap: it follows the kernels' statics). */
  header: number;
  /** Copy mode: the bytes `[lo, hi)` of the parent heap. */
  bytes: ArrayBuffer | null;
  lo: number;
  hi: number;
  nStims: number;
  nNeurons: number;
  /** Per stimulus: ptr, rank, dims (row-major, zero-filled past the rank). */
  stimTable: Uint32Array;
  /** Per (s, n), row s·N + n: ptr, R, T, NaN state. */
  cellTable: Uint32Array;
  /** A structured copy of `stimMeta` (null when the metadata cannot be cloned). */
  stimMeta: Meta[] | null;
  info: DatasetInfo;
}

/**
 * A lazy dataset's store as a worker receives it, once (src/zarr/worker-store.ts): where to open
 * it and the worker's share of the cache. The worker then fetches and decodes the cells of each
 * batch it is given; nothing of the store crosses threads.
 * @example
 * ```ts
 * const d: LazyStoreDescription = { mode: 'lazy', ...zarrDs.workerShare(2), info: datasetInfo(zarrDs) };
 * ```
 */
export interface LazyStoreDescription {
  mode: 'lazy';
  location: ZarrStoreLocation;
  /** This worker's cache (the dataset's `cacheBytes` split across the workers). */
  cacheBytes: number;
  /** Most requests this worker has in flight. */
  concurrency: number;
  info: DatasetInfo;
}

/**
 * What a worker reads its cells from, tagged by `mode`: a packed store (shared or copied) or a lazy one.
 * @example
 * ```ts
 * const cells = (d: WorkerStore) => (d.mode === 'lazy' ? WorkerZarrStore.open(d) : new AttachedStore(d));
 * ```
 */
export type WorkerStore = StoreDescription | LazyStoreDescription;

/** A per-item transform to run in the workers: a module URL and cloneable options. */
export interface TransformSpec {
  url: string;
  options: unknown;
}

/** One batch's work: absolute stimulus indices, the selected neurons, and per-item extra keys. */
export interface BatchJob {
  /** Sequence number within the epoch (batches are delivered in this order). */
  id: number;
  stims: Int32Array;
  neurons: Int32Array;
  /** Per item, the dataset's extra keys (`itemExtras`), or null when the dataset adds none. */
  extras: Array<Record<string, unknown>> | null;
  /** A shared batch slot to write the batch into when it fits (src/loader/batch-memory.ts), or null. */
  slot: SlotRef | null;
}

/**
 * A {@link BatchJob} as it travels to a worker: `neurons` is null when they are those of the
 * previous job on the same port (the selection changes at most once per epoch: it is sent once).
 */
export interface WireJob extends Omit<BatchJob, 'neurons'> {
  neurons: Int32Array | null;
}

/**
 * A batch as it comes back: its shapes, and its buffers (stims, responses, validMask;
 * transferred) or null when it was written into the job's slot; then any extra keys.
 */
export interface WireBatch {
  stimShape: number[];
  respShape: number[];
  buffers: ArrayBuffer[] | null;
  /** Extra batch keys, in collate order (dataset extras, then keys a transform added). */
  extras: Array<[string, unknown[]]>;
  /** Recycled buffer sets the worker still holds after this batch. */
  pooled: number;
}

/**
 * A per-batch message from the loader to a collate worker, on the worker's batch port: collate
 * `job` and answer with a {@link BatchReply} numbered `seq`; or take consumed batch buffers
 * (stims, responses, validMask; transferred) back for reuse.
 * @example
 * ```ts
 * port.postMessage({ op: 'collate', seq: 7, job: { ...job, neurons: null } } satisfies PoolMessage);
 * ```
 */
export type PoolMessage = { op: 'collate'; seq: number; job: WireJob } | { op: 'recycle'; buffers: ArrayBuffer[] };

/**
 * A worker's error as it crosses threads: an `Error`'s name, message and stack, or a thrown
 * value that is not an `Error` (its string when it cannot be cloned).
 * @example
 * ```ts
 * const f: WorkerFailure = { isError: true, name: 'TypeError', message: 'bad item', stack: '…' };
 * ```
 */
export type WorkerFailure = { isError: true; name: string; message: string; stack: string | undefined } | { isError: false; value: unknown };

/**
 * A collate worker's answer to the {@link PoolMessage} numbered `reply`, on its batch port: the
 * batch, or why it failed.
 * @example
 * ```ts
 * port.postMessage({ reply: 7, wire } satisfies BatchReply, wire.buffers ?? []);
 * ```
 */
export type BatchReply = { reply: number; wire: WireBatch } | { reply: number; failure: WorkerFailure };

/** What a collate worker exposes through Comlink (batches travel as {@link PoolMessage}s). */
export interface CollateWorkerApi {
  /**
   * Attaches the store (or opens the lazy one), loads the transform and listens for jobs on
   * `port` (answering on it); returns the transport actually used and the worker's owner id in
   * the shared heap (the parent frees its blocks when it ends; only meaningful for `'shared'`).
   */
  init(store: WorkerStore, transform: TransformSpec | null, port: MessagePort): Promise<{ mode: WorkerStore['mode']; owner: number }>;
  /** Seals the worker's heap (no more allocation): the last call before it is terminated. */
  quiesce(): void;
}

/**
 * `e` as a {@link WorkerFailure} (what Comlink sent for a thrown error: name, message, stack).
 * @example
 * ```ts
 * try { await collate(job); } catch (e) { endpoint.postMessage({ reply: seq, failure: toFailure(e) }); }
 * ```
 */
export function toFailure(e: unknown): WorkerFailure {
  return e instanceof Error ? { isError: true, name: e.name, message: e.message, stack: e.stack } : { isError: false, value: e };
}

/**
 * The error a {@link WorkerFailure} stands for: an `Error` with the worker's name, message and
 * stack, or the thrown value itself.
 * @example
 * ```ts
 * if ('failure' in reply) reject(fromFailure(reply.failure));
 * ```
 */
export function fromFailure(f: WorkerFailure): unknown {
  if (!f.isError) return f.value;
  return Object.assign(new Error(f.message), { name: f.name, stack: f.stack });
}
