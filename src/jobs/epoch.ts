/**
 * The main job: build a dataset, select a population, collate every batch of one epoch through
 * the wasm kernels and summarise it. `npm start` runs it on the embedded SyntheticDataset.
 * @module
 */
import { platform } from '#platform';
import type { NeuralDataset } from '../dataset/neural-dataset.js';
import { neuralCollate, type Batch } from '../collate/neural-collate.js';

/** Options of {@link runEpoch}. */
export interface EpochJobOptions {
  /** Items per batch (default 8). */
  batchSize?: number;
  /** Keep only neurons whose `nrnMeta[attr] === value` (e.g. `['area', 'A1']`); all when omitted. */
  population?: [attr: string, value: unknown];
  /** Where lines go (default: nowhere). */
  write?: (line: string) => void;
}

/** What {@link runEpoch} measured. */
export interface EpochSummary {
  batches: number;
  items: number;
  selectedNeurons: number;
  iterableStims: number;
  /** Shape of each batch's `responses`. */
  shapes: number[][];
  /** Fraction of true entries in `validMask` over the epoch. */
  validFraction: number;
  /** Wall time per batch, milliseconds. */
  msPerBatch: number[];
  /** Bytes of batch output per second (stims + responses + mask). */
  bytesPerSecond: number;
}

/**
 * Runs one epoch over `ds` in index order and returns (and writes) a summary.
 * @example
 * ```ts
 * const s = runEpoch(new SyntheticDataset(), { batchSize: 8, population: ['area', 'A1'], write: console.log });
 * s.validFraction; // e.g. 0.41
 * ```
 */
export function runEpoch(ds: NeuralDataset, options: EpochJobOptions = {}): EpochSummary {
  const { batchSize = 8, write = () => {} } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  write(`dataset    ${ds}`);
  if (options.population) {
    const [attr, value] = options.population;
    ds.selectPopByNrnAttr(attr, value);
    write(`selection  ${attr} = ${JSON.stringify(value)} → ${ds.selectedNeurons().length} of ${ds.getN()} neurons, ${ds.length} of ${ds.getS()} stimuli iterable`);
  }
  const summary: EpochSummary = {
    batches: 0, items: 0, selectedNeurons: ds.selectedNeurons().length, iterableStims: ds.length,
    shapes: [], validFraction: 0, msPerBatch: [], bytesPerSecond: 0,
  };
  let valid = 0, total = 0, bytes = 0;
  let prev: Batch | undefined;
  for (let start = 0; start < ds.length; start += batchSize) {
    const t0 = platform.now();
    const idx = Array.from({ length: Math.min(batchSize, ds.length - start) }, (_, k) => start + k);
    const batch = neuralCollate(idx.map((i) => ds.get(i)), { reuse: prev });
    const ms = platform.now() - t0;
    prev = batch;
    let v = 0;
    const m = batch.validMask.data;
    for (let i = 0; i < m.length; i++) v += m[i];
    valid += v;
    total += m.length;
    bytes += batch.stims.data.byteLength + batch.responses.data.byteLength + m.byteLength;
    summary.batches++;
    summary.items += idx.length;
    summary.shapes.push(batch.responses.shape);
    summary.msPerBatch.push(ms);
    write(
      `batch ${String(summary.batches).padStart(3)}  stims [${batch.stims.shape.join(', ')}]  responses [${batch.responses.shape.join(', ')}]` +
        `  valid ${((100 * v) / m.length).toFixed(1)} %  ${ms.toFixed(2)} ms`,
    );
  }
  summary.validFraction = total ? valid / total : 0;
  const secs = summary.msPerBatch.reduce((a, b) => a + b, 0) / 1000;
  summary.bytesPerSecond = secs > 0 ? bytes / secs : 0;
  const sorted = [...summary.msPerBatch].sort((a, b) => a - b);
  write(
    `epoch      ${summary.batches} batches, ${summary.items} items; valid fraction ${(100 * summary.validFraction).toFixed(1)} % of (B, N, R, T) entries; ` +
      `median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(2)} ms per batch; ${(summary.bytesPerSecond / 1e6).toFixed(0)} MB/s of batch output`,
  );
  return summary;
}
