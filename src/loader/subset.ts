/**
 * `Subset` and `randomSplit` (PyTorch's `torch.utils.data.Subset` / `random_split`).
 *
 * Selection state: a subset holds POSITIONS in its parent's iteration order, not stimulus
 * numbers. `subset.get(i)` is `parent.get(indices[i])` at the time of the call, so the parent's
 * current neuron selection decides the responses (and `validMask`) an item carries, and the
 * parent's stimulus selection decides which stimulus a position names. Split a dataset AFTER
 * selecting what you want to train on; changing the parent's selection afterwards re-targets
 * the positions (a position past the parent's new length throws `RangeError` naming it).
 * @module
 */
import { ValueError } from '../errors.js';
import { Dataset } from '../contract/dataset.js';
import { permutation } from './samplers.js';

/**
 * Anything map-style: a length and `get(i)`.
 * @example
 * ```ts
 * const ds: MapDataset<number> = { length: 3, get: (i) => i * i };
 * ```
 */
export interface MapDataset<T> {
  readonly length: number;
  get(i: number): T;
}

/**
 * The items of `dataset` at the given positions, in that order (duplicates allowed).
 * @example
 * ```ts
 * const firstTen = new Subset(ds, [...Array(10).keys()]);
 * firstTen.get(0); // ds.get(0), under ds's current selection
 * ```
 */
export class Subset<T> extends Dataset<T> {
  readonly dataset: MapDataset<T>;
  readonly indices: readonly number[];

  constructor(dataset: MapDataset<T>, indices: Iterable<number>) {
    super();
    if (!dataset || typeof dataset.get !== 'function' || typeof dataset.length !== 'number') {
      throw new TypeError('Subset: the dataset must have a length and get(i)');
    }
    this.dataset = dataset;
    this.indices = Object.freeze([...indices]);
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(i)) throw new TypeError(`Subset: indices[${k}] = ${String(i)} is not an integer`);
    });
  }

  get length(): number {
    return this.indices.length;
  }

  /** `dataset.get(indices[i])`; negative `i` wraps; out of range → `RangeError`. */
  get(i: number): T {
    const L = this.indices.length;
    if (!Number.isInteger(i)) throw new TypeError(`Invalid index type: ${i} is not an integer`);
    const j = i < 0 ? i + L : i;
    if (j < 0 || j >= L) throw new RangeError(`index ${i} is out of range for a Subset of length ${L}`);
    return this.dataset.get(this.indices[j]);
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets, deterministically from `seed`.
 * `lengths` are item counts summing to `dataset.length`, or fractions summing to 1 (each
 * gets `floor(n · f)`, and the remainder is handed out one by one from the first split, as
 * PyTorch does). The permutation is the samplers' (`Rng((seed + 0) >>> 0)`, Fisher–Yates).
 * @example
 * ```ts
 * ds.selectStimsByAttr('subset', 'est');
 * const [train, val] = randomSplit(ds, [0.8, 0.2], 42);
 * new DataLoader(train, { batchSize: 4, shuffle: true });
 * ```
 */
export function randomSplit<T>(dataset: MapDataset<T>, lengths: readonly number[], seed = 0): Subset<T>[] {
  const n = dataset.length;
  if (!Array.isArray(lengths) || lengths.length === 0) throw new ValueError('randomSplit: lengths must be a non-empty array');
  let counts: number[];
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) < 1e-9 && sum <= n) {
    // fractions (PyTorch's rule: they sum to 1 and the dataset is not smaller than that)
    lengths.forEach((f, k) => {
      if (!(f >= 0 && f <= 1)) throw new ValueError(`randomSplit: fraction lengths[${k}] = ${f} is not in [0, 1]`);
    });
    counts = lengths.map((f) => Math.floor(n * f));
    const rest = n - counts.reduce((a, b) => a + b, 0);
    for (let k = 0; k < rest; k++) counts[k % counts.length] += 1;
  } else {
    lengths.forEach((l, k) => {
      if (!Number.isInteger(l) || l < 0) throw new ValueError(`randomSplit: lengths[${k}] = ${l} is neither a count nor a fraction (fractions must sum to 1)`);
    });
    if (sum !== n) throw new ValueError(`randomSplit: sum of input lengths (${sum}) does not equal the length of the input dataset (${n})`);
    counts = [...lengths];
  }
  const perm = permutation(n, seed, 0);
  const out: Subset<T>[] = [];
  let off = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.slice(off, off + c)));
    off += c;
  }
  return out;
}
