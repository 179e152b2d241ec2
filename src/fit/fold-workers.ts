/**
 * A pool of fit workers (workers/fit-worker.ts) scoring ridge-path folds: each fold goes to an
 * idle worker (queued when all are busy), its buffers transferred there and back.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import type { WorkerHandle } from '../platform/types.js';
import { fitWorkerUrl } from '../loader/worker-url.js';
import type { FitWorkerApi, FoldScore, FoldTask } from './fold-score.js';

interface FitWorker {
  handle: WorkerHandle;
  score(task: FoldTask): Promise<FoldScore>;
  death: Error | null;
  reject: ((e: Error) => void) | null;
}

/**
 * Started fit workers; {@link FoldWorkerPool.close} terminates them all.
 * @example
 * ```ts
 * const pool = await FoldWorkerPool.start(2);
 * try { const s = await pool.score(task); } finally { await pool.close(); }
 * ```
 */
export class FoldWorkerPool {
  private readonly idle: FitWorker[];
  private readonly all: FitWorker[];
  private readonly queue: (() => void)[] = [];

  private constructor(workers: FitWorker[]) {
    this.all = workers;
    this.idle = [...workers];
  }

  /**
   * Starts `size` workers (at least 1).
   * @example
   * ```ts
   * const pool = await FoldWorkerPool.start(4);
   * ```
   */
  static async start(size: number): Promise<FoldWorkerPool> {
    const started: FitWorker[] = [];
    try {
      for (let i = 0; i < size; i++) {
        const handle = await platform.createWorker(fitWorkerUrl(), `deepstrf-fit-${i}`);
        const remote = Comlink.wrap<FitWorkerApi>(handle.endpoint);
        const w: FitWorker = { handle, score: (t) => remote.score(t), death: null, reject: null };
        handle.onDeath((e) => {
          w.death = e;
          w.reject?.(e);
        });
        started.push(w);
      }
    } catch (e) {
      await Promise.all(started.map((w) => w.handle.terminate().catch(() => undefined)));
      throw e;
    }
    return new FoldWorkerPool(started);
  }

  /**
   * Scores a fold in the next idle worker; the task's buffers are transferred (detached here).
   * @throws Error when the worker dies or throws.
   * @example
   * ```ts
   * const { ccSum, ccCount } = await pool.score(task);
   * ```
   */
  async score(task: FoldTask): Promise<FoldScore> {
    while (this.idle.length === 0) await new Promise<void>((r) => this.queue.push(r));
    const w = this.idle.pop() as FitWorker;
    w.handle.setActive(true);
    try {
      if (w.death) throw w.death;
      const buffers = [task.trC, task.trc, task.hoC, task.hoc, task.hovy, task.lambdas].map((a) => a.buffer as ArrayBuffer);
      return await new Promise<FoldScore>((resolve, reject) => {
        w.reject = reject;
        w.score(Comlink.transfer(task, [...new Set(buffers)])).then(resolve, reject);
      });
    } finally {
      w.reject = null;
      w.handle.setActive(false);
      this.idle.push(w);
      this.queue.shift()?.();
    }
  }

  /**
   * Terminates every worker.
   * @example
   * ```ts
   * await pool.close();
   * ```
   */
  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.handle.terminate().catch(() => undefined)));
  }
}
