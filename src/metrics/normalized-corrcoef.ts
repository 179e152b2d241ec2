/**
 * Noise-ceiling-normalised correlation CCnorm (docs/metrics.md), Schoppe et al. 2016 or
 * Hsu, Borst & Theunissen 2004.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { ccmaxPerNeuron, checkMaxIters } from './ccmax.js';
import { corrPerNeuron, METRIC_EPS } from './correlation.js';
import {
  check4D, checkReduction, collapseToPsth, fmtShape, reduceOverNeurons, resolveMask, type Dims4, type MaskedMetricOptions,
} from './masking.js';
import { powersPerNeuron } from './power.js';

/** Options of {@link normalizedCorrcoef}. */
export interface NormalizedCorrcoefOptions extends MaskedMetricOptions {
  /** `'schoppe'` (default): cov(p, ψ) / sqrt(var(p) · SP); `'hsu'`: corrcoef(p, ψ) / CCmax. */
  method?: 'schoppe' | 'hsu';
  /** Pair cap of the split-half CCmax used by `'hsu'`. Default 126. */
  ccmaxIters?: number;
}

/**
 * Normalised correlation per neuron (docs/metrics.md). ψ is the NaN-mean PSTH of `responses`;
 * the numerator uses `mask` (or not-NaN(ψ)) while SP / CCmax always use the responses' own NaN
 * mask. When the whole tensor has R = 1 it falls back to `corrcoef(pred, ψ)`; a neuron with fewer
 * than 2 valid repeats inside an R > 1 batch gets NaN (the reference's code, not its prose).
 * `'schoppe'`: cov / sqrt(var_p · SP_n), with unbiased (M − 1) normalisation; NaN if SP_n is not
 * finite or ≤ 0, var_p < 1e-12 or M < 2. `'hsu'`: corrcoef(pred, ψ)_n / CCmax_n.
 * @param pred `(B, N, 1, T)` predictions.
 * @param responses `(B, N, R, T)` responses.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const cc = normalizedCorrcoef(pred, batch.responses, { method: 'hsu', reduction: 'none' });
 * ```
 */
export function normalizedCorrcoef(pred: Tensor, responses: Tensor, options: NormalizedCorrcoefOptions & { reduction: 'none' }): Tensor<'float64'>;
export function normalizedCorrcoef(pred: Tensor, responses: Tensor, options?: NormalizedCorrcoefOptions & { reduction?: 'mean' | 'sum' }): number;
export function normalizedCorrcoef(pred: Tensor, responses: Tensor, options?: NormalizedCorrcoefOptions): Tensor<'float64'> | number;
export function normalizedCorrcoef(pred: Tensor, responses: Tensor, options?: NormalizedCorrcoefOptions): Tensor<'float64'> | number {
  const dp = check4D(pred, 'pred', '(B, N, 1, T)');
  const dr = check4D(responses, 'responses');
  if (dp.R !== 1) {
    throw new ValueError(`pred must have a singleton R-axis (axis 2), got shape ${fmtShape(pred.shape)}`);
  }
  if (dp.B !== dr.B || dp.N !== dr.N || dp.T !== dr.T) {
    throw new ShapeError(
      `pred shape ${fmtShape(pred.shape)} and responses shape ${fmtShape(responses.shape)} must agree on B, N and T`,
    );
  }
  const method = options?.method ?? 'schoppe';
  if (method !== 'schoppe' && method !== 'hsu') {
    throw new ValueError(`method must be 'schoppe' or 'hsu', got ${JSON.stringify(method)}`);
  }
  const reduction = checkReduction(options?.reduction);
  const maxIters = checkMaxIters(options?.ccmaxIters, 'ccmaxIters');
  const psi = collapseToPsth(responses.data, dr);
  const d: Dims4 = { B: dr.B, N: dr.N, R: 1, T: dr.T };
  const valid = resolveMask(psi, [d.B, d.N, 1, d.T], options?.mask);
  const p = pred.data;
  const cc = corrPerNeuron(p, psi, valid, d);
  // Single-trial fallback: only when the whole tensor has R = 1.
  if (dr.R === 1) return reduceOverNeurons(cc, reduction);
  if (method === 'hsu') {
    const ccmax = ccmaxPerNeuron(responses, maxIters);
    for (let n = 0; n < d.N; n++) cc[n] /= ccmax[n];
    return reduceOverNeurons(cc, reduction);
  }
  const { sp } = powersPerNeuron(responses);
  const out = new Float64Array(d.N);
  const { B, N, T } = d;
  for (let n = 0; n < N; n++) {
    let m = 0;
    let sp_ = 0;
    let sg = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * T;
      for (let i = o; i < o + T; i++) {
        if (valid[i]) {
          m++;
          sp_ += p[i];
          sg += psi[i];
        }
      }
    }
    const spn = sp[n];
    if (m < 2 || !Number.isFinite(spn) || spn <= 0) {
      out[n] = NaN;
      continue;
    }
    const mp = sp_ / m;
    const mg = sg / m;
    let cov = 0;
    let vp = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * T;
      for (let i = o; i < o + T; i++) {
        if (valid[i]) {
          const x = p[i] - mp;
          cov += x * (psi[i] - mg);
          vp += x * x;
        }
      }
    }
    cov /= Math.max(m - 1, 1);
    vp /= m - 1;
    out[n] = vp < METRIC_EPS ? NaN : cov / Math.sqrt(vp * spn);
  }
  return reduceOverNeurons(out, reduction);
}
