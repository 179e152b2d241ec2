/**
 * Samplers: iterables of dataset indices (PyTorch's `torch.utils.data.Sampler` family).
 * Every sampler takes the dataset first (anything with a `length`, read when iteration starts),
 * has a `length`, and `setEpoch(e)`; random ones are deterministic in `(seed, epoch)`.
 *
 * Randomness: {@link Rng} (sfc32 seeded through SplitMix32) seeded with `(seed + epoch) >>> 0`,
 * as PyTorch's `DistributedSampler` seeds its generator with `seed + epoch`; permutations are
 * Fisher–Yates (`Rng.shuffle`). The same seed and epoch give the same order on every platform,
 * in every thread, on every machine.
 * @module
 */
import { ValueError } from '../errors.js';
import { Rng } from '../util/random.js';

/**
 * Anything with a length (a dataset, a `Subset`, an array).
 * @example
 * ```ts
 * const sized: Sized = { length: 10 };
 * ```
 */
export interface Sized {
  readonly length: number;
}

/**
 * An iterable over dataset indices with a length; `setEpoch` reseeds random samplers.
 * @example
 * ```ts
 * const s: Sampler = new SequentialSampler(ds);
 * for (const i of s) ds.get(i);
 * ```
 */
export interface Sampler extends Iterable<number> {
  readonly length: number;
  setEpoch?(epoch: number): void;
  /**
   * True when the order is a pure function of the epoch given to `setEpoch` (and of the
   * dataset's length): iterating changes no state, so iterating twice gives the same indices.
   * A loader then lists the next epoch's order ahead and prefetches its first batches across the
   * epoch boundary (docs/loader.md). Every sampler of this module is; leave it unset for a
   * sampler with its own running state (a loader then waits for the epoch to start).
   */
  readonly deterministic?: boolean;
}

