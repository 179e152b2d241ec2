/**
 * How close fitted STRFs are to a {@link SyntheticDataset}'s ground truth (docs/fit.md).
 * @module
 */
import type { SyntheticDataset } from '../zoo/synthetic.js';
import type { StrfModel } from './model.js';

/**
 * Pearson correlation of each modelled neuron's fitted `(F, lags)` STRF with its ground-truth
 * `(F, L)` STRF, both zero-padded to `max(lags, L)` lags; NaN for an unfitted neuron.
 * @example
 * ```ts
 * const r = strfTruthCorrelation(ds, fit.model); // one value per modelled neuron
 * ```
 */
export function strfTruthCorrelation(ds: SyntheticDataset, model: StrfModel): Float64Array {
  const { F, lags } = model;
  const L = ds.groundTruth.strf.shape[2];
  const K = Math.max(lags, L);
  const truth = ds.groundTruth.strf.data;
  return Float64Array.from(model.neurons, (n, j) => {
    const a = new Float64Array(F * K), b = new Float64Array(F * K);
    for (let f = 0; f < F; f++) {
      for (let l = 0; l < lags; l++) a[f * K + l] = model.weights[(j * F + f) * lags + l];
      for (let l = 0; l < L; l++) b[f * K + l] = truth[(n * F + f) * L + l];
    }
    const m = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    const ma = m(a), mb = m(b);
    let c = 0, va = 0, vb = 0;
    for (let i = 0; i < a.length; i++) {
      c += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) ** 2;
      vb += (b[i] - mb) ** 2;
    }
    return c / Math.sqrt(va * vb);
  });
}
