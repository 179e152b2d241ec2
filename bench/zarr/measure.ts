// Measuring helpers of bench/zarr.bench.ts: an epoch timed with its batches checksummed (the
// consumer's only work, the same for every dataset), epochs of several loaders interleaved, the stimuli each batch holds (read back from
// stimMeta names `stim<s>`, independent of the loader), and a peak-RSS sampler.
import { performance } from 'node:perf_hooks';
import type { Batch, DataLoader } from '../../src/index.js';
import { batchChecksum } from '../../test/helpers/batch-checksum.js';

export interface EpochRun {
  ms: number;
  batches: number;
  /** Per batch: its stimuli (generator indices) and its checksum. */
  stims: number[][];
  checksums: number[];
}

/** An empty run. */
export const emptyRun = (): EpochRun => ({ ms: 0, batches: 0, stims: [], checksums: [] });

/** Adds a batch to a run: its checksum and its stimuli. */
export function recordBatch(run: EpochRun, b: Batch): void {
  run.checksums.push(batchChecksum(b));
  run.stims.push(b.stimMeta.map((m) => Number(String(m.name).replace(/^stim/, ''))));
  run.batches++;
}

/** One `for await` over the loader: time, the stimuli of each batch, their checksums. */
export async function timedEpoch(loader: DataLoader, onBatch: () => void = () => undefined): Promise<EpochRun> {
  const run = emptyRun();
  const t0 = performance.now();
  for await (const b of loader) {
    recordBatch(run, b);
    onBatch();
  }
  run.ms = performance.now() - t0;
  return run;
}

/**
 * Several loaders' epochs interleaved, one batch from each in turn, so that load from other
 * processes hits all of them alike. `ms` of each run is the time spent inside its `next()`
 * (waiting for cells and collating), not the consumer's checksum.
 */
export async function pairedEpochs(loaders: DataLoader[], onBatch: () => void = () => undefined): Promise<EpochRun[]> {
  const runs = loaders.map(emptyRun);
  const its = loaders.map((l) => l[Symbol.asyncIterator]());
  for (let done = false; !done; ) {
    for (let i = 0; i < its.length; i++) {
      const t0 = performance.now();
      const r = await its[i].next();
      runs[i].ms += performance.now() - t0;
      if (r.done) done = true;
      else recordBatch(runs[i], r.value);
      onBatch();
    }
  }
  return runs;
}

/** Samples `process.memoryUsage().rss` every `ms` and on `sample()`; `peak` since `reset()`. */
export class RssSampler {
  peak = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(ms = 20) {
    this.timer = setInterval(() => this.sample(), ms);
    this.timer.unref();
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  reset(): void {
    this.peak = process.memoryUsage().rss;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export const MB = (b: number) => (b / 2 ** 20).toFixed(0);
