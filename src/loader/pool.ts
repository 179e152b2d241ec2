/**
 * The loader's worker pool: starts the collate workers, hands each batch job to the least busy
 * worker (src/loader/prefetch.ts orders them and bounds those in flight), turns a worker's
 * thrown error or death into a rejected job (never a hang), and terminates every worker on
 * `close()`. Start-up and shut-down go through Comlink; batch jobs and their answers are bare
 * messages on a port of their own per worker (src/loader/protocol.ts `PoolMessage`, `BatchReply`),
 * so a batch costs the main thread one small message each way (docs/loader.md, "What receiving a
 * batch costs").
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import type { WorkerHandle } from '../platform/types.js';
import type { WasmHeap } from '../memory/heap.js';
import { DataLoaderTimeoutError } from './errors.js';
import { fromFailure, type BatchJob, type BatchReply, type CollateWorkerApi, type PoolMessage, type TransformSpec, type WireBatch, type WorkerStore } from './protocol.js';

/**
 * A worker failed (its error, with the worker's stack) or died while collating a batch.
 * `workerStack` is the stack trace as the worker printed it; `stack` includes it too.
 * @example
 * ```ts
 * try { for await (const b of loader) train(b); }
 * catch (e) { if (e instanceof DataLoaderWorkerError) console.error(e.workerStack); }
 * ```
 */
export class DataLoaderWorkerError extends Error {
  override name = 'DataLoaderWorkerError';
  /** The worker that failed (0-based). */
  readonly worker: number;
  /** The batch it was collating (its position in the epoch), or -1 during start-up. */
  readonly batch: number;
  /** The worker-side stack trace, when the worker threw. */
  readonly workerStack: string | undefined;

  constructor(worker: number, batch: number, cause: unknown, died: boolean) {
    const e = cause instanceof Error ? cause : new Error(String(cause));
    const where = batch >= 0 ? `batch ${batch}` : 'start-up';
    super(`DataLoader worker ${worker} ${died ? 'died' : 'failed'} during ${where}: ${e.message}`, { cause: e });
    this.worker = worker;
    this.batch = batch;
    this.workerStack = died ? undefined : e.stack;
    if (this.workerStack) this.stack = `${this.name}: ${this.message}\n  worker stack:\n${this.workerStack}`;
  }
}

interface Slot {
  index: number;
  handle: WorkerHandle;
  remote: Comlink.Remote<CollateWorkerApi>;
  /** Rejecters of the Comlink calls waiting on this worker (start-up, seal): rejected if it dies or the pool closes. */
  waiting: Set<(e: Error) => void>;
  recycled: number;
  /** Why the worker died, once it has. */
  death: Error | null;
  /** The worker's owner id in the shared heap (its blocks are freed when it ends), or null. */
  owner: number | null;
  /** The jobs sent to this worker and not answered yet, by number (failed if it dies or the pool closes). */
  replies: Map<number, PendingJob>;
  /** Sends on the worker's batch channel (`WorkerHandle.openPort`): jobs out; answers come back to `replies`. */
  post(message: PoolMessage, transfer: Transferable[]): void;
  /** The neurons of the last job this worker received (a later job with the same ones sends null). */
  neurons: Int32Array | null;
}

/**
 * Awaits a call to `slot`'s worker, rejecting if the worker dies first. (Not `Promise.race`
 * with a never-settling "death" promise: every race would stay attached to it and keep its
 * result — a whole batch — alive for the life of the pool.)
 */
function call<R>(slot: Slot, p: Promise<R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    if (slot.death) return reject(slot.death);
    slot.waiting.add(reject);
    p.then(
      (v) => {
        slot.waiting.delete(reject);
        resolve(v);
      },
      (e) => {
        slot.waiting.delete(reject);
        reject(e);
      },
    );
  });
}

/**
 * One job sent to a worker, until the worker's answer, its death or `close()` settles it. A class,
 * not closures: one is made per batch, and the bundles keep function names (`keepNames` in
 * scripts/build.mjs defines a `name` on every closure made).
 */
