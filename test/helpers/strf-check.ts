// Compares a runtime's predictions (B, N, T) with predictStrf over every batch item and neuron.
import { predictStrf, type StrfModel } from '../../src/index.js';

/** Largest |got − predictStrf| over the batch; `stims` is the batch's (B, F, T) stimulus data. */
export function maxDiffToPredictStrf(got: Float32Array, stims: Float32Array, model: StrfModel, B: number, F: number, T: number): number {
  const N = model.neurons.length, FL = F * model.lags;
  let maxDiff = 0;
  for (let b = 0; b < B; b++) {
    const x = stims.subarray(b * F * T, (b + 1) * F * T);
    for (let j = 0; j < N; j++) {
      const ours = predictStrf(x, F, T, model.weights.subarray(j * FL, (j + 1) * FL), model.lags, model.bias[j]);
      for (let t = 0; t < T; t++) maxDiff = Math.max(maxDiff, Math.abs(got[(b * N + j) * T + t] - ours[t]));
    }
  }
  return maxDiff;
}
