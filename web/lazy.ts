/**
 * Datasets whose cells are fetched on demand (a Zarr store, src/zarr/zarr-dataset.ts): the panels
 * hold the cells they draw while they draw them. Told apart by `acquireCells`, so the page's entry
 * does not import the Zarr reader.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';

/** Cells of a Zarr store kept in the page (least recently used evicted first; docs/zarr.md). */
export const ZARR_CACHE_BYTES = 128 * 2 ** 20;

type Acquire = (stims: readonly number[], neurons: readonly number[], options?: { stims?: boolean }) => Promise<() => void>;

/**
 * True when `ds` reads its cells lazily.
 * @example
 * ```ts
 * if (isLazy(ds)) numWorkers = 0;
 * ```
 */
export function isLazy(ds: NeuralDataset): boolean {
  return typeof (ds as unknown as { acquireCells?: unknown }).acquireCells === 'function';
}

/**
 * Runs `fn` with the stimuli `stims` and their responses of `neurons` in memory (`{ stims: false }`:
 * the responses only); for a dataset in memory, just runs it.
 * @example
 * ```ts
 * await withCells(ds, [s], [n], {}, () => drawResponses(ds, s, n, renderer));
 * ```
 */
export async function withCells<T>(
  ds: NeuralDataset, stims: readonly number[], neurons: readonly number[], options: { stims?: boolean }, fn: () => Promise<T> | T,
): Promise<T> {
  if (!isLazy(ds)) return fn();
  const release = await (ds as unknown as { acquireCells: Acquire }).acquireCells(stims, neurons, options);
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Whether every cell of `ds` fits in the page's cache (from the shapes, nothing fetched): what
 * reads every cell (neuron quality, the fit) runs on a lazy dataset only then.
 * @example
 * ```ts
 * if (allCellsFit(ds)) await withCells(ds, all, allNeurons, {}, () => ds.computeNeuronQuality());
 * ```
 */
export function allCellsFit(ds: NeuralDataset): boolean {
  let elements = 0;
  for (let s = 0; s < ds.getS(); s++) {
    elements += ds.stims[s].shape.reduce((a, b) => a * b, 1);
    for (const c of ds.responses[s]) elements += c.shape.reduce((a, b) => a * b, 1);
  }
  return elements * Float32Array.BYTES_PER_ELEMENT <= ZARR_CACHE_BYTES;
}

/**
 * Runs `fn` with every cell of `ds` in memory (see `allCellsFit`).
 * @example
 * ```ts
 * const q = await withAllCells(ds, () => ds.computeNeuronQuality());
 * ```
 */
export function withAllCells<T>(ds: NeuralDataset, fn: () => Promise<T> | T): Promise<T> {
  const range = (k: number) => Array.from({ length: k }, (_, i) => i);
  return withCells(ds, range(ds.getS()), range(ds.getN()), {}, fn);
}
