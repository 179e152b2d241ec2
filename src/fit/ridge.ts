/**
 * Closed-form ridge regression along a λ path with k-fold cross-validation (docs/fit.md).
 * Neurons that heard the same training stimuli form a group and share every factorisation
 * (one Cholesky per λ, all the group's neurons as right-hand sides). Each fold's held-out
 * correlation is computed from the held-out statistics alone: with p = Xw + b,
 * CC = wᵀc_H / sqrt(wᵀC_H w · v_H), C_H, c_H, v_H being the held-out set's centred sums.
 * @module
 */
import { ValueError } from '../errors.js';
import { scoreFold, solvePath, type FoldScore, type FoldTask } from './fold-score.js';
import type { StimStats } from './stats.js';

/**
 * The input of {@link ridgePath}.
 * @example
 * ```ts
 * const p: RidgeProblem = { D, nNeurons: N, stats, valid, train: [0, 1, 2, 3], foldOf: [0, 1, 2, 0], lambdas: [1, 10, 100] };
 * ```
 */
export interface RidgeProblem {
  /** Features per neuron. */
  readonly D: number;
  readonly nNeurons: number;
  /** Per stimulus its statistics (only the training stimuli are read). */
  readonly stats: readonly (StimStats | undefined)[];
  /** `valid[s][n]` is 1 when neuron n has a target on stimulus s. */
  readonly valid: readonly Uint8Array[];
  /** Training stimuli. */
  readonly train: readonly number[];
  /** Fold of each training stimulus (same order as `train`), `0 … k−1`. */
  readonly foldOf: readonly number[];
  /** The λ path (absolute values, ascending). */
  readonly lambdas: readonly number[];
  /** Called after each (group, fold) solve. */
  readonly onStep?: (done: number, total: number) => void;
}

/**
 * A neuron's ridge solution.
 * @example
 * ```ts
 * const s: RidgeSolution = ridgePath(problem)[0];
 * s.weights; // D, in the statistics' (offset) feature units
 * ```
 */
export interface RidgeSolution {
  /** `D` weights; NaN when the neuron has no training data. */
  readonly weights: Float64Array;
  /** Intercept in the statistics' feature units. */
  readonly bias: number;
  /** The chosen λ (NaN without training data). */
  readonly lambda: number;
  /** Mean held-out CC across folds, per λ of the path (NaN where no fold could be scored). */
  readonly cvCC: Float64Array;
  /** Training stimuli the neuron was fitted on. */
  readonly nTrainStims: number;
}

interface Sums {
  n: number;
  sx: Float64Array;
  xtx: Float64Array;
  xty: Float64Array; // m × D
  sy: Float64Array;
  syy: Float64Array;
}

function sumStats(stats: readonly (StimStats | undefined)[], stims: readonly number[], neurons: readonly number[], D: number): Sums {
  const m = neurons.length;
  const out: Sums = { n: 0, sx: new Float64Array(D), xtx: new Float64Array(D * D), xty: new Float64Array(m * D), sy: new Float64Array(m), syy: new Float64Array(m) };
  for (const s of stims) {
    const st = stats[s];
    if (!st) throw new ValueError(`ridge: no statistics for training stimulus ${s}`);
    out.n += st.n;
    for (let i = 0; i < D; i++) out.sx[i] += st.sx[i];
    const a = out.xtx, b = st.xtx;
    for (let i = 0; i < a.length; i++) a[i] += b[i];
    neurons.forEach((nrn, j) => {
      for (let i = 0; i < D; i++) out.xty[j * D + i] += st.xty[nrn * D + i];
      out.sy[j] += st.sy[nrn];
      out.syy[j] += st.syy[nrn];
    });
  }
  return out;
}

function minus(a: Sums, b: Sums): Sums {
  const sub = (x: Float64Array, y: Float64Array) => {
    const o = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) o[i] = x[i] - y[i];
    return o;
  };
  return { n: a.n - b.n, sx: sub(a.sx, b.sx), xtx: sub(a.xtx, b.xtx), xty: sub(a.xty, b.xty), sy: sub(a.sy, b.sy), syy: sub(a.syy, b.syy) };
}

