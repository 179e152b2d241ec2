/**
 * The time-lagged design of a linear STRF (docs/fit.md): feature `f · lags + l` at time t is
 * `x[f, t − l]`, zero before the stimulus starts (each stimulus on its own).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';

/**
 * Checks a `(1, F, T)` spectrogram stimulus and returns `[F, T]`.
 * @throws TypeError when not a tensor; ShapeError when not `(1, F, T)`.
 * @example
 * ```ts
 * const [F, T] = stimDims(ds.stims[0], 'stims[0]');
 * ```
 */
export function stimDims(stim: Tensor, where: string): [number, number] {
  if (!isTensor(stim)) throw new TypeError(`fit: ${where} must be a Tensor, got ${typeof stim}`);
  if (stim.shape.length !== 3 || stim.shape[0] !== 1) {
    throw new ShapeError(`fit: ${where} must be a (1, F, T) spectrogram, got shape (${stim.shape.join(', ')}); waveform datasets need a spectrogram front end`);
  }
  return [stim.shape[1], stim.shape[2]];
}

/**
 * Checks the lag count (a positive integer).
 * @example
 * ```ts
 * checkLags(20); // 20
 * ```
 */
export function checkLags(lags: unknown): number {
  if (typeof lags !== 'number' || !Number.isInteger(lags) || lags < 1) throw new ValueError(`fit: lags must be a positive integer, got ${String(lags)}`);
  return lags;
}

/**
 * Writes the `F · lags` lagged feature rows of one stimulus into `out` (row-major, each row
 * `T` long, starting at row 0): row `f · lags + l` holds `x[f, t − l] − offset[f]`, and
 * `−offset[f]` for `t < l` (the zero before the start, in offset units). Subtracting a constant
 * per band keeps the ridge solution (the intercept absorbs it) and keeps the Gram sums small.
 * @example
 * ```ts
 * const rows = new Float64Array(F * lags * T);
 * laggedRows(stim.data, F, T, lags, new Float64Array(F), rows);
 * ```
 */
export function laggedRows(x: ArrayLike<number>, F: number, T: number, lags: number, offset: Float64Array, out: Float64Array): void {
  for (let f = 0; f < F; f++) {
    const src = f * T, mu = offset[f], pad = 0 - mu; // 0 − 0 is +0
    for (let l = 0; l < lags; l++) {
      const dst = (f * lags + l) * T;
      const head = Math.min(l, T);
      for (let t = 0; t < head; t++) out[dst + t] = pad;
      for (let t = head; t < T; t++) out[dst + t] = x[src + t - l] - mu;
    }
  }
}

/**
 * Linear STRF prediction of one `(F, T)` stimulus (float32 data, row-major):
 * `p(t) = bias + Σ_f Σ_l w[f, l] · x[f, t − l]`, zero input before the start.
 * @param weights `F × lags` row-major.
 * @example
 * ```ts
 * const p = predictStrf(stim.data, F, T, model.weights.subarray(0, F * lags), lags, model.bias[0]);
 * ```
 */
export function predictStrf(x: ArrayLike<number>, F: number, T: number, weights: ArrayLike<number>, lags: number, bias: number): Float64Array {
  const p = new Float64Array(T).fill(bias);
  for (let f = 0; f < F; f++) {
    const src = f * T;
    for (let l = 0; l < lags && l < T; l++) {
      const w = weights[f * lags + l];
      if (w === 0) continue;
      for (let t = l; t < T; t++) p[t] += w * x[src + t - l];
    }
  }
  return p;
}
