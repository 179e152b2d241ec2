/**
 * The main job: build a dataset, select a population, iterate one epoch (or more) with the
 * DataLoader (batches collated by the wasm kernels in worker threads) and summarise it.
 * `npm start` runs it on the embedded SyntheticDataset (`deepstrf run synthetic`).
 * @module
 */
import { platform } from '#platform';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { DataLoader } from '../loader/data-loader.js';

/**
 * Options of {@link runEpoch}.
 * @example
 * ```ts
 * const o: EpochJobOptions = { batchSize: 8, epochs: 2, population: ['area', 'A1'], signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface EpochJobOptions {
  /** Items per batch (default 8). */
  batchSize?: number;
  /** Keep only neurons whose `nrnMeta[attr] === value` (e.g. `['area', 'A1']`); all when omitted. */
  population?: readonly [attr: string, value: unknown];
  /** Where lines go (default: nowhere). */
  write?: (line: string) => void;
  /** Worker threads of the loader (default 2; 0 = collate in the calling thread). */
  numWorkers?: number;
  /** Epochs to iterate (default 1). */
  epochs?: number;
  /** Aborting it stops the job: the loader is closed, its workers terminated, and the returned promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * What {@link runEpoch} measured (over every epoch).
 * @example
 * ```ts
 * const { batches, validFraction } = await runEpoch(ds);
 * ```
 */
export interface EpochSummary {
  batches: number;
  items: number;
  selectedNeurons: number;
  iterableStims: number;
  /** Shape of each batch's `responses`. */
  shapes: number[][];
  /** Fraction of true entries in `validMask` over the epoch. */
  validFraction: number;
  /** Time the loop waited for each batch, milliseconds. */
  msPerBatch: number[];
  /** Bytes of batch output per second of epoch wall time (stims + responses + mask). */
  bytesPerSecond: number;
}

/**
 * Runs `epochs` epochs (default 1) over `ds` in index order through a `DataLoader` (2 workers by
 * default, batch memory recycled: each batch is summarised before the next is taken) and returns
 * (and writes) a summary. The first line states the dataset and its selection, once.
 * @example
 * ```ts
 * const s = await runEpoch(new SyntheticDataset(), { batchSize: 8, population: ['area', 'A1'], write: console.log });
 * s.validFraction; // e.g. 0.41
 * ```
 */
export async function runEpoch(ds: NeuralDataset, options: EpochJobOptions = {}): Promise<EpochSummary> {
  const { batchSize = 8, write = () => {}, numWorkers = 2, epochs = 1, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  const what = `${ds.constructor.name}: ${ds.getN()} neurons, ${ds.getS()} stimuli, ${ds.dtMs} ms bins`;
  if (options.population) {
    const [attr, value] = options.population;
    ds.selectPopByNrnAttr(attr, value);
  }
  const who = options.population ? `${options.population[0]} = ${JSON.stringify(options.population[1])}` : 'every neuron';
  write(`dataset    ${what}`);
  write(`selection  ${who} → ${ds.selectedNeurons().length} of ${ds.getN()} neurons, ${ds.length} of ${ds.getS()} stimuli iterable`);
  const summary: EpochSummary = {
    batches: 0, items: 0, selectedNeurons: ds.selectedNeurons().length, iterableStims: ds.length,
    shapes: [], validFraction: 0, msPerBatch: [], bytesPerSecond: 0,
  };
  let valid = 0, total = 0, bytes = 0;
  const loader = new DataLoader(ds, { batchSize, numWorkers, recycleBatches: true, signal });
  const start = platform.now();
  let t0 = start;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for await (const batch of loader) {
        const ms = platform.now() - t0;
        let v = 0;
        const m = batch.validMask.data;
        for (let i = 0; i < m.length; i++) v += m[i];
        valid += v;
        total += m.length;
        bytes += batch.stims.data.byteLength + batch.responses.data.byteLength + m.byteLength;
        summary.batches++;
        summary.items += batch.stims.shape[0];
        summary.shapes.push(batch.responses.shape);
        summary.msPerBatch.push(ms);
        write(
          `batch ${String(summary.batches).padStart(3)}  stims [${batch.stims.shape.join(', ')}]  responses [${batch.responses.shape.join(', ')}]` +
            `  valid ${((100 * v) / m.length).toFixed(1)} %  waited ${ms.toFixed(2)} ms`,
        );
        t0 = platform.now();
      }
    }
  } finally {
    await loader.close();
  }
  const wall = platform.now() - start;
  summary.validFraction = total ? valid / total : 0;
  summary.bytesPerSecond = wall > 0 ? bytes / (wall / 1000) : 0;
  const sorted = [...summary.msPerBatch].sort((a, b) => a - b);
  write(
    `${epochs === 1 ? 'epoch     ' : `${epochs} epochs`} ${summary.batches} batches, ${summary.items} items; valid fraction ${(100 * summary.validFraction).toFixed(1)} % of (B, N, R, T) entries; ` +
      `median wait ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(2)} ms per batch (${numWorkers} workers${loader.stats.transport ? `, ${loader.stats.transport} store` : ''}); ${(summary.bytesPerSecond / 1e6).toFixed(0)} MB/s of batch output`,
  );
  return summary;
}
