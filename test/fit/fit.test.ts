// fitStrfs end to end: an exact fit of noiseless linear neurons, ground-truth recovery on the
// SyntheticDataset against its known STRFs and its noise ceiling, λ chosen by CV on constructed
// cases, and typed errors on bad input.
import { describe, expect, it } from 'vitest';
import { fitStrfs } from '../../src/fit/fit.js';
import { predictStrf } from '../../src/fit/design.js';
import { SyntheticDataset, ShapeError, ValueError, full, isSentinel, normalizedCorrcoef, tensor, type Tensor } from '../../src/index.js';
import { Rng } from '../../src/util/random.js';
import { ManualDataset } from '../helpers/fixtures.js';
import { pearson } from './helpers.js';

/** S random (1, F, T) stimuli and neurons y = bias + Σ w x (+ noise), R identical-or-noisy repeats. */
function linearDataset(o: { S: number; F: number; T: number; lags: number; weights: number[][]; bias: number[]; noise?: number; missing?: [number, number][]; seed: number; smooth?: number }) {
  const rng = new Rng(o.seed);
  const stims: Tensor[] = [], responses: Tensor[][] = [];
  for (let s = 0; s < o.S; s++) {
    const x = new Float32Array(o.F * o.T);
    for (let f = 0; f < o.F; f++) {
      let v = 0;
      for (let t = 0; t < o.T; t++) x[f * o.T + t] = v = (o.smooth ?? 0) * v + rng.normal();
    }
    stims.push(tensor('float32', [1, o.F, o.T], x));
    responses.push(o.weights.map((w, n) => {
      if (o.missing?.some(([ms, mn]) => ms === s && mn === n)) return full('float32', [1, 1], Number.NaN);
      const p = predictStrf(x, o.F, o.T, w, o.lags, o.bias[n]);
      const y = new Float32Array(2 * o.T);
      for (let r = 0; r < 2; r++) for (let t = 0; t < o.T; t++) y[r * o.T + t] = p[t] + (o.noise ?? 0) * rng.normal();
      return tensor('float32', [2, o.T], y);
    }));
  }
  return new ManualDataset({ stims, responses, stimMeta: stims.map((_, s) => ({ name: `s${s}` })), nrnMeta: o.weights.map((_, n) => ({ cellId: `n${n}` })) });
}

