/**
 * Sahani–Linden signal and noise power and the SNR (docs/metrics.md), length-weighted across stimuli.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { CellWorkspace } from './cell.js';
import { broadcastMask, check4D, checkReduction, reduceOverNeurons, type MaskedMetricOptions } from './masking.js';

/** Options of {@link signalPower}, {@link noisePower} and {@link snr}. */
export type PowerOptions = MaskedMetricOptions;

/** Per-neuron length-weighted SP and NP of a `(B, N, R, T)` block. */
export interface PowerAggregate {
  sp: Float64Array;
  np: Float64Array;
}

/**
 * Streaming accumulator of the length-weighted SP/NP of N neurons over cells (stimuli):
 * SP_n = Σ_b T_v,b · SP_bn / Σ_b T_v,b over qualifying cells (R_v ≥ 2 and T_v ≥ 2).
 */
export class PowerAccumulator {
  private readonly wsp: Float64Array;
  private readonly wnp: Float64Array;
  private readonly w: Float64Array;
  private readonly tmp = new Float64Array(2);
  constructor(readonly nNeurons: number) {
    this.wsp = new Float64Array(nNeurons);
    this.wnp = new Float64Array(nNeurons);
    this.w = new Float64Array(nNeurons);
  }
  /** Adds the cell loaded in `ws` for neuron `n` (ignored unless it qualifies). */
  add(n: number, ws: CellWorkspace): void {
    if (ws.rv < 2 || ws.tv < 2) return;
    ws.powers(this.tmp);
    this.wsp[n] += ws.tv * this.tmp[0];
    this.wnp[n] += ws.tv * this.tmp[1];
    this.w[n] += ws.tv;
  }
  /** Final SP / NP per neuron; NaN where no cell qualified. */
  result(): PowerAggregate {
    const N = this.nNeurons;
    const sp = new Float64Array(N);
    const np = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      sp[n] = this.w[n] > 0 ? this.wsp[n] / this.w[n] : NaN;
      np[n] = this.w[n] > 0 ? this.wnp[n] / this.w[n] : NaN;
    }
    return { sp, np };
  }
}

/** SP / NP per neuron of a `(B, N, R, T)` responses tensor (mask replaces the NaN mask). */
export function powersPerNeuron(responses: Tensor, mask?: Tensor<'bool'>): PowerAggregate {
  const { B, N, R, T } = check4D(responses, 'responses');
  const valid = mask === undefined || mask === null ? null : broadcastMask(mask, responses.shape);
  const ws = new CellWorkspace();
  const acc = new PowerAccumulator(N);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      const base = (b * N + n) * R * T;
      ws.load(responses.data, base, R, T, valid, base);
      acc.add(n, ws);
    }
  }
  return acc.result();
}

/** snr_n = SP_n / max(NP_n, 1e-12) (a noiseless neuron gives a large finite number, as in the reference). */
export function snrFromPowers(sp: Float64Array, np: Float64Array): Float64Array {
  const out = new Float64Array(sp.length);
  // NaN NP stays NaN (Math.max would too); only a finite NP below the floor is clamped.
  for (let n = 0; n < sp.length; n++) out[n] = sp[n] / (np[n] !== np[n] ? NaN : Math.max(np[n], 1e-12));
  return out;
}

/**
 * Sahani–Linden signal power per neuron (docs/metrics.md). Per cell (stimulus b, neuron n) on the
 * valid sub-block (R_v ≥ 2 repeats, T_v ≥ 2 bins; unbiased variances over time):
 * SP_bn = (R_v · var_t(ψ) − mean_r var_t(y_r)) / (R_v − 1); across stimuli the cells are
 * weighted by T_v. NaN for a neuron with no qualifying cell (e.g. R = 1 everywhere).
 * @param responses `(B, N, R, T)` responses (NaN = missing).
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const sp = signalPower(batch.responses, { reduction: 'none' }); // Tensor<'float64'> (N)
 * ```
 */
export function signalPower(responses: Tensor, options: PowerOptions & { reduction: 'none' }): Tensor<'float64'>;
export function signalPower(responses: Tensor, options?: PowerOptions & { reduction?: 'mean' | 'sum' }): number;
export function signalPower(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number;
export function signalPower(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number {
  const reduction = checkReduction(options?.reduction);
  return reduceOverNeurons(powersPerNeuron(responses, options?.mask).sp, reduction);
}

/**
 * Sahani–Linden noise power per neuron (docs/metrics.md): NP_bn = mean_r var_t(y_r) − SP_bn,
 * length-weighted across stimuli like {@link signalPower}.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const np = noisePower(batch.responses, { reduction: 'none' });
 * ```
 */
export function noisePower(responses: Tensor, options: PowerOptions & { reduction: 'none' }): Tensor<'float64'>;
export function noisePower(responses: Tensor, options?: PowerOptions & { reduction?: 'mean' | 'sum' }): number;
export function noisePower(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number;
export function noisePower(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number {
  const reduction = checkReduction(options?.reduction);
  return reduceOverNeurons(powersPerNeuron(responses, options?.mask).np, reduction);
}

/**
 * Signal-to-noise ratio per neuron (docs/metrics.md): SP_n / max(NP_n, 1e-12). A noiseless neuron
 * gets a very large finite number (the reference's documented +∞ is not what its code returns).
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const good = snr(batch.responses, { reduction: 'none' }).data.map((v) => (v > 0.5 ? 1 : 0));
 * ```
 */
export function snr(responses: Tensor, options: PowerOptions & { reduction: 'none' }): Tensor<'float64'>;
export function snr(responses: Tensor, options?: PowerOptions & { reduction?: 'mean' | 'sum' }): number;
export function snr(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number;
export function snr(responses: Tensor, options?: PowerOptions): Tensor<'float64'> | number {
  const reduction = checkReduction(options?.reduction);
  const { sp, np } = powersPerNeuron(responses, options?.mask);
  return reduceOverNeurons(snrFromPowers(sp, np), reduction);
}
