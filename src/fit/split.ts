/**
 * Which stimuli a fit trains on and which it reports on (docs/fit.md), and the CV folds over
 * the training stimuli.
 * @module
 */
import { ValueError } from '../errors.js';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { NS1Dataset } from '../zoo/ns1.js';
import { Rng } from '../util/random.js';

/**
 * A train/test split of a dataset's stimuli.
 * @example
 * ```ts
 * const s: FitSplit = { train: [0, 1, 2], test: [3], rule: 'seeded 80/20 (seed 0)' };
 * ```
 */
export interface FitSplit {
  readonly train: number[];
  readonly test: number[];
  /** How it was made, for reports. */
  readonly rule: string;
}

/** Fisher–Yates shuffle of `0 … n−1` from a seeded PRNG. */
function shuffled(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The dataset's own split: NS1 the Rahman et al. split; a dataset whose `stimMeta.subset` holds
 * `'est'` and `'val'` trains on est and reports on val; otherwise a seeded 80/20 split (at least
 * one test stimulus).
 * @throws ValueError when the dataset has fewer than 2 stimuli.
 * @example
 * ```ts
 * fitSplit(new SyntheticDataset()).rule; // 'est/val (stimMeta.subset)'
 * ```
 */
export function fitSplit(ds: NeuralDataset, seed = 0): FitSplit {
  const S = ds.getS();
  if (S < 2) throw new ValueError(`fit: the dataset has ${S} stimulus; a train/test split needs at least 2`);
  if (ds instanceof NS1Dataset) {
    const r = NS1Dataset.rahmanSplit();
    return { train: r.trainVal, test: r.test, rule: 'Rahman et al. (NS1Dataset.rahmanSplit)' };
  }
  const by = (v: string) => ds.stimMeta.map((m, s) => (m.subset === v ? s : -1)).filter((s) => s >= 0);
  const est = by('est'), val = by('val');
  if (est.length > 0 && val.length > 0) return { train: est, test: val, rule: 'est/val (stimMeta.subset)' };
  const order = shuffled(S, seed);
  const nTest = Math.max(1, Math.round(0.2 * S));
  const test = order.slice(0, nTest).sort((a, b) => a - b);
  const train = order.slice(nTest).sort((a, b) => a - b);
  return { train, test, rule: `seeded 80/20 (seed ${seed})` };
}

/**
 * Assigns each training stimulus a fold: a seeded shuffle, then rank mod k (k capped at the
 * number of training stimuli).
 * @throws ValueError when `folds` is not an integer ≥ 2 or fewer than 2 training stimuli.
 * @example
 * ```ts
 * foldsOf(4, 2, 0); // e.g. [1, 0, 0, 1]
 * ```
 */
export function foldsOf(nTrain: number, folds: number, seed: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new ValueError(`fit: folds must be an integer ≥ 2, got ${folds}`);
  if (nTrain < 2) throw new ValueError(`fit: cross-validation needs at least 2 training stimuli, got ${nTrain}`);
  const k = Math.min(folds, nTrain);
  const out = new Array<number>(nTrain);
  shuffled(nTrain, seed + 1).forEach((stim, rank) => (out[stim] = rank % k));
  return out;
}
