/**
 * Building one item (docs/contract.md, "Items and batches"): the stimulus, one response cell per
 * selected neuron, their coverage mask, the stimulus metadata and the dataset's extra keys. The
 * same function serves `ds.get(i)`, the loader in the calling thread and its workers
 * (src/loader/fetch.ts); only where the cells are read from differs.
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { DatasetItem, Meta } from './types.js';

/**
 * Where items read their cells: a dataset's own arrays (`datasetCells`), or a worker's view of
 * the packed store (src/loader/heap-share.ts).
 * @example
 * ```ts
 * const cells: CellSource = datasetCells(ds);
 * cells.cell(0, 2); // ds.responses[0][2]
 * ```
 */
export interface CellSource {
  /** Stimulus `s` (absolute index). */
  stim(s: number): Tensor;
  /** Response cell (s, n): `(R, T)`, or the `(1, 1)` NaN sentinel. */
  cell(s: number, n: number): Tensor;
  /** 1 where cell (s, n) is real data (`nrnMasks[s, n]`), else 0. */
  valid(s: number, n: number): number;
  /** Metadata of stimulus `s`. */
  stimMeta(s: number): Meta;
}

/** What `datasetCells` reads (a `NeuralDataset`, structurally). */
interface DatasetFields {
  readonly stims: Tensor[];
  readonly responses: Tensor[][];
  readonly stimMeta: Meta[];
  readonly nNeurons: number;
  readonly nrnMasks: Tensor<'bool'>;
}

/**
 * A dataset's cells as they are now (the masks as cached at the call).
 * @example
 * ```ts
 * const item = makeItem(datasetCells(ds), 0, ds.selectedNeurons(), null);
 * ```
 */
export function datasetCells(ds: DatasetFields): CellSource {
  const masks = ds.nrnMasks.data;
  const N = ds.nNeurons;
  return {
    stim: (s) => ds.stims[s],
    cell: (s, n) => ds.responses[s][n],
    valid: (s, n) => masks[s * N + n],
    stimMeta: (s) => ds.stimMeta[s],
  };
}

/**
 * The item of stimulus `s` (absolute index) for the neurons `neurons`, with `extras` (the
 * dataset's `itemExtras(s)`, or null) as further keys.
 * @example
 * ```ts
 * const item: DatasetItem = makeItem(datasetCells(ds), 3, [0, 2], null);
 * item.responses.length; // 2
 * ```
 */
export function makeItem(cells: CellSource, s: number, neurons: readonly number[], extras: Record<string, unknown> | null): DatasetItem {
  const K = neurons.length;
  const responses: Tensor[] = new Array(K);
  const mask = new Uint8Array(K);
  for (let j = 0; j < K; j++) {
    responses[j] = cells.cell(s, neurons[j]);
    mask[j] = cells.valid(s, neurons[j]);
  }
  const item: DatasetItem = { stims: cells.stim(s), responses, validMask: { dtype: 'bool', shape: [K], data: mask }, stimMeta: cells.stimMeta(s) };
  return extras ? Object.assign(item, extras) : item;
}
