/**
 * `fitStrfs`: a ridge-regularised linear STRF per neuron of a dataset, λ chosen by k-fold
 * cross-validation on the training stimuli, scored on the test stimuli (docs/fit.md).
 * @module
 */
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { ValueError } from '../errors.js';
import { computeNeuronQuality } from '../metrics/quality.js';
import { checkLags, stimDims } from './design.js';
import { evaluateStrf, type FitScores } from './evaluate.js';
import type { StrfModel } from './model.js';
import { FoldWorkerPool } from './fold-workers.js';
import { ridgePath, ridgePathAsync, type RidgeProblem, type RidgeSolution } from './ridge.js';
import { fitSplit, foldsOf, type FitSplit } from './split.js';
import { stimStats, type StimStats } from './stats.js';
import { psthTarget } from './targets.js';

/**
 * Options of {@link fitStrfs}; every field has a default.
 * @example
 * ```ts
 * const o: FitOptions = { lags: 20, folds: 5, minSnr: 0.1 };
 * ```
 */
export interface FitOptions {
  /** STRF length in bins (default 20). */
  lags?: number;
  /** The λ path as multiples of trace(C)/D, C the centred training Gram (default 10^−2 … 10^6, 9 values). */
  lambdas?: readonly number[];
  /** CV folds over the training stimuli (default 5; capped at their number). */
  folds?: number;
  /** Seed of the folds and of the 80/20 split (default 0). */
  seed?: number;
  /** Neurons to fit (default: the dataset's selected neurons). */
  neurons?: readonly number[];
  /** Keep only neurons whose SNR over all stimuli is at least this (default: no threshold). */
  minSnr?: number;
  /** The split (default {@link fitSplit}). */
  split?: FitSplit;
  /** Progress of the long steps. */
  onProgress?: (step: 'gram' | 'ridge', done: number, total: number) => void;
}

/**
 * The result of {@link fitStrfs}.
 * @example
 * ```ts
 * const r: FitResult = fitStrfs(ds);
 * console.log(r.medians.ccNorm, r.model.lambda);
 * ```
 */
export interface FitResult {
  readonly model: StrfModel;
  readonly split: FitSplit;
  /** Test-split scores per modelled neuron. */
  readonly scores: FitScores;
  /** Medians of the finite scores. */
  readonly medians: { cc: number; ccNorm: number; ccMax: number; snr: number };
  /** The absolute λ path (relative path × `lambdaScale`). */
  readonly lambdas: Float64Array;
  /** trace(C)/D of the training stimuli. */
  readonly lambdaScale: number;
  /** Mean held-out CC per λ, per modelled neuron (`neurons × λ`). */
  readonly cvCC: Float64Array;
  readonly folds: number;
  /** Wall time of the Gram step and the ridge step (ms). */
  readonly timings: { gramMs: number; ridgeMs: number };
}

/** 10^−2 … 10^6: the default relative λ path. @example `fitStrfs(ds, { lambdas: DEFAULT_LAMBDAS.slice(2, 7) })` */
export const DEFAULT_LAMBDAS: readonly number[] = Array.from({ length: 9 }, (_, i) => 10 ** (i - 2));

/**
 * Median of the finite values (NaN when none).
 * @example
 * ```ts
 * finiteMedian(new Float64Array([3, NaN, 1, 2])); // 2
 * ```
 */
