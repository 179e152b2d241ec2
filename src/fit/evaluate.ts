/**
 * Test-split scores of a fitted linear STRF model (docs/fit.md): per neuron CC (`corrcoef`),
 * CCnorm (`normalizedCorrcoef`, Schoppe), CCmax (`computeNeuronQuality`'s length-weighted
 * split-half CCmax) and SNR (`snr`), all from src/metrics/ on the test stimuli the neuron heard.
 * @module
 */
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { isSentinel } from '../memory/sentinel.js';
import { corrcoef } from '../metrics/correlation.js';
import { normalizedCorrcoef } from '../metrics/normalized-corrcoef.js';
import { snr } from '../metrics/power.js';
import { computeNeuronQuality } from '../metrics/quality.js';
import { tensor } from '../tensor.js';
import { predictStrf } from './design.js';
import type { StrfModel } from './model.js';

/**
 * Per-neuron test scores (arrays follow `model.neurons`).
 * @example
 * ```ts
 * const s: FitScores = evaluateStrf(ds, model, split.test);
 * s.ccNorm[0];
 * ```
 */
export interface FitScores {
  readonly cc: Float64Array;
  readonly ccNorm: Float64Array;
  readonly ccMax: Float64Array;
  readonly snr: Float64Array;
}

/**
 * The model's predicted PSTH for stimulus `s` and the j-th modelled neuron.
 * @example
 * ```ts
 * const p = predictNeuron(ds, model, 0, split.test[0]); // Float64Array of T bins
 * ```
 */
export function predictNeuron(ds: NeuralDataset, model: StrfModel, j: number, s: number): Float64Array {
  const { F, lags } = model;
  const st = ds.stims[s];
  return predictStrf(st.data, F, st.shape[2], model.weights.subarray(j * F * lags, (j + 1) * F * lags), lags, model.bias[j]);
}

/**
 * Scores every modelled neuron on the `test` stimuli: responses and predictions packed into
 * `(B, N, R_max, T_max)` / `(B, N, 1, T_max)` tensors, padding and missing pairs NaN.
 * @example
 * ```ts
 * const { cc, ccNorm } = evaluateStrf(ds, fit.model, fit.split.test);
 * ```
 */
export function evaluateStrf(ds: NeuralDataset, model: StrfModel, test: readonly number[]): FitScores {
  const N = model.neurons.length, B = test.length;
  let R = 1, T = 1;
  for (const s of test) {
    T = Math.max(T, ds.stims[s].shape[2]);
    for (const n of model.neurons) if (!isSentinel(ds.responses[s][n])) R = Math.max(R, ds.responses[s][n].shape[0]);
  }
  const resp = new Float32Array(B * N * R * T).fill(Number.NaN);
  const pred = new Float64Array(B * N * T);
  test.forEach((s, b) => {
    const Ts = ds.stims[s].shape[2];
    model.neurons.forEach((n, j) => {
      const cell = ds.responses[s][n];
      if (isSentinel(cell)) return;
      const Rs = cell.shape[0];
      for (let r = 0; r < Rs; r++) resp.set(cell.data.subarray(r * Ts, (r + 1) * Ts), ((b * N + j) * R + r) * T);
      pred.set(predictNeuron(ds, model, j, s), (b * N + j) * T);
    });
  });
  const responses = tensor('float32', [B, N, R, T], resp);
  const p = tensor('float64', [B, N, 1, T], pred);
  const q = computeNeuronQuality(test.map((s) => model.neurons.map((n) => ds.responses[s][n])), N);
  // A neuron that heard no test stimulus has no score (computeNeuronQuality's CCmax would say 1).
  const ccMax = q.ccmax.data.map((v, j) => (test.some((s) => !isSentinel(ds.responses[s][model.neurons[j]])) ? v : Number.NaN));
  return {
    cc: corrcoef(p, responses, { reduction: 'none' }).data,
    ccNorm: normalizedCorrcoef(p, responses, { method: 'schoppe', reduction: 'none' }).data,
    ccMax,
    snr: snr(responses, { reduction: 'none' }).data,
  };
}
