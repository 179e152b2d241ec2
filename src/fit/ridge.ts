/**
 * Closed-form ridge regression along a λ path with k-fold cross-validation (docs/fit.md).
 * Neurons that heard the same training stimuli form a group and share every factorisation
 * (one Cholesky per λ, all the group's neurons as right-hand sides). Each fold's held-out
 * correlation is computed from the held-out statistics alone: with p = Xw + b,
 * CC = wᵀc_H / sqrt(wᵀC_H w · v_H), C_H, c_H, v_H being the held-out set's centred sums.
 * @module
 */
import { ValueError } from '../errors.js';
import { choleskyPath } from './cholesky.js';
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

/**
 * out[j] = w_jᵀ C w_j for the m rows of W (C symmetric, its lower triangle read):
 * Σ_i w_i (C_ii w_i + 2 Σ_{q<i} C_iq w_q), four rows at a time so each row of C is read once per four.
 */
function quadForms(C: Float64Array, W: Float64Array, m: number, D: number, out: Float64Array): void {
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const a = j * D, b = a + D, c = b + D, d = c + D;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < D; i++) {
      const row = i * D;
      let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let q = 0; q < i; q++) {
        const cq = C[row + q];
        t0 += cq * W[a + q];
        t1 += cq * W[b + q];
        t2 += cq * W[c + q];
        t3 += cq * W[d + q];
      }
      const cii = C[row + i];
      s0 += W[a + i] * (2 * t0 + cii * W[a + i]);
      s1 += W[b + i] * (2 * t1 + cii * W[b + i]);
      s2 += W[c + i] * (2 * t2 + cii * W[c + i]);
      s3 += W[d + i] * (2 * t3 + cii * W[d + i]);
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < m; j++) {
    const a = j * D;
    let s = 0;
    for (let i = 0; i < D; i++) {
      const row = i * D;
      let t0 = 0, t1 = 0, q = 0;
      for (; q + 1 < i; q += 2) {
        t0 += C[row + q] * W[a + q];
        t1 += C[row + q + 1] * W[a + q + 1];
      }
      if (q < i) t0 += C[row + q] * W[a + q];
      s += W[a + i] * (2 * (t0 + t1) + C[row + i] * W[a + i]);
    }
    out[j] = s;
  }
}

/** Solves (C + λI) w_j = c_j for every row j of c and each λ; null where C + λI is not positive definite. */
function solvePath(C: Float64Array, c: Float64Array, D: number, lambdas: readonly number[]): (Float64Array | null)[] {
  const out: (Float64Array | null)[] = [];
  choleskyPath(C, D, lambdas, c, c.length / D, (_, x) => out.push(x && x.slice()));
  return out;
}

/**
 * The CV-chosen ridge solution of every neuron (docs/fit.md).
 * @throws ValueError on an empty λ path, a non-positive or non-finite λ, or mismatched folds.
 * @example
 * ```ts
 * const sol = ridgePath({ D, nNeurons: N, stats, valid, train, foldOf, lambdas: [0.1, 1, 10] });
 * sol[n].lambda; // the λ with the best mean held-out CC for neuron n
 * ```
 */
export function ridgePath(p: RidgeProblem): RidgeSolution[] {
  const { D, lambdas, train, foldOf } = p;
  if (lambdas.length === 0) throw new ValueError('ridge: the λ path is empty');
  lambdas.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`ridge: lambdas[${i}] must be a positive finite number, got ${v}`);
  });
  if (foldOf.length !== train.length) throw new ValueError(`ridge: foldOf has ${foldOf.length} entries for ${train.length} training stimuli`);
  const L = lambdas.length;
  // Group neurons by their set of valid training stimuli.
  const groups = new Map<string, { stims: number[]; folds: number[]; neurons: number[] }>();
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
  const nFolds = Math.max(...foldOf) + 1;
  const total = groups.size * (nFolds + 1);
  let done = 0;
  for (const g of groups.values()) {
    const m = g.neurons.length;
    const all = sumStats(p.stats, g.stims, g.neurons, D);
    const ccSum = new Float64Array(m * L), ccCount = new Float64Array(m * L);
    for (let k = 0; k < nFolds; k++) {
      const held = g.stims.filter((_, i) => g.folds[i] === k);
      if (held.length > 0 && held.length < g.stims.length) {
        const hs = sumStats(p.stats, held, g.neurons, D);
        const tr = centre(minus(all, hs), D);
        const ho = centre(hs, D);
        const vp = new Float64Array(m);
        solvePath(tr.C, tr.c, D, lambdas).forEach((w, li) => {
          if (!w) return;
          quadForms(ho.C, w, m, D, vp);
          for (let j = 0; j < m; j++) {
            let cov = 0;
            for (let i = 0; i < D; i++) cov += w[j * D + i] * ho.c[j * D + i];
            const cc = cov / Math.sqrt(vp[j] * ho.vy[j]);
            if (vp[j] > 1e-12 && ho.vy[j] > 1e-12 && Number.isFinite(cc)) {
              ccSum[j * L + li] += cc;
              ccCount[j * L + li]++;
            }
          }
        });
      }
      p.onStep?.(++done, total);
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
    p.onStep?.(++done, total);
  }
  return out;
}
