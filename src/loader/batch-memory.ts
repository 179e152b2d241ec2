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
import type { Batch, BatchArrays } from '../collate/neural-collate.js';
import { DisposedError, HeapExhaustedError } from '../errors.js';
import type { WasmHeap } from '../memory/heap.js';

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
  const bufs = [batch.stims.data.buffer, batch.responses.data.buffer, batch.validMask.data.buffer];
  for (const b of bufs) if (!(b instanceof ArrayBuffer) || b.byteLength === 0) return null;
  if (bufs[0] === bufs[1] || bufs[1] === bufs[2] || bufs[0] === bufs[2]) return null;
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

/** A released tensor → its batch's release and the tensor's key in the batch (read by the getters below). */
const releasedBy = new WeakMap<object, { release: BatchRelease; key: string }>();

/**
 * The `data` accessor of a released tensor, one per key. One function for every tensor (not one
 * bound per batch): V8 then adds the accessor by a shared map transition, where a getter of its
 * own per tensor turned every released tensor into a dictionary-mode object (~10 % of the main
 * thread's time per batch, docs/loader.md "What receiving a batch costs").
 */
const RELEASED_DATA: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object): never {
    const r = releasedBy.get(this);
    throw r ? r.release.error(r.key) : new DisposedError('this tensor belongs to a released DataLoader batch');
  },
};

/**
 * The release of one delivered batch. Its methods are bound, not closures: the loader makes one
 * per batch on the main thread, and the bundles keep function names (`keepNames` in
 * scripts/build.mjs defines a `name` on every closure made), so this keeps a batch's delivery to
 * a few allocations (docs/loader.md, "What receiving a batch costs").
 */
class BatchRelease {
  private released = false;
  constructor(
    private readonly batch: Batch,
    private readonly index: number,
    private readonly give: (buffers: ArrayBuffer[] | null, slot: SlotRef | null) => void,
    private readonly slot: SlotRef | null,
  ) {}

  private how = '';

  /** The error a read of `key`'s data throws once released. */
  error(key: string): ReleasedBatchError {
    return new ReleasedBatchError(this.index, key, this.how);
  }

  run(how: string): void {
    if (this.released) return;
    this.released = true;
    this.how = how;
    const batch = this.batch;
    this.give(this.slot ? null : batchBuffers(batch), this.slot);
    for (const key of TENSOR_KEYS) {
      const tensor = batch[key];
      releasedBy.set(tensor, { release: this, key });
      // When `data` is the tensor's last key (as its literal made it), deleting it goes back to the
      // map before it and the accessor takes its place (same keys, same order) by a shared transition.
      const keys = Object.keys(tensor);
      if (keys[keys.length - 1] === 'data') delete (tensor as { data?: unknown }).data;
      Object.defineProperty(tensor, 'data', RELEASED_DATA);
    }
  }
}

/**
 * Makes `batch` a {@link LoaderBatch} of position `index`: `release()` (and `Symbol.dispose`)
 * calls `give(buffers, slot)` once — with the shared batch slot its arrays are in, or else with
 * its buffers (null when they are not reusable) — then turns every later read of its tensors'
 * data into a {@link ReleasedBatchError}. `give` must not refer to the loader (a kept batch
 * would keep a dropped loader and its workers alive).
 * @example
 * ```ts
 * yield releasable(batch, k, (bufs, slot) => (slot ? slots.giveBack(slot) : bufs && pool.recycle(bufs)));
 * ```
 */
export function releasable(batch: Batch, index: number, give: (buffers: ArrayBuffer[] | null, slot: SlotRef | null) => void, slot: SlotRef | null = null): LoaderBatch {
  const r = new BatchRelease(batch, index, give, slot);
  const run = r.run;
  Object.defineProperties(batch, {
    release: { value: run.bind(r, 'release()'), configurable: true },
    [Symbol.dispose]: { value: run.bind(r, 'a `using` declaration'), configurable: true },
    [RELEASE]: { value: r, configurable: true },
  });
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
  (batch as { [RELEASE]?: BatchRelease })[RELEASE]?.run(how);
}

/**
 * Where a batch's three arrays sit in a shared batch slot: responses (float32) at 0, the mask
 * (bytes) after them, stimuli (float32) after the mask at a multiple of 4; `bytes` in all.
 * @example
 * ```ts
 * const { mask, stims, bytes } = slotLayout(respCount, stimCount);
 * ```
 */
export function slotLayout(respCount: number, stimCount: number): { mask: number; stims: number; bytes: number } {
  const mask = 4 * respCount;
  const stims = Math.ceil((mask + respCount) / 4) * 4;
  return { mask, stims, bytes: stims + 4 * stimCount };
}

/**
 * The batch arrays over a slot (see {@link slotLayout}).
 * @example
 * ```ts
 * const { stims, responses, validMask } = slotArrays(sab, respCount, stimCount);
 * ```
 */
export function slotArrays(buffer: SharedArrayBuffer, respCount: number, stimCount: number): { stims: Float32Array; responses: Float32Array; validMask: Uint8Array } {
  const l = slotLayout(respCount, stimCount);
  return { responses: new Float32Array(buffer, 0, respCount), validMask: new Uint8Array(buffer, l.mask, respCount), stims: new Float32Array(buffer, l.stims, stimCount) };
}

