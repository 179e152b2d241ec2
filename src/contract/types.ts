/**
 * Item and metadata types of the data contract.
 * @module
 */
import type { Tensor } from '../tensor.js';

/** Free-form metadata of one stimulus or one neuron (keys vary per dataset). */
export type Meta = Record<string, unknown>;

/**
 * One item, the single item type of the library (docs/contract.md, "Items and batches"): what
 * `ds.get(i)` returns for a scalar index, what a loader transform receives and returns
 * (docs/loader.md) and what `neuralCollate` takes. The stimulus, one response per selected
 * neuron (real `(R, T)` cells or `(1, 1)` NaN sentinels), the per-neuron coverage mask and the
 * stimulus metadata. Datasets and transforms may add further keys; the collate passes them
 * through (it reads `stims`, `responses` and `stimMeta`, and recomputes the mask cell by cell).
 * @example
 * ```ts
 * const item: DatasetItem = ds.get(0);
 * item.responses.length === ds.selectedNeurons().length;
 * ```
 */
export interface DatasetItem {
  stims: Tensor;
  responses: Tensor[];
  validMask: Tensor<'bool'>;
  stimMeta: Meta;
  [key: string]: unknown;
}

/**
 * What `ds.get(indices)` and `ds.get(slice)` return: the same keys, each holding one entry per
 * requested index.
 * @example
 * ```ts
 * const { stims, responses } = ds.get({ start: 0, stop: 4 });
 * ```
 */
export interface DatasetItems {
  stims: Tensor[];
  responses: Tensor[][];
  validMask: Tensor<'bool'>[];
  stimMeta: Meta[];
  [key: string]: unknown[];
}

/**
 * A Python-style slice: `start`, `stop`, `step` resolved against the current length exactly as
 * Python's `slice.indices` does (negative values count from the end; out-of-range values clamp).
 * @example
 * ```ts
 * ds.get({ start: -3 }); // the last three items
 * ds.get({ step: 2 }); // every other item
 * ```
 */
export interface SliceIndex {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * What a zoo dataset's build returns and its constructor takes (see `NeuralDataset.assignBuilt`).
 * @example
 * ```ts
 * const b: BuiltData = { stims: [tensor('float32', [1, 2, 3])], responses: [[tensor('float32', [1, 3])]], stimMeta: [{}], nrnMeta: [{}] };
 * ```
 */
export interface BuiltData {
  readonly stims: Tensor[];
  readonly responses: Tensor[][];
  readonly stimMeta: Meta[];
  readonly nrnMeta: Meta[];
}
