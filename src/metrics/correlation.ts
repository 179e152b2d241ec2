/**
 * Raw correlation and fraction of variance explained (docs/metrics.md): all valid (b, t)
 * positions of a neuron are pooled into one series (stimuli concatenated, not averaged).
 * @module
 */
import type { Tensor } from '../tensor.js';
import { preparePair, reduceOverNeurons, type Dims4, type MaskedMetricOptions } from './masking.js';

/** Denominator floor of the correlation-type metrics (docs/metrics.md). */
export const METRIC_EPS = 1e-12;

/** Options of {@link corrcoef} and {@link fve}. */
export type CorrcoefOptions = MaskedMetricOptions;

/**
 * Per-neuron Pearson correlation over valid positions: NaN if M < 2 or the denominator < 1e-12.
 * Internal (also used by `normalizedCorrcoef`).
 */
export function corrPerNeuron(p: ArrayLike<number>, g: ArrayLike<number>, valid: Uint8Array, d: Dims4): Float64Array {
  const { B, N, R, T } = d;
  const RT = R * T;
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let m = 0;
    let sp = 0;
    let sg = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * RT;
      for (let i = o; i < o + RT; i++) {
        if (valid[i]) {
          m++;
          sp += p[i];
          sg += g[i];
        }
      }
    }
    if (m < 2) {
      out[n] = NaN;
      continue;
    }
    const mp = sp / m;
    const mg = sg / m;
    let cov = 0;
    let vp = 0;
    let vg = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * RT;
      for (let i = o; i < o + RT; i++) {
        if (valid[i]) {
          const x = p[i] - mp;
          const y = g[i] - mg;
          cov += x * y;
          vp += x * x;
          vg += y * y;
        }
      }
    }
    const den = Math.sqrt(vp * vg);
    out[n] = den < METRIC_EPS ? NaN : cov / den;
  }
  return out;
}

/**
 * Raw correlation coefficient per neuron (docs/metrics.md):
 * ρ_n = Σ(p−p̄)(g−ḡ) / sqrt(Σ(p−p̄)² Σ(g−ḡ)²) over the valid positions of the (PSTH-collapsed) target.
 * NaN when fewer than 2 valid positions or the denominator is below 1e-12 (a constant prediction).
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const gt = tensor('float32', [1, 1, 1, 4], [0, 1, 0, 2]);
 * corrcoef(gt, gt); // 1
 * ```
 */
export function corrcoef(pred: Tensor, target: Tensor, options: CorrcoefOptions & { reduction: 'none' }): Tensor<'float64'>;
export function corrcoef(pred: Tensor, target: Tensor, options?: CorrcoefOptions & { reduction?: 'mean' | 'sum' }): number;
export function corrcoef(pred: Tensor, target: Tensor, options?: CorrcoefOptions): Tensor<'float64'> | number;
export function corrcoef(pred: Tensor, target: Tensor, options?: CorrcoefOptions): Tensor<'float64'> | number {
  const { p, g, valid, d, reduction } = preparePair(pred, target, options);
  return reduceOverNeurons(corrPerNeuron(p, g, valid, d), reduction);
}

/**
 * Fraction of variance explained per neuron (docs/metrics.md): FVE_n = 1 − Σ(p − g)² / Σ(g − ḡ)².
 * NaN when M < 2 or Σ(g − ḡ)² < 1e-12; can be negative; predicting the mean gives 0.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const gt = tensor('float32', [1, 1, 1, 4], [1, -1, 1, -1]);
 * fve(tensor('float32', [1, 1, 1, 4], [0, 0, 0, 0]), gt); // 0
 * ```
 */
export function fve(pred: Tensor, target: Tensor, options: CorrcoefOptions & { reduction: 'none' }): Tensor<'float64'>;
export function fve(pred: Tensor, target: Tensor, options?: CorrcoefOptions & { reduction?: 'mean' | 'sum' }): number;
export function fve(pred: Tensor, target: Tensor, options?: CorrcoefOptions): Tensor<'float64'> | number;
export function fve(pred: Tensor, target: Tensor, options?: CorrcoefOptions): Tensor<'float64'> | number {
  const { p, g, valid, d, reduction } = preparePair(pred, target, options);
  const { B, N, R, T } = d;
  const RT = R * T;
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let m = 0;
    let sg = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * RT;
      for (let i = o; i < o + RT; i++) {
        if (valid[i]) {
          m++;
          sg += g[i];
        }
      }
    }
    if (m < 2) {
      out[n] = NaN;
      continue;
    }
    const mg = sg / m;
    let sse = 0;
    let sst = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * RT;
      for (let i = o; i < o + RT; i++) {
        if (valid[i]) {
          const e = p[i] - g[i];
          const y = g[i] - mg;
          sse += e * e;
          sst += y * y;
        }
      }
    }
    out[n] = sst < METRIC_EPS ? NaN : 1 - sse / sst;
  }
  return reduceOverNeurons(out, reduction);
}
