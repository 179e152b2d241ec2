/**
 * Errors a `DataLoader` raises about its own lifecycle (a worker's failure is
 * `DataLoaderWorkerError`, in src/loader/pool.ts).
 * @module
 */
import { ValueError } from '../errors.js';

/**
 * A batch took longer than the loader's `timeout` option. Every worker has been terminated.
 * `worker` is the worker the batch was given to (-1: the calling thread, with `numWorkers: 0`),
 * `batch` its position in the epoch (-1: a worker's start-up).
 * @example
 * ```ts
 * try { for await (const b of new DataLoader(ds, { numWorkers: 2, timeout: 60_000 })) train(b); }
 * catch (e) { if (e instanceof DataLoaderTimeoutError) console.error(e.worker, e.batch); }
 * ```
 */
export class DataLoaderTimeoutError extends Error {
  /** The worker the batch was waiting on, or -1 for the calling thread. */
  readonly worker: number;
  /** The batch's position in the epoch, or -1 during start-up. */
  readonly batch: number;
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;
  constructor(worker: number, batch: number, timeoutMs: number) {
    const who = worker >= 0 ? `worker ${worker}` : 'the calling thread (numWorkers: 0)';
    const what = batch >= 0 ? `batch ${batch}` : 'start-up';
    super(`DataLoader timed out after ${timeoutMs} ms waiting for ${what} from ${who}; every worker was terminated (a transform that never resolves?)`);
    this.name = 'DataLoaderTimeoutError';
    this.worker = worker;
    this.batch = batch;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The dataset's data changed in place while an epoch was running (`smoothResponses`,
 * `normalizeResponses`, `standardizeStims`, `invalidateNrnMasks`, `validate`). An epoch reads the
 * data as it was when it started; change it between epochs (docs/loader.md).
 * @example
 * ```ts
 * for await (const b of loader) { ds.smoothResponses(); } // DatasetChangedError at the next batch
 * ```
 */
export class DatasetChangedError extends ValueError {
  /** The batch that was about to be delivered. */
  readonly batch: number;
  constructor(className: string, batch: number, startVersion: number, nowVersion: number) {
    super(
      `DataLoader: ${className}'s data changed in place during the epoch (data version ${startVersion} when it started, ${nowVersion} before batch ${batch}); ` +
        'in-place transforms (smoothResponses, normalizeResponses, standardizeStims, invalidateNrnMasks, validate) must run between epochs: finish or break the loop first',
    );
    this.batch = batch;
  }
}