const checkCount = (n: number, what: string) => {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${what} must be a non-negative integer, got ${n}`);
};
const lengthOf = (ds: Sized, who: string): number => {
  const n = ds?.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TypeError(`${who}: the dataset must have an integer length, got ${String(n)}`);
  return n;
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A seeded permutation of `0 … n − 1` for (seed, epoch).
 * @example
 * ```ts
 * permutation(5, 0, 0); // the same 5-permutation everywhere
 * ```
 */
export function permutation(n: number, seed: number, epoch: number): number[] {
  return new Rng((seed + epoch) >>> 0).shuffle(range(n));
}

/**
 * `0, 1, …, length − 1`.
 * @example
 * ```ts
 * [...new SequentialSampler({ length: 3 })]; // [0, 1, 2]
 * ```
 */
export class SequentialSampler implements Sampler {
  /** The order depends only on the epoch (see {@link Sampler.deterministic}). */
  readonly deterministic = true;
  constructor(readonly dataset: Sized) {
    lengthOf(dataset, 'SequentialSampler');
  }
  get length(): number {
    return lengthOf(this.dataset, 'SequentialSampler');
  }
  setEpoch(_epoch: number): void {}
  *[Symbol.iterator](): Iterator<number> {
    yield* range(this.length);
  }
}

/**
 * Options of {@link RandomSampler}.
 * @example
 * ```ts
 * new RandomSampler(ds, { seed: 3, replacement: true, numSamples: 1000 } satisfies RandomSamplerOptions);
 * ```
 */
export interface RandomSamplerOptions {
  /** Seed (default 0). */
  seed?: number;
  /** Draw with replacement (default false: a permutation). */
  replacement?: boolean;
  /** Number of indices per epoch (default: the dataset length; with replacement any count). */
  numSamples?: number;
}

/**
 * A random order of the dataset, reshuffled per epoch: a permutation, or `numSamples` draws
 * with replacement. Deterministic in `(seed, epoch)`.
 * @example
 * ```ts
 * const s = new RandomSampler(ds, { seed: 1 });
 * s.setEpoch(3);
 * [...s]; // the permutation of epoch 3
 * ```
 */
export class RandomSampler implements Sampler {
  /** The order depends only on the epoch (see {@link Sampler.deterministic}). */
  readonly deterministic = true;
  readonly seed: number;
  readonly replacement: boolean;
  private readonly numSamples: number | undefined;
  private epoch = 0;

  constructor(readonly dataset: Sized, options: RandomSamplerOptions = {}) {
    lengthOf(dataset, 'RandomSampler');
    this.seed = options.seed ?? 0;
    this.replacement = options.replacement ?? false;
    this.numSamples = options.numSamples;
    if (this.numSamples !== undefined) {
      checkCount(this.numSamples, 'RandomSampler numSamples');
      if (!this.replacement && this.numSamples > dataset.length) {
        throw new ValueError(`RandomSampler: numSamples ${this.numSamples} exceeds the dataset length ${dataset.length} without replacement`);
      }
    }
  }
  get length(): number {
    return this.numSamples ?? lengthOf(this.dataset, 'RandomSampler');
  }
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataset, 'RandomSampler');
    if (this.replacement) {
      const rng = new Rng((this.seed + this.epoch) >>> 0);
      for (let i = 0; i < this.length; i++) yield rng.int(n);
      return;
    }
    yield* permutation(n, this.seed, this.epoch).slice(0, this.length);
  }
}

/**
 * A random order of the given indices (e.g. one fold's positions), reshuffled per epoch.
 * The indices are checked against the dataset length when iteration starts.
 * @example
 * ```ts
 * const train = new SubsetRandomSampler(ds, [0, 2, 4, 6], { seed: 0 });
 * new DataLoader(ds, { sampler: train, batchSize: 2 });
 * ```
 */
export class SubsetRandomSampler implements Sampler {
  /** The order depends only on the epoch (see {@link Sampler.deterministic}). */
  readonly deterministic = true;
  readonly indices: readonly number[];
  readonly seed: number;
  private epoch = 0;

  constructor(readonly dataset: Sized, indices: Iterable<number>, options: { seed?: number } = {}) {
    lengthOf(dataset, 'SubsetRandomSampler');
    this.indices = [...indices];
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(i)) throw new TypeError(`SubsetRandomSampler: indices[${k}] = ${i} is not an integer`);
    });
    this.seed = options.seed ?? 0;
  }
  get length(): number {
    return this.indices.length;
  }
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataset, 'SubsetRandomSampler');
    this.indices.forEach((i, k) => {
      if (i < -n || i >= n) throw new RangeError(`SubsetRandomSampler: indices[${k}] = ${i} is out of range for dataset length ${n}`);
    });
    for (const k of permutation(this.indices.length, this.seed, this.epoch)) yield this.indices[k];
  }
}

/**
 * Options of {@link BatchSampler}.
 * @example
 * ```ts
 * new BatchSampler(new SequentialSampler(ds), { batchSize: 4, dropLast: true } satisfies BatchSamplerOptions);
 * ```
 */
export interface BatchSamplerOptions {
  batchSize: number;
  /** Drop the last, short batch (default false). */
  dropLast?: boolean;
}

/**
 * Groups a sampler's indices into batches of `batchSize` (the last one shorter unless `dropLast`).
 * @example
 * ```ts
 * [...new BatchSampler(new SequentialSampler({ length: 5 }), { batchSize: 2 })]; // [[0,1],[2,3],[4]]
 * ```
 */
export class BatchSampler implements Iterable<number[]> {
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(readonly sampler: Sampler, options: BatchSamplerOptions) {
    if (!sampler || typeof (sampler as Partial<Sampler>)[Symbol.iterator] !== 'function') throw new TypeError('BatchSampler: the first argument must be a sampler (an iterable of indices with a length)');
    lengthOf(sampler, 'BatchSampler');
    const bs = options?.batchSize;
    if (!Number.isInteger(bs) || bs <= 0) throw new ValueError(`batchSize must be a positive integer, got ${String(bs)}`);
    this.batchSize = bs;
    this.dropLast = options.dropLast ?? false;
  }
  /** Number of batches. */
  get length(): number {
    const n = lengthOf(this.sampler, 'BatchSampler');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
  setEpoch(epoch: number): void {
    this.sampler.setEpoch?.(epoch);
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

/**
 * Options of {@link DistributedSampler}.
 * @example
 * ```ts
 * const o: DistributedSamplerOptions = { rank: 0, worldSize: 4, shuffle: true, seed: 0, dropLast: false };
 * ```
 */
export interface DistributedSamplerOptions {
  /** This process's rank, 0 ≤ rank < worldSize. */
  rank: number;
  /** Number of processes (PyTorch's `num_replicas`). */
  worldSize: number;
  /** Shuffle per epoch (default true, as PyTorch). */
  shuffle?: boolean;
  /** Seed shared by every rank (default 0). */
  seed?: number;
  /** Drop the tail so the length divides evenly instead of padding (default false). */
  dropLast?: boolean;
}

/**
 * One rank's shard of the dataset, PyTorch's `DistributedSampler` semantics: the (shuffled by
 * seed + epoch, else ascending) index list is padded by repeating from its start up to a
 * multiple of `worldSize` (or truncated to one, with `dropLast`), and rank r takes positions
 * r, r + worldSize, … — so the ranks read disjoint shards (up to the padding) of equal length.
 * Every rank must use the same seed and call `setEpoch(e)` with the same epoch.
 * @example
 * ```ts
 * const s = new DistributedSampler(ds, { rank: 1, worldSize: 4, seed: 0 });
 * s.setEpoch(epoch);
 * new DataLoader(ds, { sampler: s, batchSize: 8 });
 * ```
 */
export class DistributedSampler implements Sampler {
  /** The order depends only on the epoch (see {@link Sampler.deterministic}). */
  readonly deterministic = true;
  readonly rank: number;
  readonly worldSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  private epoch = 0;

  constructor(readonly dataset: Sized, options: DistributedSamplerOptions) {
    lengthOf(dataset, 'DistributedSampler');
    const { rank, worldSize } = options ?? ({} as DistributedSamplerOptions);
    if (!Number.isInteger(worldSize) || worldSize < 1) throw new ValueError(`DistributedSampler: worldSize must be a positive integer, got ${String(worldSize)}`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
      throw new ValueError(`DistributedSampler: invalid rank ${String(rank)}, rank should be in the interval [0, ${worldSize - 1}]`);
    }
    this.rank = rank;
    this.worldSize = worldSize;
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
  }
  /** Indices per rank: `ceil(n / world)`, or with `dropLast` and a remainder `ceil((n − world) / world)`. */
  get length(): number {
    const n = lengthOf(this.dataset, 'DistributedSampler');
    return this.dropLast && n % this.worldSize !== 0 ? Math.ceil((n - this.worldSize) / this.worldSize) : Math.ceil(n / this.worldSize);
  }
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataset, 'DistributedSampler');
    let indices = this.shuffle ? permutation(n, this.seed, this.epoch) : range(n);
    const perRank = this.length;
    const total = perRank * this.worldSize;
    if (!this.dropLast) {
      const pad = total - n;
      if (pad > 0 && n > 0) {
        const extra: number[] = [];
        while (extra.length < pad) extra.push(...indices.slice(0, pad - extra.length));
        indices = indices.concat(extra);
      }
    } else {
      indices = indices.slice(0, total);
    }
    for (let k = this.rank; k < total; k += this.worldSize) yield indices[k];
  }
}