class PendingJob {
  constructor(
    private readonly pool: WorkerPool,
    private readonly slot: Slot,
    private readonly seq: number,
    private readonly batch: number,
    private readonly resolve: (wire: WireBatch) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  /** The worker's answer. */
  answer(reply: BatchReply): void {
    if ('failure' in reply) return this.fail(fromFailure(reply.failure));
    this.settle();
    this.slot.recycled = reply.wire.pooled;
    this.resolve(reply.wire);
  }

  /** The job failed in the worker, or could not be sent, or the worker died, or the pool closed. */
  fail(e: unknown): void {
    this.settle();
    const s = this.slot;
    this.reject(this.pool.closed ? new Error('DataLoader closed while a batch was being collated') : new DataLoaderWorkerError(s.index, this.batch, e, s.death !== null));
  }

  private settle(): void {
    const s = this.slot;
    s.replies.delete(this.seq);
    if (s.replies.size === 0 && s.waiting.size === 0) s.handle.setActive(false);
  }
}

/** Options of {@link WorkerPool.start}. */
export interface PoolOptions {
  size: number;
  url: URL;
  /** The store description for worker k (copy mode transfers fresh bytes to each; a lazy store is opened by each worker). */
  store: () => { description: WorkerStore; transfer: Transferable[] };
  transform: TransformSpec | null;
  /** Recycled buffer sets a worker keeps at most. */
  maxRecycled: number;
  /** The heap the workers share (shared transport): the blocks of ended workers are freed in it; null for a lazy store. */
  heap: WasmHeap | null;
  /** Most milliseconds a worker may take to start (0 = no limit). */
  timeoutMs: number;
  /** Called once every worker has ended (the loader lets go of the store there). */
  onClose?: () => void;
}

/**
 * A started pool of collate workers.
 * @example
 * ```ts
 * const pool = await WorkerPool.start({ size: 2, url, store: () => describeStore(ds, tables, 'auto'), transform: null, maxRecycled: 3, heap, timeoutMs: 0 });
 * const wire = await pool.dispatch({ id: 0, stims, neurons, extras: null }).result;
 * await pool.close();
 * ```
 */
export class WorkerPool {
  /** `'shared'`, `'copy'` or `'lazy'` (each worker opened the store itself): how the workers received the store. */
  readonly transport: WorkerStore['mode'];
  private readonly slots: Slot[];
  private readonly maxRecycled: number;
  private readonly heap: WasmHeap | null;
  private readonly onClose: (() => void) | undefined;
  /** What `close()` returned, once it was called. */
  private closing: Promise<void> | null = null;
  /** The number of the next job message. */
  private seq = 0;

  private constructor(slots: Slot[], transport: WorkerStore['mode'], o: PoolOptions) {
    this.slots = slots;
    this.transport = transport;
    this.maxRecycled = o.maxRecycled;
    this.heap = o.heap;
    this.onClose = o.onClose;
  }