export function finiteMedian(xs: ArrayLike<number>): number {
  const v = Array.from(xs).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

const now = () => globalThis.performance.now();

/** Everything {@link fitStrfs} computes before the ridge path, and that path's problem. */
interface Prepared {
  readonly problem: RidgeProblem;
  readonly ds: NeuralDataset;
  readonly neurons: number[];
  readonly split: FitSplit;
  readonly foldOf: number[];
  readonly F: number;
  readonly lags: number;
  readonly D: number;
  readonly offset: Float64Array;
  readonly lambdas: Float64Array;
  readonly lambdaScale: number;
  readonly gramMs: number;
}

function prepare(ds: NeuralDataset, options: FitOptions): Prepared {
  const lags = checkLags(options.lags ?? 20);
  const rel = options.lambdas ?? DEFAULT_LAMBDAS;
  if (rel.length === 0) throw new ValueError('fit: lambdas is empty');
  rel.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`fit: lambdas[${i}] must be a positive finite number, got ${v}`);
  });
  const seed = options.seed ?? 0;
  const split = options.split ?? fitSplit(ds, seed);
  const foldOf = foldsOf(split.train.length, options.folds ?? 5, seed);
  const N = ds.getN();
  let neurons = [...(options.neurons ?? ds.selectedNeurons())];
  neurons.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0 || n >= N) throw new ValueError(`fit: neurons[${i}] = ${n} is not a neuron index of 0…${N - 1}`);
  });
  if (options.minSnr !== undefined) {
    if (!Number.isFinite(options.minSnr)) throw new ValueError(`fit: minSnr must be a finite number, got ${options.minSnr}`);
    const q = computeNeuronQuality(ds.responses, N).snr.data;
    neurons = neurons.filter((n) => q[n] >= (options.minSnr as number));
  }
  if (neurons.length === 0) throw new ValueError(`fit: no neuron to fit${options.minSnr !== undefined ? ` (none has SNR ≥ ${options.minSnr})` : ''}`);
  const [F] = stimDims(ds.stims[split.train[0]], `stims[${split.train[0]}]`);
  for (const s of [...split.train, ...split.test]) {
    const [f] = stimDims(ds.stims[s], `stims[${s}]`);
    if (f !== F) throw new ValueError(`fit: stims[${s}] has ${f} bands, stims[${split.train[0]}] has ${F}`);
  }
  const D = F * lags;

  // Band means over the training stimuli: the features' offset (see laggedRows).
  const offset = new Float64Array(F);
  let bins = 0;
  for (const s of split.train) {
    const T = ds.stims[s].shape[2], x = ds.stims[s].data;
    for (let f = 0; f < F; f++) for (let t = 0; t < T; t++) offset[f] += x[f * T + t];
    bins += T;
  }
  for (let f = 0; f < F; f++) offset[f] /= bins;

  const t0 = now();
  const stats: (StimStats | undefined)[] = new Array(ds.getS());
  const valid: Uint8Array[] = Array.from({ length: ds.getS() }, () => new Uint8Array(neurons.length));
  split.train.forEach((s, i) => {
    const T = ds.stims[s].shape[2];
    const targets = neurons.map((n) => psthTarget(ds.responses[s][n], T, `responses[${s}][${n}]`));
    targets.forEach((t, j) => (valid[s][j] = t === null ? 0 : 1));
    stats[s] = stimStats(ds.stims[s].data, F, T, lags, offset, targets);
    options.onProgress?.('gram', i + 1, split.train.length);
  });
  const gramMs = now() - t0;
  let trace = 0, n = 0;
  const sx = new Float64Array(D);
  for (const s of split.train) {
    const st = stats[s] as StimStats;
    n += st.n;
    for (let i = 0; i < D; i++) {
      trace += st.xtx[i * D + i];
      sx[i] += st.sx[i];
    }
  }
  for (let i = 0; i < D; i++) trace -= (sx[i] * sx[i]) / n;
  const lambdaScale = trace / D;
  const lambdas = Float64Array.from(rel, (v) => v * lambdaScale);

  const problem: RidgeProblem = {
    D, nNeurons: neurons.length, stats, valid, train: split.train, foldOf, lambdas: Array.from(lambdas),
    onStep: options.onProgress && ((d, t) => options.onProgress?.('ridge', d, t)),
  };
  return { problem, ds, neurons, split, foldOf, F, lags, D, offset, lambdas, lambdaScale, gramMs };
}

