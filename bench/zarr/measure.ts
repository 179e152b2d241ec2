// Measuring helpers of bench/zarr.bench.ts and bench/zarr/solo-epoch.ts: an epoch timed with its
// batches checksummed (the consumer's only work, the same for every dataset), the stimuli each batch
// holds (read back from stimMeta names `stim<s>`, independent of the loader), a peak-RSS sampler,
// and small statistics.
import { performance } from 'node:perf_hooks';
import type { DataLoader } from '../../src/index.js';
import { batchChecksum } from '../../test/helpers/batch-checksum.js';

export interface EpochRun {
  /** The whole epoch: from the start of the `for await` to its end. */
  ms: number;
  /** Until the first batch arrived (worker start-up and the first fetch included). */
  firstMs: number;
  batches: number;
  /** Per batch: its stimuli (generator indices) and its checksum. */
  stims: number[][];
  checksums: number[];
}

/** One `for await` over the loader: time, the stimuli of each batch, their checksums. */
export async function timedEpoch(loader: DataLoader, onBatch: () => void = () => undefined): Promise<EpochRun> {
  const run: EpochRun = { ms: 0, firstMs: 0, batches: 0, stims: [], checksums: [] };
  const t0 = performance.now();
  for await (const b of loader) {
    if (run.batches === 0) run.firstMs = performance.now() - t0;
    run.checksums.push(batchChecksum(b));
    run.stims.push(b.stimMeta.map((m) => Number(String(m.name).replace(/^stim/, ''))));
    run.batches++;
    onBatch();
  }
  run.ms = performance.now() - t0;
  return run;
}

/** Batches per second after the first batch (start-up and the first fetch left out). */
export const steadyRate = (r: EpochRun) => (r.batches - 1) / ((r.ms - r.firstMs) / 1000);

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

/** Median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const MB = (b: number) => (b / 2 ** 20).toFixed(0);