/** Centred Gram C = Σxxᵀ − sx sxᵀ / n and cross-products c_j = Σxy_j − sx sy_j / n. */
function centre(s: Sums, D: number): { C: Float64Array; c: Float64Array; vy: Float64Array } {
  const C = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) C[i * D + j] = s.xtx[i * D + j] - (s.sx[i] * s.sx[j]) / s.n;
  const m = s.sy.length;
  const c = new Float64Array(m * D);
  const vy = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < D; i++) c[j * D + i] = s.xty[j * D + i] - (s.sx[i] * s.sy[j]) / s.n;
    vy[j] = s.syy[j] - (s.sy[j] * s.sy[j]) / s.n;
  }
  return { C, c, vy };
}

interface Group {
  stims: number[];
  folds: number[];
  neurons: number[];
}

/** Checks the problem, groups neurons by their set of valid training stimuli, fills the no-data neurons. */
function plan(p: RidgeProblem): { groups: Group[]; out: RidgeSolution[]; nFolds: number } {
  const { D, lambdas, train, foldOf } = p;
  if (lambdas.length === 0) throw new ValueError('ridge: the λ path is empty');
  lambdas.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`ridge: lambdas[${i}] must be a positive finite number, got ${v}`);
  });
  if (foldOf.length !== train.length) throw new ValueError(`ridge: foldOf has ${foldOf.length} entries for ${train.length} training stimuli`);
  const L = lambdas.length;
  const groups = new Map<string, Group>();
  const out: RidgeSolution[] = new Array(p.nNeurons);
  for (let n = 0; n < p.nNeurons; n++) {
    const idx = train.map((s, i) => (p.valid[s][n] ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) {
      out[n] = { weights: new Float64Array(D).fill(Number.NaN), bias: Number.NaN, lambda: Number.NaN, cvCC: new Float64Array(L).fill(Number.NaN), nTrainStims: 0 };
      continue;
    }
    const key = idx.join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { stims: idx.map((i) => train[i]), folds: idx.map((i) => foldOf[i]), neurons: [] }));
    g.neurons.push(n);
  }
  return { groups: [...groups.values()], out, nFolds: Math.max(...foldOf) + 1 };
}

/** The scoring task of fold k of group g, or null when the fold holds none or all of the group's stimuli. */
function foldTask(p: RidgeProblem, g: Group, all: Sums, k: number): FoldTask | null {
  const held = g.stims.filter((_, i) => g.folds[i] === k);
  if (held.length === 0 || held.length === g.stims.length) return null;
  const hs = sumStats(p.stats, held, g.neurons, p.D);
  const tr = centre(minus(all, hs), p.D);
  const ho = centre(hs, p.D);
  return { D: p.D, m: g.neurons.length, trC: tr.C, trc: tr.c, hoC: ho.C, hoc: ho.c, hovy: ho.vy, lambdas: Float64Array.from(p.lambdas) };
}