function finish(p: Prepared, sol: readonly RidgeSolution[], ridgeMs: number): FitResult {
  const { ds, neurons, split, foldOf, F, lags, D, offset, lambdas, lambdaScale, gramMs } = p;
  const M = neurons.length, L = lambdas.length;
  const weights = new Float64Array(M * D), bias = new Float64Array(M), lambda = new Float64Array(M), cvCC = new Float64Array(M * L);
  sol.forEach((r, j) => {
    weights.set(r.weights, j * D);
    // Back from offset units: x − offset inside the sum, so the intercept absorbs Σ w · offset.
    let shift = 0;
    for (let f = 0; f < F; f++) for (let l = 0; l < lags; l++) shift += r.weights[f * lags + l] * offset[f];
    bias[j] = r.bias - shift;
    lambda[j] = r.lambda;
    cvCC.set(r.cvCC, j * L);
  });
  const cellIds = neurons.map((nrn) => String(ds.nrnMeta[nrn]?.cellId ?? nrn));
  const model: StrfModel = { F, lags, dtMs: ds.dtMs, neurons, cellIds, weights, bias, lambda };
  const scores = evaluateStrf(ds, model, split.test);
  return {
    model, split, scores, lambdas, lambdaScale, cvCC, folds: Math.max(...foldOf) + 1, timings: { gramMs, ridgeMs },
    medians: { cc: finiteMedian(scores.cc), ccNorm: finiteMedian(scores.ccNorm), ccMax: finiteMedian(scores.ccMax), snr: finiteMedian(scores.snr) },
  };
}

/**
 * Fits a linear STRF per neuron (docs/fit.md), in the calling thread.
 * @throws ValueError on bad options or when no neuron is left to fit; ShapeError on a stimulus
 *   that is not `(1, F, T)` or stimuli with different band counts.
 * @example
 * ```ts
 * const r = fitStrfs(new SyntheticDataset(), { lags: 10 });
 * r.scores.ccNorm; // per neuron, on the val stimuli
 * ```
 */
export function fitStrfs(ds: NeuralDataset, options: FitOptions = {}): FitResult {
  const p = prepare(ds, options);
  const t1 = now();
  const sol = ridgePath(p.problem);
  return finish(p, sol, now() - t1);
}

/**
 * Options of {@link fitStrfsAsync}: {@link FitOptions} and the worker count.
 * @example
 * ```ts
 * const o: FitAsyncOptions = { lags: 20, workers: 2 };
 * ```
 */
export interface FitAsyncOptions extends FitOptions {
  /**
   * Worker threads scoring the ridge path's (neuron group, fold) pairs (default 0: the calling
   * thread). The result is the same bit for bit whatever the count.
   */
  workers?: number;
}

/**
 * {@link fitStrfs} with the ridge path's cross-validation folds scored in `workers` worker
 * threads (workers/fit-worker.ts), all terminated before it settles.
 * @throws ValueError as {@link fitStrfs}, and when `workers` is not a non-negative integer.
 * @example
 * ```ts
 * const r = await fitStrfsAsync(new SyntheticDataset(), { lags: 10, workers: 2 });
 * ```
 */
export async function fitStrfsAsync(ds: NeuralDataset, options: FitAsyncOptions = {}): Promise<FitResult> {
  const workers = options.workers ?? 0;
  if (!Number.isSafeInteger(workers) || workers < 0) throw new ValueError(`fit: workers must be a non-negative integer, got ${workers}`);
  const p = prepare(ds, options);
  const t1 = now();
  if (workers === 0) return finish(p, ridgePath(p.problem), now() - t1);
  const pool = await FoldWorkerPool.start(workers);
  let sol: RidgeSolution[];
  try {
    sol = await ridgePathAsync(p.problem, (t) => pool.score(t));
  } finally {
    await pool.close();
  }
  return finish(p, sol, now() - t1);
}