  /** Starts `size` workers and sends each the store and the transform. */
  static async start(o: PoolOptions): Promise<WorkerPool> {
    const started: Slot[] = [];
    try {
      const modes: Array<WorkerStore['mode']> = [];
      const slots = await Promise.all(
        Array.from({ length: o.size }, async (_, index): Promise<Slot> => {
          const handle = await platform.createWorker(o.url, `deepstrf-collate-${index}`);
          const replies: Slot['replies'] = new Map();
          const { remote: port, post } = handle.openPort((d) => replies.get((d as BatchReply).reply)?.answer(d as BatchReply));
          const slot: Slot = { index, handle, remote: Comlink.wrap<CollateWorkerApi>(handle.endpoint), waiting: new Set(), recycled: 0, death: null, owner: null, replies, post, neurons: null };
          started.push(slot);
          handle.onDeath((e) => {
            slot.death = e;
            failAll(slot, e);
          });
          handle.setActive(true);
          try {
            const { description, transfer } = o.store();
            const init = call(slot, slot.remote.init(Comlink.transfer(description, transfer), o.transform, Comlink.transfer(port, [port])));
            const r = await withTimeout(init, o.timeoutMs, () => new DataLoaderTimeoutError(index, -1, o.timeoutMs));
            modes[index] = r.mode;
            slot.owner = r.mode === 'shared' ? r.owner : null;
          } catch (e) {
            if (e instanceof DataLoaderTimeoutError) throw e;
            throw new DataLoaderWorkerError(index, -1, e, slot.death !== null);
          } finally {
            handle.setActive(false);
          }
          return slot;
        }),
      );
      return new WorkerPool(slots, modes[0] ?? 'shared', o);
    } catch (e) {
      await endSlots(started, o.heap);
      o.onClose?.();
      throw e;
    }
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Gives one batch to the least busy worker; `result` rejects with {@link DataLoaderWorkerError}.
   * @example
   * ```ts
   * const { worker, result } = pool.dispatch(job);
   * ```
   */
  dispatch(job: BatchJob): { worker: number; result: Promise<WireBatch> } {
    if (this.closing) throw new Error('DataLoader worker pool is closed');
    let slot = this.slots[0];
    for (const s of this.slots) if (s.replies.size < slot.replies.size) slot = s;
    if (slot.replies.size === 0) slot.handle.setActive(true); // else a pending job made it active
    const seq = this.seq++;
    const result = new Promise<WireBatch>((resolve, reject) => {
      const pending = new PendingJob(this, slot, seq, job.id, resolve, reject);
      if (slot.death) return pending.fail(slot.death);
      slot.replies.set(seq, pending);
      try {
        const neurons = job.neurons === slot.neurons ? null : job.neurons;
        slot.post({ op: 'collate', seq, job: { id: job.id, stims: job.stims, neurons, extras: job.extras, slot: job.slot } }, []);
        slot.neurons = job.neurons; // once sent (a job that could not be cloned sent nothing)
      } catch (e) {
        pending.fail(e); // the job could not be cloned
      }
    });
    return { worker: slot.index, result };
  }

  /** Sends consumed batch buffers back to the worker holding the fewest (transferred). */
  recycle(buffers: ArrayBuffer[]): void {
    if (this.closing) return;
    let slot = this.slots[0];
    for (const s of this.slots) if (s.recycled < slot.recycled) slot = s;
    if (slot.recycled >= this.maxRecycled) return; // every worker has enough: let GC have them
    slot.recycled++;
    try {
      slot.post({ op: 'recycle', buffers }, buffers);
    } catch {
      // a worker that is ending: let GC have them
    }
  }

  /**
   * Terminates every worker (pending jobs reject), then frees what they held in the shared heap
   * (their collate scratch and transform outputs) and lets go of the store. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.end();
    return this.closing;
  }

  private async end(): Promise<void> {
    await undefined; // `closing` is set from here on: the pending jobs failed below say the pool closed
    const closed = new Error('DataLoader closed');
    for (const s of this.slots) failAll(s, closed);
    await endSlots(this.slots, this.heap);
    this.onClose?.();
  }
}

/** Fails every job and call waiting on `slot`'s worker with `e` (it died, or the pool closed). */
function failAll(slot: Slot, e: Error): void {
  for (const job of [...slot.replies.values()]) job.fail(e);
  for (const reject of slot.waiting) reject(e);
}

/** How long a worker may take to seal its heap before it is terminated anyway. */
const SEAL_TIMEOUT_MS = 2000;

/**
 * Ends the workers: each first seals its heap (so that none is terminated holding the
 * allocator's lock; a worker busy in a synchronous transform gets SEAL_TIMEOUT_MS), then they
 * are terminated, then the heap blocks they owned are freed (shared transport).
 */
async function endSlots(slots: readonly Slot[], heap: WasmHeap | null): Promise<void> {
  await Promise.all(
    slots.map((s) => (s.death ? undefined : withTimeout(call(s, s.remote.quiesce()), SEAL_TIMEOUT_MS, () => new Error('seal timed out')).catch(() => undefined))),
  );
  await Promise.all(slots.map((s) => s.handle.terminate().catch(() => undefined)));
  const owners = slots.flatMap((s) => (s.owner === null ? [] : [s.owner]));
  if (owners.length > 0) heap?.freeOwners(owners);
}

/**
 * `p`, or the error `timeout()` makes after `ms` milliseconds (0 = wait forever).
 * @example
 * ```ts
 * const wire = await withTimeout(result, 5000, () => new DataLoaderTimeoutError(0, 3, 5000));
 * ```
 */
export function withTimeout<R>(p: Promise<R>, ms: number, timeout: () => Error): Promise<R> {
  if (!(ms > 0)) return p;
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
