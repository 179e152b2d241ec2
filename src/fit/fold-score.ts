/**
 * The held-out scoring of one (neuron group, CV fold) pair of the ridge path (docs/fit.md):
 * solve the training statistics along the λ path, score each solution on the held-out
 * statistics. A pure function of plain `Float64Array`s, so the calling thread
 * (src/fit/ridge.ts) and the fit workers (workers/fit-worker.ts) run the same arithmetic.
 * @module
 */
import { choleskyPath } from './cholesky.js';

/**
 * One (group, fold) of the ridge path: centred training and held-out statistics of `m` neurons.
 * @example
 * ```ts
 * const t: FoldTask = { D: 2, m: 1, trC, trc, hoC, hoc, hovy, lambdas: new Float64Array([1, 10]) };
 * ```
 */
export interface FoldTask {
  /** Features per neuron. */
  readonly D: number;
  /** Neurons of the group. */
  readonly m: number;
  /** Centred training Gram, `D × D`. */
  readonly trC: Float64Array;
  /** Centred training cross-products, `m × D`. */
  readonly trc: Float64Array;
  /** Centred held-out Gram, `D × D`. */
  readonly hoC: Float64Array;
  /** Centred held-out cross-products, `m × D`. */
  readonly hoc: Float64Array;
  /** Centred held-out response sums of squares, `m`. */
  readonly hovy: Float64Array;
  /** The absolute λ path. */
  readonly lambdas: Float64Array;
}

/**
 * Per neuron and λ (`m × L`), the held-out CC of the fold (`ccSum`, 0 where not scorable) and
 * whether it was scored (`ccCount`, 0 or 1).
 * @example
 * ```ts
 * const { ccSum, ccCount } = scoreFold(task);
 * ```
 */
export interface FoldScore {
  readonly ccSum: Float64Array;
  readonly ccCount: Float64Array;
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

/**
 * Solves (C + λI) w_j = c_j for every row j of c and each λ; null where C + λI is not positive definite.
 * @example
 * ```ts
 * const [w] = solvePath(C, c, D, [10]); // m × D, or null
 * ```
 */
export function solvePath(C: Float64Array, c: Float64Array, D: number, lambdas: ArrayLike<number>): (Float64Array | null)[] {
  const out: (Float64Array | null)[] = [];
  choleskyPath(C, D, Array.from(lambdas), c, c.length / D, (_, x) => out.push(x && x.slice()));
  return out;
}

/**
 * Scores one fold: with p = Xw + b, CC = wᵀc_H / sqrt(wᵀC_H w · v_H) per neuron and λ
 * (src/fit/ridge.ts sums these over folds).
 * @example
 * ```ts
 * const s = scoreFold(task);
 * s.ccCount[j * L + li] === 1; // neuron j was scored at λ index li
 * ```
 */
export function scoreFold(t: FoldTask): FoldScore {
  const { D, m } = t;
  const L = t.lambdas.length;
  const ccSum = new Float64Array(m * L), ccCount = new Float64Array(m * L);
  const vp = new Float64Array(m);
  solvePath(t.trC, t.trc, D, t.lambdas).forEach((w, li) => {
    if (!w) return;
    quadForms(t.hoC, w, m, D, vp);
    for (let j = 0; j < m; j++) {
      let cov = 0;
      for (let i = 0; i < D; i++) cov += w[j * D + i] * t.hoc[j * D + i];
      const cc = cov / Math.sqrt(vp[j] * t.hovy[j]);
      if (vp[j] > 1e-12 && t.hovy[j] > 1e-12 && Number.isFinite(cc)) {
        ccSum[j * L + li] += cc;
        ccCount[j * L + li]++;
      }
    }
  });
  return { ccSum, ccCount };
}

/**
 * What the fit worker (workers/fit-worker.ts) exposes through Comlink.
 * @example
 * ```ts
 * const s = await Comlink.wrap<FitWorkerApi>(handle.endpoint).score(task);
 * ```
 */
export interface FitWorkerApi {
  score(task: FoldTask): FoldScore;
}
