/**
 * The loader's worker pool: starts the collate workers, hands each batch job to the least busy
 * worker, delivers results in job order with a bounded number in flight (`ordered`), turns a
 * worker's thrown error or death into a rejected job (never a hang), and terminates every
 * worker on `close()`.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import type { WorkerHandle } from '../platform/types.js';
import type { BatchJob, CollateWorkerApi, StoreDescription, TransformSpec, WireBatch } from './protocol.js';

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
  /** Rejecters of the calls waiting on this worker (rejected if it dies or the pool closes). */
  waiting: Set<(e: Error) => void>;
  recycled: number;
  /** Why the worker died, once it has. */
  death: Error | null;
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
    // Leave `waiting` before settling: the caller checks it right after to unref an idle worker.
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

/** Options of {@link WorkerPool.ordered}. */
export interface OrderedOptions {
  /** Most jobs dispatched and not yet yielded (the loader: numWorkers × prefetchFactor). */
  maxInFlight: number;
  /** Wraps every wait for a result (the loader makes it abortable). */
  wait?: <R>(p: Promise<R>) => Promise<R>;
  /** Called after each dispatch with the number of jobs in flight. */
  onDispatch?: (inFlight: number) => void;
}

/** Options of {@link WorkerPool.start}. */
export interface PoolOptions {
  size: number;
  url: URL;
  /** The store description for worker k (copy mode transfers fresh bytes to each). */
  store: () => { description: StoreDescription; transfer: Transferable[] };
  transform: TransformSpec | null;
  /** Recycled buffer sets a worker keeps at most. */
  maxRecycled: number;
}

/**
 * A started pool of collate workers.
 * @example
 * ```ts
 * const pool = await WorkerPool.start({ size: 2, url, store: () => describeStore(ds, 'auto'), transform: null, maxRecycled: 3 });
 * const wire = await pool.run({ id: 0, stims, neurons, extras: null });
 * await pool.close();
 * ```
 */
export class WorkerPool {
  /** `'shared'` or `'copy'`: how the workers received the store. */
  readonly transport: 'shared' | 'copy';
  private readonly slots: Slot[];
  private readonly maxRecycled: number;
  private closed = false;

  private constructor(slots: Slot[], transport: 'shared' | 'copy', maxRecycled: number) {
    this.slots = slots;
    this.transport = transport;
    this.maxRecycled = maxRecycled;
  }

  /** Starts `size` workers and sends each the store and the transform. */
  static async start(o: PoolOptions): Promise<WorkerPool> {
    const handles: WorkerHandle[] = [];
    try {
      const modes: Array<'shared' | 'copy'> = [];
      const slots = await Promise.all(
        Array.from({ length: o.size }, async (_, index): Promise<Slot> => {
          const handle = await platform.createWorker(o.url, `deepstrf-collate-${index}`);
          handles.push(handle);
          const slot: Slot = { index, handle, remote: Comlink.wrap<CollateWorkerApi>(handle.endpoint), waiting: new Set(), recycled: 0, death: null };
          handle.onDeath((e) => {
            slot.death = e;
            for (const reject of slot.waiting) reject(e);
          });
          handle.setActive(true);
          try {
            const { description, transfer } = o.store();
            modes[index] = await call(slot, slot.remote.init(Comlink.transfer(description, transfer), o.transform));
          } catch (e) {
            throw new DataLoaderWorkerError(index, -1, e, slot.death !== null);
          } finally {
            handle.setActive(false);
          }
          return slot;
        }),
      );
      return new WorkerPool(slots, modes[0] ?? 'shared', o.maxRecycled);
    } catch (e) {
      await Promise.all(handles.map((h) => h.terminate()));
      throw e;
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Collates one batch on the least busy worker. Rejects with {@link DataLoaderWorkerError}. */
  async run(job: BatchJob): Promise<WireBatch> {
    if (this.closed) throw new Error('DataLoader worker pool is closed');
    let slot = this.slots[0];
    for (const s of this.slots) if (s.waiting.size < slot.waiting.size) slot = s;
    slot.handle.setActive(true);
    try {
      const wire = await call(slot, slot.remote.collate(job));
      slot.recycled = wire.pooled;
      return wire;
    } catch (e) {
      if (this.closed) throw new Error('DataLoader closed while a batch was being collated');
      throw new DataLoaderWorkerError(slot.index, job.id, e, slot.death !== null);
    } finally {
      if (slot.waiting.size === 0) slot.handle.setActive(false);
    }
  }

  /**
   * Runs `count` jobs (made lazily, in order, by `makeJob`) and yields their results in job
   * order, however the workers finish. At most `maxInFlight` jobs are dispatched and not yet
   * yielded; the next jobs are dispatched before each result is yielded, so the workers stay
   * busy while the consumer works on it. The first failure (in job order) is thrown.
   */
  async *ordered<J extends BatchJob>(count: number, makeJob: (k: number) => J, o: OrderedOptions): AsyncGenerator<{ job: J; wire: WireBatch }> {
    const wait = o.wait ?? (<R>(p: Promise<R>) => p);
    const pending = new Map<number, { job: J; result: Promise<WireBatch> }>();
    let sent = 0;
    let done = 0;
    const fill = () => {
      while (sent < count && sent - done < o.maxInFlight) {
        const job = makeJob(sent);
        const result = this.run(job);
        result.catch(() => undefined); // awaited in order below; a later job's failure must not go unhandled
        pending.set(sent, { job, result });
        sent++;
        o.onDispatch?.(sent - done);
      }
    };
    while (done < count) {
      fill();
      const { job, result } = pending.get(done) as { job: J; result: Promise<WireBatch> };
      const wire = await wait(result);
      pending.delete(done);
      done++;
      fill();
      yield { job, wire };
    }
  }

  /** Sends consumed batch buffers back to the worker holding the fewest (transferred). */
  recycle(buffers: ArrayBuffer[]): void {
    if (this.closed) return;
    let slot = this.slots[0];
    for (const s of this.slots) if (s.recycled < slot.recycled) slot = s;
    if (slot.recycled >= this.maxRecycled) return; // every worker has enough: let GC have them
    slot.recycled++;
    slot.remote.recycle(Comlink.transfer(buffers, buffers)).catch(() => undefined);
  }

  /** Terminates every worker; pending jobs reject. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closed = new Error('DataLoader closed');
    for (const s of this.slots) for (const reject of s.waiting) reject(closed);
    await Promise.all(this.slots.map((s) => s.handle.terminate().catch(() => undefined)));
  }
}
