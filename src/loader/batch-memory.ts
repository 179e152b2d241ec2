/**
 * Batch memory: who owns a delivered batch's three arrays, and how a loop hands them back.
 *
 * By default a batch's arrays are its own new `ArrayBuffer`s (src/collate/neural-collate.ts):
 * a batch kept in an array never changes, and the garbage collector frees it. A loop that is done
 * with a batch may release it — `batch.release()`, `for await (using batch of loader)`,
 * `loader.recycle(batch)`, or `recycleBatches: true` (released when the loop asks for the next
 * one) — and its buffers are written over by a later batch (no new memory, no garbage). Reading
 * a released batch's `stims`, `responses` or `validMask` data then throws
 * {@link ReleasedBatchError}. Why this design: docs/loader.md, "Batch memory".
 * @module
 */
import { DisposedError } from '../errors.js';
import type { Batch } from '../collate/neural-collate.js';

/**
 * A batch the DataLoader delivered: a {@link Batch} that can be released for reuse.
 * `release()` and `[Symbol.dispose]()` are the same call (idempotent); neither is enumerable,
 * so `Object.keys(batch)` and structured clones see only the batch's keys.
 * @example
 * ```ts
 * for await (using batch of loader) step(batch); // released at the end of each iteration
 * for await (const batch of loader) { step(batch); batch.release(); } // the same, by hand
 * ```
 */
export interface LoaderBatch extends Batch {
  /** Hands the batch's memory back for a later batch; reading it afterwards throws {@link ReleasedBatchError}. */
  release(): void;
  [Symbol.dispose](): void;
}

/**
 * Reading the data of a batch that was released (`batch.release()`, `using`, `loader.recycle`,
 * or `recycleBatches` once the loop asked for the next batch): its memory now belongs to a later
 * batch. `batch` is its position in the epoch. A `DisposedError`.
 * @example
 * ```ts
 * const b = (await loader[Symbol.asyncIterator]().next()).value; b.release();
 * b.responses.data; // ReleasedBatchError: batch 0 of the DataLoader was released …
 * ```
 */
export class ReleasedBatchError extends DisposedError {
  /** The released batch's position in its epoch. */
  readonly batch: number;
  constructor(batch: number, key: string, how: string) {
    super(
      `batch ${batch} of the DataLoader was released (${how}), so its ${key} memory now holds a later batch: ` +
        'copy what you keep before releasing (e.g. batch.responses.data.slice()), or do not release batches you keep',
    );
    this.name = 'ReleasedBatchError';
    this.batch = batch;
  }
}

const TENSOR_KEYS = ['stims', 'responses', 'validMask'] as const;
const RELEASE = Symbol('deepstrf.release');

/**
 * The three buffers of a batch (stims, responses, validMask), or null when one is shared,
 * detached or repeated (not reusable).
 * @example
 * ```ts
 * const bufs = batchBuffers(neuralCollate(items)); // three ArrayBuffers
 * ```
 */
export function batchBuffers(batch: Batch): ArrayBuffer[] | null {
  const bufs = TENSOR_KEYS.map((k) => batch[k].data.buffer);
  if (bufs.some((b) => !(b instanceof ArrayBuffer) || b.byteLength === 0) || new Set(bufs).size !== 3) return null;
  return bufs as ArrayBuffer[];
}

/**
 * A batch over released buffers (stims, responses, validMask), for `neuralCollate`'s `reuse`.
 * @example
 * ```ts
 * const next = neuralCollate(items, { reuse: reusableBatch(bufs) });
 * ```
 */
export function reusableBatch(buffers: readonly ArrayBuffer[]): Batch {
  return {
    stims: { dtype: 'float32', shape: [], data: new Float32Array(buffers[0]) },
    responses: { dtype: 'float32', shape: [], data: new Float32Array(buffers[1]) },
    validMask: { dtype: 'bool', shape: [], data: new Uint8Array(buffers[2]) },
    stimMeta: [],
  };
}

/**
 * Makes `batch` a {@link LoaderBatch} of position `index`: `release()` (and `Symbol.dispose`)
 * calls `give(buffers)` once with its buffers (null when they are not reusable), then turns
 * every later read of its tensors' data into a {@link ReleasedBatchError}. `give` must not refer
 * to the loader (a kept batch would keep a dropped loader and its workers alive).
 * @example
 * ```ts
 * yield releasable(batch, k, (bufs) => bufs && pool.recycle(bufs));
 * ```
 */
export function releasable(batch: Batch, index: number, give: (buffers: ArrayBuffer[] | null) => void): LoaderBatch {
  let released = false;
  const release = (how: string) => {
    if (released) return;
    released = true;
    give(batchBuffers(batch));
    for (const key of TENSOR_KEYS) {
      Object.defineProperty(batch[key], 'data', {
        configurable: true,
        enumerable: true,
        get: () => {
          throw new ReleasedBatchError(index, key, how);
        },
      });
    }
  };
  Object.defineProperty(batch, 'release', { value: () => release('release()'), configurable: true });
  Object.defineProperty(batch, Symbol.dispose, { value: () => release('a `using` declaration'), configurable: true });
  Object.defineProperty(batch, RELEASE, { value: release, configurable: true });
  return batch as LoaderBatch;
}

/**
 * Releases a batch {@link releasable} made, naming how (`loader.recycle`, `recycleBatches`);
 * anything else is left alone.
 * @example
 * ```ts
 * releaseAs(batch, 'loader.recycle(batch)');
 * ```
 */
export function releaseAs(batch: Batch, how: string): void {
  const release = (batch as { [RELEASE]?: (how: string) => void })[RELEASE];
  release?.(how);
}