/** Sums the folds' scores in fold order, chooses λ per neuron, solves on all the group's stimuli. */
function finishGroup(p: RidgeProblem, g: Group, all: Sums, scores: readonly (FoldScore | null)[], out: RidgeSolution[]): void {
  const { D, lambdas } = p;
  const L = lambdas.length, m = g.neurons.length;
  const ccSum = new Float64Array(m * L), ccCount = new Float64Array(m * L);
  for (const s of scores) {
    if (!s) continue;
    for (let i = 0; i < m * L; i++) {
      ccSum[i] += s.ccSum[i];
      ccCount[i] += s.ccCount[i];
    }
  }
  // Choose λ per neuron, then solve once per distinct chosen λ on all the group's stimuli.
  const full = centre(all, D);
  const chosen = g.neurons.map((_, j) => {
    let best = -1, bestCC = -Infinity;
    for (let li = 0; li < L; li++) {
      const cc = ccCount[j * L + li] > 0 ? ccSum[j * L + li] / ccCount[j * L + li] : Number.NaN;
      if (cc > bestCC) {
        bestCC = cc;
        best = li;
      }
    }
    return best >= 0 ? best : Math.floor(L / 2); // no scorable fold: the path's middle
  });
  for (const li of new Set(chosen)) {
    const js = chosen.map((c, j) => (c === li ? j : -1)).filter((j) => j >= 0);
    const c = new Float64Array(js.length * D);
    js.forEach((j, r) => c.set(full.c.subarray(j * D, (j + 1) * D), r * D));
    let at = li, w: Float64Array | null = null;
    while (at < L && !(w = solvePath(full.C, c, D, [lambdas[at]])[0])) at++;
    if (!w) throw new ValueError(`ridge: the Gram matrix + λ·I is not positive definite even at the largest λ ${lambdas[L - 1]}`);
    js.forEach((j, r) => {
      const weights = w!.slice(r * D, (r + 1) * D);
      let sxw = 0;
      for (let i = 0; i < D; i++) sxw += all.sx[i] * weights[i];
      const cvCC = new Float64Array(L);
      for (let q = 0; q < L; q++) cvCC[q] = ccCount[j * L + q] > 0 ? ccSum[j * L + q] / ccCount[j * L + q] : Number.NaN;
      out[g.neurons[j]] = { weights, bias: (all.sy[j] - sxw) / all.n, lambda: lambdas[at], cvCC, nTrainStims: g.stims.length };
    });
  }
}

/**
 * The CV-chosen ridge solution of every neuron (docs/fit.md), in the calling thread.
 * @throws ValueError on an empty λ path, a non-positive or non-finite λ, or mismatched folds.
 * @example
 * ```ts
 * const sol = ridgePath({ D, nNeurons: N, stats, valid, train, foldOf, lambdas: [0.1, 1, 10] });
 * sol[n].lambda; // the λ with the best mean held-out CC for neuron n
 * ```
 */
export function ridgePath(p: RidgeProblem): RidgeSolution[] {
  const { groups, out, nFolds } = plan(p);
  const total = groups.length * (nFolds + 1);
  let done = 0;
  for (const g of groups) {
    const all = sumStats(p.stats, g.stims, g.neurons, p.D);
    const scores: (FoldScore | null)[] = [];
    for (let k = 0; k < nFolds; k++) {
      const t = foldTask(p, g, all, k);
      scores.push(t && scoreFold(t));
      p.onStep?.(++done, total);
    }
    finishGroup(p, g, all, scores, out);
    p.onStep?.(++done, total);
  }
  return out;
}

/**
 * Runs a fold's scoring somewhere (a worker pool, src/fit/fold-workers.ts) and resolves to
 * exactly what {@link scoreFold} returns for it. It may take ownership of the task's buffers.
 * @example
 * ```ts
 * const inThread: FoldRunner = async (t) => scoreFold(t);
 * ```
 */
export type FoldRunner = (task: FoldTask) => Promise<FoldScore>;

/**
 * {@link ridgePath} with each group's folds scored concurrently by `run`: the same arithmetic,
 * so the same result bit for bit whatever thread scores a fold.
 * @throws ValueError as {@link ridgePath}; whatever `run` rejects with.
 * @example
 * ```ts
 * const pool = await FoldWorkerPool.start(2);
 * try { sol = await ridgePathAsync(problem, (t) => pool.score(t)); } finally { await pool.close(); }
 * ```
 */
export async function ridgePathAsync(p: RidgeProblem, run: FoldRunner): Promise<RidgeSolution[]> {
  const { groups, out, nFolds } = plan(p);
  const total = groups.length * (nFolds + 1);
  let done = 0;
  for (const g of groups) {
    const all = sumStats(p.stats, g.stims, g.neurons, p.D);
    const scores = await Promise.all(
      Array.from({ length: nFolds }, async (_, k) => {
        const t = foldTask(p, g, all, k);
        const s = t && (await run(t));
        p.onStep?.(++done, total);
        return s;
      }),
    );
    finishGroup(p, g, all, scores, out);
    p.onStep?.(++done, total);
  }
  return out;
}
