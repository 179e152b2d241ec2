// Measuring helpers of bench/zarr.bench.ts: an epoch timed with its batches checksummed (the
// consumer's only work, the same for every dataset), the stimuli each batch holds (read back from
// stimMeta names `stim<s>`, independent of the loader), and a peak-RSS sampler.
import { performance } from 'node:perf_hooks';
import type { DataLoader } from '../../src/index.js';
import { batchChecksum } from '../../test/helpers/batch-checksum.js';

export interface EpochRun {
  ms: number;
  batches: number;
  /** Per batch: its stimuli (generator indices) and its checksum. */
  stims: number[][];
  checksums: number[];
}

/** One `for await` over the loader: time, the stimuli of each batch, their checksums. */
export async function timedEpoch(loader: DataLoader, onBatch: () => void = () => undefined): Promise<EpochRun> {
  const stims: number[][] = [];
  const checksums: number[] = [];
  const t0 = performance.now();
  for await (const b of loader) {
    checksums.push(batchChecksum(b));
    stims.push(b.stimMeta.map((m) => Number(String(m.name).replace(/^stim/, ''))));
    onBatch();
  }
  return { ms: performance.now() - t0, batches: checksums.length, stims, checksums };
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