describe('fitStrfs', () => {
  it('fits noiseless linear neurons exactly (tiny λ), a missing pair included', () => {
    const F = 3, lags = 4, rng = new Rng(7);
    const weights = [0, 1].map(() => Array.from({ length: F * lags }, () => rng.normal()));
    const ds = linearDataset({ S: 10, F, T: 60, lags, weights, bias: [2.5, -1], missing: [[0, 1], [3, 1]], seed: 11 });
    const r = fitStrfs(ds, { lags, lambdas: [1e-10], folds: 2 });
    expect(r.split.rule).toBe('seeded 80/20 (seed 0)');
    expect(r.split.test.length).toBe(2);
    weights.forEach((w, n) => {
      w.forEach((v, i) => expect(Math.abs(r.model.weights[n * F * lags + i] - v), `neuron ${n} weight ${i}`).toBeLessThan(1e-4));
      expect(Math.abs(r.model.bias[n] - [2.5, -1][n])).toBeLessThan(1e-4);
      expect(r.scores.cc[n]).toBeGreaterThan(0.999999);
    });
  });

  it('recovers the SyntheticDataset ground truth STRFs and reaches the noise ceiling', () => {
    const ds = new SyntheticDataset({ seed: 3, nNeurons: 12, nStims: 60, estRepeats: [5, 10], nanFraction: 0 });
    const L = ds.options.lags, F = ds.F;
    const r = fitStrfs(ds, { lags: L });
    expect(r.split.rule).toBe('est/val (stimMeta.subset)');
    // The ceiling: CCnorm of the true expected counts λ(t) on the test stimuli.
    const test = r.split.test, N = ds.getN();
    const T = Math.max(...test.map((s) => ds.stims[s].shape[2]));
    const R = Math.max(...test.flatMap((s) => ds.responses[s].map((c) => c.shape[0])));
    const resp = new Float32Array(test.length * N * R * T).fill(Number.NaN);
    const rate = new Float64Array(test.length * N * T);
    test.forEach((s, b) => {
      const Ts = ds.stims[s].shape[2];
      for (let n = 0; n < N; n++) {
        const c = ds.responses[s][n];
        if (isSentinel(c)) continue;
        for (let q = 0; q < c.shape[0]; q++) resp.set(c.data.subarray(q * Ts, (q + 1) * Ts), ((b * N + n) * R + q) * T);
        rate.set(ds.groundTruth.rates[s].data.subarray(n * Ts, (n + 1) * Ts), (b * N + n) * T);
      }
    });
    const ceiling = normalizedCorrcoef(tensor('float64', [test.length, N, 1, T], rate), tensor('float32', [test.length, N, R, T], resp), { reduction: 'none' }).data;
    let wellDriven = 0;
    r.model.neurons.forEach((n, j) => {
      if (!(ds.groundTruth.snr[n] >= 0.1)) return;
      wellDriven++;
      const fitted = r.model.weights.subarray(j * F * L, (j + 1) * F * L);
      const truth = ds.groundTruth.strf.data.subarray(n * F * L, (n + 1) * F * L);
      expect(pearson(fitted, truth), `neuron ${n}`).toBeGreaterThanOrEqual(0.9);
      // A linear STRF cannot follow the softplus output nonlinearity: within 0.15 of the ceiling.
      expect(r.scores.ccNorm[j], `neuron ${n}`).toBeGreaterThan(ceiling[n] - 0.15);
      expect(r.scores.ccNorm[j], `neuron ${n}`).toBeLessThan(ceiling[n] + 0.05);
    });
    expect(wellDriven).toBeGreaterThanOrEqual(4);
  });

  it('CV picks the smallest λ for a noiseless neuron and a large one for a noisy, under-determined one', () => {
    const F = 8, lags = 5, rng = new Rng(9);
    const w = Array.from({ length: F * lags }, () => rng.normal());
    const lambdas = [1e-4, 1e-2, 1, 1e2, 1e4];
    // Smooth (correlated) stimuli: shrinkage changes the prediction's shape, so CC can tell λs apart.
    const clean = fitStrfs(linearDataset({ S: 10, F, T: 40, lags, weights: [w], bias: [0], seed: 1, smooth: 0.8 }), { lags, lambdas });
    expect(clean.model.lambda[0]).toBeCloseTo(lambdas[0] * clean.lambdaScale, 10);
    // 10 stimuli × 6 bins (48 training bins) for 40 weights, noise 5× the signal: only heavy
    // shrinkage (λ at least the mean eigenvalue trace/D) generalises.
    const noisy = fitStrfs(linearDataset({ S: 10, F, T: 6, lags, weights: [w], bias: [0], noise: 5 * Math.sqrt(F * lags), seed: 2, smooth: 0.8 }), { lags, lambdas });
    expect(noisy.model.lambda[0] / noisy.lambdaScale).toBeGreaterThanOrEqual(1 - 1e-12);
    // The held-out CC at the chosen λ beats the smallest λ's.
    const li = lambdas.findIndex((v) => Math.abs(v * noisy.lambdaScale - noisy.model.lambda[0]) < 1e-9 * noisy.model.lambda[0]);
    expect(noisy.cvCC[li]).toBeGreaterThan(noisy.cvCC[0]);
    expect(noisy.cvCC.length).toBe(lambdas.length);
  });

  it('bad input: typed errors naming the option or the stimulus', () => {
    const ds = new SyntheticDataset({ nNeurons: 3, nStims: 6 });
    expect(() => fitStrfs(ds, { lags: 0 })).toThrow(ValueError);
    expect(() => fitStrfs(ds, { lags: 0 })).toThrow(/lags must be a positive integer, got 0/);
    expect(() => fitStrfs(ds, { lambdas: [1, -2] })).toThrow(/lambdas\[1\] must be a positive finite number, got -2/);
    expect(() => fitStrfs(ds, { lambdas: [] })).toThrow(/lambdas is empty/);
    expect(() => fitStrfs(ds, { folds: 1 })).toThrow(/folds must be an integer ≥ 2, got 1/);
    expect(() => fitStrfs(ds, { neurons: [5] })).toThrow(/neurons\[0\] = 5 is not a neuron index of 0…2/);
    expect(() => fitStrfs(ds, { minSnr: 1e9 })).toThrow(/no neuron to fit \(none has SNR ≥ 1000000000\)/);
    const wave = new SyntheticDataset({ nNeurons: 2, nStims: 6, returnWaveform: true });
    expect(() => fitStrfs(wave)).toThrow(ShapeError);
    expect(() => fitStrfs(wave)).toThrow(/stims\[0\] must be a \(1, F, T\) spectrogram, got shape \(1, \d+\)/);
  });
});
