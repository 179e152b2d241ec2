/**
 * NaN-aware losses (docs/metrics.md): per-neuron means over all valid (b, r, t) positions of
 * a batch, after the auto-PSTH collapse of a multi-repeat target. Values only: this package has
 * no autograd, so the reference's gradient requirements do not apply.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { perNeuronMean, preparePair, reduceOverNeurons, type MaskedMetricOptions } from './masking.js';

/** Options of {@link mseLoss}. */
export type MseLossOptions = MaskedMetricOptions;

/** Options of {@link poissonLoss}. */
export interface PoissonLossOptions extends MaskedMetricOptions {
  /** `pred` holds log-rates: element = exp(p) − g·p. Default false (rates: p − g·ln(max(p, eps) + eps)). */
  logInput?: boolean;
  /** Throw `ValueError` ("negative values") for a negative rate at a valid position. Default false. */
  validateInput?: boolean;
  /** Floor inside the log of rate input. Default 1e-8. */
  eps?: number;
}

/**
 * Mean squared error per neuron: mse_n = (1/M) Σ (p − g)² over the M valid positions
 * (docs/metrics.md). A target with R > 1 is first replaced by its NaN-mean PSTH.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number (NaN-mean / NaN-sum over neurons).
 * @example
 * ```ts
 * const pred = tensor('float32', [1, 2, 1, 4], [0, 0, 0, 0, 0, 0, 0, 0]);
 * const gt = tensor('float32', [1, 2, 1, 4], [1, 1, NaN, NaN, 2, 2, 2, 2]);
 * mseLoss(pred, gt, { reduction: 'none' }).data; // Float64Array [1, 4]
 * ```
 */
export function mseLoss(pred: Tensor, target: Tensor, options: MseLossOptions & { reduction: 'none' }): Tensor<'float64'>;
export function mseLoss(pred: Tensor, target: Tensor, options?: MseLossOptions & { reduction?: 'mean' | 'sum' }): number;
export function mseLoss(pred: Tensor, target: Tensor, options?: MseLossOptions): Tensor<'float64'> | number;
export function mseLoss(pred: Tensor, target: Tensor, options?: MseLossOptions): Tensor<'float64'> | number {
  const { p, g, valid, d, reduction } = preparePair(pred, target, options);
  const el = new Float64Array(valid.length);
  for (let i = 0; i < el.length; i++) {
    if (valid[i]) {
      const r = p[i] - g[i];
      el[i] = r * r;
    }
  }
  return reduceOverNeurons(perNeuronMean(el, valid, d), reduction);
}

/**
 * Poisson negative log-likelihood per neuron without the ln(g!) term (docs/metrics.md).
 * Rate input: element = p − g·ln(max(p, eps) + eps) (a negative rate is clamped inside the log
 * only); log-rate input (`logInput: true`): element = exp(p) − g·p. Per-neuron mean over valid positions.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const pred = tensor('float32', [1, 1, 1, 4], [0.5, 0.5, 0.5, 0.5]);
 * const gt = tensor('float32', [1, 1, 1, 4], [1, 1, NaN, NaN]);
 * poissonLoss(pred, gt); // 0.5 − ln(0.5 + 1e-8)
 * ```
 */
export function poissonLoss(pred: Tensor, target: Tensor, options: PoissonLossOptions & { reduction: 'none' }): Tensor<'float64'>;
export function poissonLoss(pred: Tensor, target: Tensor, options?: PoissonLossOptions & { reduction?: 'mean' | 'sum' }): number;
export function poissonLoss(pred: Tensor, target: Tensor, options?: PoissonLossOptions): Tensor<'float64'> | number;
export function poissonLoss(pred: Tensor, target: Tensor, options?: PoissonLossOptions): Tensor<'float64'> | number {
  const { p, g, valid, d, reduction } = preparePair(pred, target, options);
  const eps = options?.eps ?? 1e-8;
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) {
    throw new ValueError(`eps must be a finite non-negative number, got ${String(eps)}`);
  }
  const logInput = options?.logInput ?? false;
  const el = new Float64Array(valid.length);
  if (logInput) {
    for (let i = 0; i < el.length; i++) if (valid[i]) el[i] = Math.exp(p[i]) - g[i] * p[i];
  } else {
    if (options?.validateInput) {
      for (let i = 0; i < el.length; i++) {
        if (valid[i] && p[i] < 0) {
          throw new ValueError(
            `poissonLoss: pred has negative values at valid positions (first at flat index ${i}: ${p[i]}); ` +
              `pass log-rates with logInput: true or clamp the rates`,
          );
        }
      }
    }
    for (let i = 0; i < el.length; i++) {
      if (valid[i]) el[i] = p[i] - g[i] * Math.log(Math.max(p[i], eps) + eps);
    }
  }
  return reduceOverNeurons(perNeuronMean(el, valid, d), reduction);
}
