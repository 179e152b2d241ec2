/**
 * The stream of batch jobs from a loader to its worker pool, across epochs (docs/loader.md,
 * "Epochs and determinism"). Within an epoch, jobs are dispatched in order with at most
 * `maxInFlight` requested and not yet taken, and results are taken in job order however the
 * workers finish. Once every job of the running epoch is dispatched, free slots go to the next
 * epoch's first jobs, listed ahead by `predict` (the loader knows the next epoch's order when its
 * sampler is deterministic). When that epoch begins, the prefetched jobs are kept only as far as
 * they equal the jobs it actually asks for (same stimuli, same neurons, same data version); the
 * rest are dropped: a prefetched batch is never stale.
 * @module
 */
import type { WorkerPool } from './pool.js';
import { withTimeout } from './pool.js';
import { DataLoaderTimeoutError } from './errors.js';
import type { BatchJob, WireBatch } from './protocol.js';
import { sameValues } from '../util/same-values.js';

/**
 * One epoch's jobs.
 * @example
 * ```ts
 * const jobs: EpochJobs = { count: batches.length, version: ds.dataVersion, job: (k) => makeJob(k) };
 * ```
 */
export interface EpochJobs {
  /** Number of batches in the epoch. */
  readonly count: number;
  /** The dataset's `dataVersion` the jobs read. */
  readonly version: number;
  /** Job `k` (a pure function of k: it may be called more than once). */
  job(k: number): BatchJob;
}

/**
 * Options of {@link BatchQueue}.
 * @example
 * ```ts
 * const o: QueueOptions = { maxInFlight: 4, timeoutMs: 0 };
 * ```
 */
export interface QueueOptions {
  /** Most jobs dispatched and not yet taken, dropped ones included (the loader: numWorkers × prefetchFactor). */
  maxInFlight: number;
  /** Most milliseconds `take` waits for a result (0 = no limit), then {@link DataLoaderTimeoutError}. */
  timeoutMs: number;
  /** Wraps every wait for a result (the loader makes it abortable). */
  wait?: <R>(p: Promise<R>) => Promise<R>;
  /** Completes a job (a fresh object from `EpochJobs.job`) just before it is dispatched (the loader attaches a shared batch slot). */
  prepare?: (job: BatchJob) => BatchJob;
  /** Called with a dropped job once its worker is done with it (the loader takes its slot back). */
  onDrop?: (job: BatchJob) => void;
  /** Called after each dispatch with the number of jobs in flight. */
  onDispatch?: (inFlight: number) => void;
  /** Counts prefetched jobs an epoch used (`adopted`) or dropped. */
  onBegin?: (adopted: number, dropped: number) => void;
}

interface Stream {
  jobs: EpochJobs;
  sent: number;
}

/**
 * A dispatched job: its worker's answer is `result`.
 * @example
 * ```ts
 * const head = queue.next(); // an Entry, or null while dropped jobs hold every slot
 * ```
 */
export interface Entry {
  stream: Stream;
  readonly job: BatchJob;
  readonly worker: number;
  readonly result: Promise<WireBatch>;
}

const ignore = () => undefined;

/**
 * Ordered, bounded batch jobs for one worker pool, prefetching across epoch boundaries.
 * @example
 * ```ts
 * const queue = new BatchQueue(pool, { maxInFlight: 4, timeoutMs: 0 });
 * queue.begin(jobs, 0, () => nextEpochJobs());
 * for (let k = 0; k < jobs.count; k++) {
 *   let head = queue.next();
 *   while (!head) { await queue.settled(); head = queue.next(); }
 *   deliver(head.job, await queue.answer(head));
 *   queue.shift();
 * }
 * ```
 */
export class BatchQueue {
  /** Dispatched and not yet taken, in order: the running epoch's, then the next one's. */
  private entries: Entry[] = [];
  /** Dropped jobs still running (they hold a worker and a slot until they settle). */
  private readonly dropping = new Set<Promise<void>>();
  private current: Stream | null = null;
  private ahead: Stream | null = null;
  private predict: (() => EpochJobs | null) | null = null;
  private predicted = false;

  constructor(readonly pool: WorkerPool, private readonly o: QueueOptions) {}