/** A shared batch slot as a job carries it. */
export interface SlotRef {
  id: number;
  buffer: SharedArrayBuffer;
  /** The {@link BatchSlots} it belongs to (their `generation`). */
  owner: number;
}

/** The generation of the next {@link BatchSlots} (each pool of workers has its own). */
let generations = 0;

/**
 * The loader's shared batch slots (workers with shared memory): a worker writes a batch into
 * the slot its job carries and sends back only shapes, so the main thread makes no new buffer
 * per batch (no transfer, no external memory for the garbage collector to chase). A slot serves
 * a later batch only once its batch is released. The slot of a batch that is never released is
 * forgotten: an ordinary `SharedArrayBuffer` the garbage collector frees with the batch, so a
 * kept batch never changes. At most `maxSlots` slots live unreleased; past that (a loop that
 * does not release), and for batches larger than the slots, workers use new memory.
 * @example
 * ```ts
 * const slots = new BatchSlots(6);
 * slots.fit(bytes);        // the batch size seen
 * const slot = slots.take(); // null until a size is known, or when maxSlots are out
 * slots.giveBack(slot);     // its batch was released, or the job did not use it
 * ```
 */
export class BatchSlots {
  /** Tells this loader's slots from those of an earlier pool's (a batch may be released after its pool ended). */
  readonly generation = generations++;
  private readonly free: SlotRef[] = [];
  private next = 0;
  private size = 0;
  private live = 0;

  constructor(private readonly maxSlots: number) {}

  /** Learns a batch size: later slots hold at least `bytes` (smaller free slots are dropped). */
  fit(bytes: number): void {
    if (bytes <= this.size) return;
    this.size = Math.ceil((bytes * 1.125) / 4096) * 4096; // some room: T varies from batch to batch
    this.live -= this.free.length;
    this.free.length = 0;
  }

  /** A free slot, or a new one (zero pages until a worker writes it), or null. */
  take(): SlotRef | null {
    const slot = this.free.pop();
    if (slot) return slot;
    if (this.size === 0 || this.live >= this.maxSlots) return null;
    this.live++;
    return { id: this.next++, buffer: new SharedArrayBuffer(this.size), owner: this.generation };
  }

  /**
   * A slot whose batch was released, or whose job did not write into it: it serves a later batch.
   * Another pool's slot is left to the garbage collector, as its pool's slots are.
   */
  giveBack(slot: SlotRef): void {
    if (slot.owner !== this.generation) return;
    if (slot.buffer.byteLength >= this.size) this.free.push(slot);
    else this.live--;
  }
}

/**
 * The calling thread's batch slot (`numWorkers: 0`) in the dataset's shared wasm heap: once a
 * loop has released a batch, the next batches are written there by the wasm kernels
 * (src/collate/heap-collate.ts), at memory speed. A slot serves one batch at a time and is taken
 * again only once that batch is released; while it is out, batches get new memory. `free()`
 * gives the block back to the heap unless a batch still holds it (a kept batch never changes: its
 * block is then left to it).
 * @example
 * ```ts
 * const slot = new HeapSlot(heap);
 * slot.wanted = true;                       // a batch was released: the loop releases its batches
 * const arrays = slot.take(respCount, stimCount); // null while the slot's batch is not released
 * slot.giveBack();                          // its batch was released
 * ```
 */
export class HeapSlot {
  /** Whether the loop releases its batches (only then is the slot used). */
  wanted = false;
  private ptr = 0;
  private bytes = 0;
  private lent = false;

  constructor(readonly heap: WasmHeap) {}

  /** Arrays for a batch of these sizes over the slot (grown as needed), or null: not wanted, out, or no room in the heap. */
  take(respCount: number, stimCount: number): BatchArrays | null {
    if (!this.wanted || this.lent) return null;
    const need = slotLayout(respCount, stimCount).bytes;
    if (need > this.bytes) {
      const size = Math.ceil((need * 1.125) / 4096) * 4096; // some room: T varies from batch to batch
      this.free();
      try {
        this.ptr = this.heap.alloc(size, 64);
      } catch (e) {
        if (e instanceof HeapExhaustedError) return null;
        throw e;
      }
      this.bytes = size;
    }
    this.lent = true;
    const l = slotLayout(respCount, stimCount);
    return { responses: this.heap.f32(this.ptr, respCount), validMask: this.heap.u8(this.ptr + l.mask, respCount), stims: this.heap.f32(this.ptr + l.stims, stimCount) };
  }

  /** Whether `arrays` (a batch's, before its release) are the slot's. */
  holds(arrays: Float32Array): boolean {
    return this.lent && this.ptr !== 0 && arrays.byteOffset === this.ptr && arrays.buffer instanceof SharedArrayBuffer;
  }

  /** The slot's batch was released: the slot serves the next batch. */
  giveBack(): void {
    this.lent = false;
  }

  /** Frees the block unless a batch holds it. */
  free(): void {
    if (this.ptr === 0 || this.lent) return;
    this.heap.free(this.ptr);
    this.ptr = 0;
    this.bytes = 0;
  }
}
