// deepSTRF's test_metrics 39–44 and independent checks of docs/metrics.md: hand-computed SP / NP,
// length-weighted vs equal-weight aggregation, ground truth from noiseless and noisy repeats.
import { describe, expect, it } from 'vitest';
import { noisePower, signalPower, snr, ShapeError, ValueError } from '../../src/index.js';
import { Rng } from '../../src/util/random.js';
import { bool, f32, f64, repeatedSignal, varUnbiased } from './helpers.js';

describe('signalPower / noisePower / snr', () => {
  it('hand example (NumPy): 3 repeats × 4 bins → SP 5/3, NP 7/9', () => {
    const y = f64([1, 1, 3, 4], [1, 2, 3, 4, 2, 2, 4, 4, 0, 3, 2, 5]);
    expect(signalPower(y)).toBeCloseTo(1.6666666666666663, 12);
    expect(noisePower(y)).toBeCloseTo(0.7777777777777779, 12);
    expect(snr(y)).toBeCloseTo(1.6666666666666663 / 0.7777777777777779, 12);
    const y4 = f64([1, 1, 4, 5], [1, 2, 4, 3, 0, 2, 2, 5, 3, 1, 0, 3, 3, 4, 1, 1, 1, 4, 2, 0]);
    expect(signalPower(y4)).toBeCloseTo(1.9166666666666663, 12);
    expect(noisePower(y4)).toBeCloseTo(0.5333333333333339, 12);
  });

  it('4 identical repeats: SP = var(signal) (39), NP = 0 (40), snr huge but finite', () => {
    const rng = new Rng(21);
    const { responses, signals } = repeatedSignal(rng, 2, 3, 4, 50, 0);
    const sp = signalPower(responses, { reduction: 'none' }).data;
    const np = noisePower(responses, { reduction: 'none' }).data;
    for (let n = 0; n < 3; n++) {
      // Same T on both stims: the length-weighted mean is the plain mean of the two variances.
      const expected = (varUnbiased(Float32Array.from(signals[0][n])) + varUnbiased(Float32Array.from(signals[1][n]))) / 2;
      expect(Math.abs(sp[n] - expected)).toBeLessThan(1e-4);
      expect(Math.abs(np[n])).toBeLessThan(1e-6);
    }
    const s = snr(responses, { reduction: 'none' }).data;
    for (const v of s) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(1e5);
    }
  });

  it('R = 1 → all NaN (41); mean over all-NaN neurons is NaN, sum is 0', () => {
    const rng = new Rng(22);
    const { responses } = repeatedSignal(rng, 2, 3, 1, 20, 0.1);
    const sp = signalPower(responses, { reduction: 'none' }).data;
    expect(Array.from(sp).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(signalPower(responses))).toBe(true);
    expect(signalPower(responses, { reduction: 'sum' })).toBe(0);
    expect(Number.isNaN(snr(responses))).toBe(true);
  });

  it('2 of 4 repeats NaN → SP finite and equal to the 2-repeat value (42)', () => {
    const rng = new Rng(23);
    const { responses } = repeatedSignal(rng, 1, 1, 4, 30, 0.3);
    const two = f32([1, 1, 2, 30], responses.data.slice(0, 60));
    for (let i = 60; i < 120; i++) responses.data[i] = NaN;
    const sp = signalPower(responses);
    expect(Number.isFinite(sp)).toBe(true);
    expect(sp).toBeCloseTo(signalPower(two), 12);
  });

  it('is length-weighted across stims: T = 400 (σ = 2) and T = 20 (σ = 0.1, NaN-padded) (43)', () => {
    const rng = new Rng(24);
    const T = 400;
    const R = 4;
    const sigA = Float64Array.from({ length: T }, () => 2 * rng.normal());
    const sigB = Float64Array.from({ length: 20 }, () => 0.1 * rng.normal());
    const x = f32([2, 1, R, T], new Float32Array(2 * R * T).fill(NaN));
    for (let r = 0; r < R; r++) {
      for (let t = 0; t < T; t++) x.data[r * T + t] = sigA[t] + 0.01 * rng.normal();
      for (let t = 0; t < 20; t++) x.data[(R + r) * T + t] = sigB[t] + 0.01 * rng.normal();
    }
    const vA = varUnbiased(sigA);
    const vB = varUnbiased(sigB);
    const weighted = (400 * vA + 20 * vB) / 420;
    const equal = (vA + vB) / 2;
    const sp = signalPower(x);
    expect(Math.abs(sp - weighted)).toBeLessThan(0.1);
    expect(Math.abs(sp - equal)).toBeGreaterThan(1);
  });

  it('noise σ = 0.05 on a unit signal → snr > 50 (44); noisy ground truth SP ≈ var(signal), NP ≈ σ²', () => {
    const rng = new Rng(25);
    const small = repeatedSignal(rng, 2, 2, 4, 100, 0.05).responses;
    for (const v of snr(small, { reduction: 'none' }).data) expect(v).toBeGreaterThan(50);
    // Larger sample: 1 stim, 20 repeats, 4000 bins, σ = 0.7.
    const { responses, signals } = repeatedSignal(rng, 1, 1, 20, 4000, 0.7);
    const sp = signalPower(responses);
    const np = noisePower(responses);
    expect(Math.abs(sp - varUnbiased(signals[0][0]))).toBeLessThan(0.03);
    expect(Math.abs(np - 0.49)).toBeLessThan(0.02);
  });

  it('a NaN inside a qualifying sub-block poisons the neuron (reference behaviour)', () => {
    const rng = new Rng(26);
    const { responses } = repeatedSignal(rng, 2, 2, 3, 10, 0.5);
    responses.data[((1 * 2 + 0) * 3 + 1) * 10 + 4] = NaN; // (b1, n0, r1, t4), bin still valid elsewhere
    const sp = signalPower(responses, { reduction: 'none' }).data;
    expect(Number.isNaN(sp[0])).toBe(true);
    expect(Number.isFinite(sp[1])).toBe(true);
  });

  it('a user mask replaces the NaN mask (selects repeats / bins)', () => {
    const rng = new Rng(27);
    const { responses } = repeatedSignal(rng, 1, 1, 4, 12, 0.5);
    const m = bool([1, 1, 4, 1], [1, 1, 0, 0]);
    const two = f32([1, 1, 2, 12], responses.data.slice(0, 24));
    expect(signalPower(responses, { mask: m })).toBeCloseTo(signalPower(two), 12);
    expect(noisePower(responses, { mask: m })).toBeCloseTo(noisePower(two), 12);
  });

  it('errors: wrong rank, bad reduction, bad mask', () => {
    const x = f32([2, 3, 4], new Float32Array(24));
    expect(() => signalPower(x)).toThrow(ShapeError);
    expect(() => signalPower(x)).toThrow(/expected 4-D/);
    const y = f32([1, 1, 2, 3], new Float32Array(6));
    expect(() => snr(y, { reduction: 'MEAN' as 'mean' })).toThrow(ValueError);
    expect(() => snr(y, { mask: y as never })).toThrow(/bool/);
  });
});