  /**
   * Starts an epoch whose jobs from `from` on go to the workers (jobs before `from` were fetched
   * elsewhere). Keeps the prefetched jobs that equal the epoch's first ones, drops the others
   * (when `jobs` is the very object `predict` listed, its prefetched jobs are its own).
   * `predict` lists the epoch after this one, once every job of this one is dispatched.
   */
  begin(jobs: EpochJobs, from: number, predict: () => EpochJobs | null): void {
    const ahead = this.ahead;
    const stream: Stream = { jobs, sent: from };
    const old = this.entries;
    this.entries = [];
    let adopting = ahead !== null && from === 0 && ahead.jobs.version === jobs.version;
    const listed = ahead !== null && ahead.jobs === jobs;
    let adopted = 0;
    for (const e of old) {
      if (adopting && e.stream === ahead && e.job.id === stream.sent && stream.sent < jobs.count) {
        if (!listed) {
          const want = jobs.job(stream.sent);
          adopting = sameValues(e.job.stims, want.stims) && sameValues(e.job.neurons, want.neurons);
        }
      } else {
        adopting = false;
      }
      if (adopting) {
        e.stream = stream;
        this.entries.push(e);
        stream.sent++;
        adopted++;
      } else {
        this.drop(e);
      }
    }
    this.o.onBegin?.(adopted, old.length - adopted);
    this.current = stream;
    this.ahead = null;
    this.predict = predict;
    this.predicted = false;
    this.fill();
  }

  /**
   * The running epoch's next job, in job order, or null while every slot is held by dropped jobs
   * (await {@link settled}, then ask again). Not an async method: a batch costs no promise of its own here.
   */
  next(): Entry | null {
    this.fill();
    const head = this.entries[0];
    return head !== undefined && head.stream === this.current ? head : null;
  }

  /** Resolves once a dropped job has settled (its slot is free again). */
  settled(): Promise<void> {
    if (this.dropping.size === 0) return Promise.reject(new Error('DataLoader: no batch was requested (internal error)'));
    const settled = Promise.race(this.dropping);
    return this.o.wait ? this.o.wait(settled) : settled;
  }

  /** The answer to `head` (from {@link next}): rejects with the job's failure or a timeout. */
  answer(head: Entry): Promise<WireBatch> {
    const ms = this.o.timeoutMs;
    const result = ms > 0 ? withTimeout(head.result, ms, () => new DataLoaderTimeoutError(head.worker, head.job.id, ms)) : head.result;
    return this.o.wait ? this.o.wait(result) : result;
  }

  /** The head's answer was taken: the next job may be dispatched. */
  shift(): void {
    this.entries.shift();
    this.fill();
  }

  /** Dispatches jobs while slots are free: the running epoch's, then the next one's. */
  private fill(): void {
    while (this.entries.length + this.dropping.size < this.o.maxInFlight) {
      const stream = this.source();
      if (!stream) return;
      let job: BatchJob;
      try {
        job = stream.jobs.job(stream.sent);
      } catch (e) {
        if (stream === this.current) throw e;
        this.ahead = null; // the next epoch's order cannot be made now: it will be made when it starts
        return;
      }
      stream.sent++;
      if (this.o.prepare) job = this.o.prepare(job);
      const { worker, result } = this.pool.dispatch(job);
      result.catch(ignore); // taken in order; a later job's failure must not go unhandled
      this.entries.push({ stream, job, worker, result });
      this.o.onDispatch?.(this.entries.length + this.dropping.size);
    }
  }

  /** Where the next job comes from: the running epoch, else the next one (listed once). */
  private source(): Stream | null {
    const c = this.current;
    if (c && c.sent < c.jobs.count) return c;
    if (!this.predicted) {
      this.predicted = true;
      let next: EpochJobs | null = null;
      try {
        next = this.predict?.() ?? null;
      } catch {
        next = null; // no prefetch; the epoch lists its own order when it starts
      }
      this.ahead = next && next.count > 0 ? { jobs: next, sent: 0 } : null;
    }
    const a = this.ahead;
    return a && a.sent < a.jobs.count ? a : null;
  }

  private drop(e: Entry): void {
    const settled = e.result.then(
      () => undefined,
      () => undefined,
    );
    this.dropping.add(settled);
    void settled.then(() => {
      this.dropping.delete(settled);
      this.o.onDrop?.(e.job);
    });
  }
}
