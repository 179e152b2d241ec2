// computeNeuronQuality (docs/metrics.md): against the reference that really pads each stim to
// (N, R_s, T_s) with NaN, the CCmax fallback, NaN poisoning, and ground truth on synthetic
// responses (noiseless repeats → CCmax 1; known noise → SP ≈ var(signal), NP ≈ σ²).
// The SyntheticDataset-based version of the ground-truth check belongs with the dataset class.
import { describe, expect, it } from 'vitest';
import { computeNeuronQuality, ShapeError, signalPower, snr, ValueError, type Tensor } from '../../src/index.js';
import { neuronQualityRef } from '../../src/reference/metrics.js';
import { Rng } from '../../src/util/random.js';
import { close, f32, varUnbiased } from './helpers.js';

const SENTINEL = f32([1, 1], [NaN]);

/** A ragged dataset: per-stim T, per-cell R, missing cells, NaN repeats. */
function raggedResponses(rng: Rng, S: number, N: number, noise: number): Tensor[][] {
  return Array.from({ length: S }, () => {
    const T = 2 + rng.int(30);
    return Array.from({ length: N }, () => {
      if (rng.next() < 0.15) return SENTINEL;
      const R = 1 + rng.int(9);
      const sig = Array.from({ length: T }, () => rng.normal());
      const x = f32([R, T], Float32Array.from({ length: R * T }, (_, i) => sig[i % T] + noise * rng.normal()));
      if (R > 2 && rng.next() < 0.2) x.data.fill(NaN, 0, T); // a lost repeat
      return x;
    });
  });
}

describe('computeNeuronQuality', () => {
  it('matches the padded-per-stim reference on ragged data (property test)', () => {
    const rng = new Rng(71);
    for (let trial = 0; trial < 8; trial++) {
      const N = 1 + rng.int(6);
      const S = 1 + rng.int(6);
      const responses = raggedResponses(rng, S, N, 0.3 + rng.next() * 2);
      const got = computeNeuronQuality(responses, N);
      const want = neuronQualityRef(responses, N);
      expect(got.snr.shape).toEqual([N]);
      expect(got.ccmax.dtype).toBe('float64');
      for (let n = 0; n < N; n++) {
        expect(close(got.snr.data[n], want.snr[n], 1e-9), `snr n=${n}: ${got.snr.data[n]} vs ${want.snr[n]}`).toBe(true);
        expect(close(got.ccmax.data[n], want.ccmax[n], 1e-9), `ccmax n=${n}`).toBe(true);
      }
    }
  });

  it('noiseless repeats: CCmax 1, SP = var(signal) (length-weighted), NP = 0, snr huge', () => {
    const rng = new Rng(72);
    const Ts = [50, 10];
    const sigs = Ts.map((T) => Float64Array.from({ length: T }, () => rng.normal()));
    const responses = Ts.map((T, s) => [f32([4, T], Float32Array.from({ length: 4 * T }, (_, i) => sigs[s][i % T]))]);
    const q = computeNeuronQuality(responses, 1);
    expect(q.ccmax.data[0]).toBeCloseTo(1, 10);
    expect(q.snr.data[0]).toBeGreaterThan(1e9);
    // The same cells as a (B, N, R, T) batch give SP = (50·var₁ + 10·var₂) / 60.
    const batch = f32([2, 1, 4, 50], new Float32Array(400).fill(NaN));
    for (let r = 0; r < 4; r++) {
      batch.data.set(Float32Array.from(sigs[0]), r * 50);
      batch.data.set(Float32Array.from(sigs[1]), (4 + r) * 50);
    }
    const want = (50 * varUnbiased(Float32Array.from(sigs[0])) + 10 * varUnbiased(Float32Array.from(sigs[1]))) / 60;
    expect(signalPower(batch)).toBeCloseTo(want, 5);
  });

  it('signal + known noise: snr ≈ var(signal) / σ², CCmax ≈ sqrt(s² / (s² + σ²/R))', () => {
    const rng = new Rng(73);
    const R = 8;
    const T = 500;
    const sigma = 1.5;
    const responses = Array.from({ length: 4 }, () => {
      const sig = Array.from({ length: T }, () => rng.normal());
      return [f32([R, T], Float32Array.from({ length: R * T }, (_, i) => sig[i % T] + sigma * rng.normal()))];
    });
    const q = computeNeuronQuality(responses, 1);
    expect(Math.abs(q.snr.data[0] - 1 / sigma ** 2)).toBeLessThan(0.05);
    expect(Math.abs(q.ccmax.data[0] - Math.sqrt(1 / (1 + sigma ** 2 / R)))).toBeLessThan(0.03);
  });

  it('fallback: a neuron with no stim having ≥ 2 valid repeats gets CCmax 1.0 and snr NaN', () => {
    const one = f32([1, 5], [1, 2, 3, 4, 5]);
    const twoNaN = f32([2, 5], [1, 2, 3, 4, 5, NaN, NaN, NaN, NaN, NaN]); // R = 2 but R_v = 1
    const good = f32([2, 5], [1, 2, 3, 4, 5, 1, 3, 3, 4, 6]);
    const q = computeNeuronQuality([[one, SENTINEL, good], [twoNaN, SENTINEL, good]], 3);
    expect(Array.from(q.ccmax.data.subarray(0, 2))).toEqual([1, 1]);
    expect(Number.isNaN(q.snr.data[0])).toBe(true);
    expect(Number.isNaN(q.snr.data[1])).toBe(true);
    expect(Number.isFinite(q.ccmax.data[2])).toBe(true);
  });

  it('NaN from other causes stays NaN: T_v < 2, ρ ≤ 0 everywhere, a NaN inside a real cell', () => {
    const shortCell = f32([3, 1], [1, 2, 3]); // R_v = 3, T_v = 1
    const anti = f32([2, 3], [1, 2, 3, 3, 2, 1]); // ρ = −1
    const holed = f32([2, 4], [1, 2, 3, 4, 2, NaN, 3, 5]);
    const fine = f32([2, 4], [1, 2, 3, 4, 2, 2, 3, 5]);
    const q = computeNeuronQuality([[shortCell, anti, holed], [SENTINEL, SENTINEL, fine]], 3);
    expect(Number.isNaN(q.ccmax.data[0])).toBe(true);
    expect(Number.isNaN(q.ccmax.data[1])).toBe(true);
    expect(Number.isFinite(q.snr.data[1])).toBe(true); // SP of the anti-correlated cell exists (negative)
    expect(Number.isNaN(q.ccmax.data[2])).toBe(true);
    expect(Number.isNaN(q.snr.data[2])).toBe(true);
  });

  it('agrees with snr() on the equivalent NaN-padded batch', () => {
    const rng = new Rng(74);
    const N = 3;
    const responses = raggedResponses(rng, 4, N, 0.8);
    const Rm = Math.max(...responses.flat().map((c) => c.shape[0]));
    const Tm = Math.max(...responses.flat().map((c) => c.shape[1]));
    const batch = f32([4, N, Rm, Tm], new Float32Array(4 * N * Rm * Tm).fill(NaN));
    responses.forEach((row, s) => row.forEach((c, n) => {
      const [R, T] = c.shape;
      for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) batch.data[((s * N + n) * Rm + r) * Tm + t] = c.data[r * T + t];
    }));
    const a = computeNeuronQuality(responses, N).snr.data;
    const b = snr(batch, { reduction: 'none' }).data;
    for (let n = 0; n < N; n++) expect(close(a[n], b[n], 1e-6)).toBe(true);
  });

  it('maxCcmaxIters caps the pairs; bad input gets typed errors', () => {
    const rng = new Rng(75);
    const responses = [[f32([10, 20], Float32Array.from({ length: 200 }, () => rng.normal()))]];
    const full = computeNeuronQuality(responses, 1);
    const one = computeNeuronQuality(responses, 1, { maxCcmaxIters: 1 });
    expect(close(one.ccmax.data[0], neuronQualityRef(responses, 1, 1).ccmax[0], 1e-9)).toBe(true);
    expect(close(full.ccmax.data[0], neuronQualityRef(responses, 1, 126).ccmax[0], 1e-9)).toBe(true);
    expect(() => computeNeuronQuality(responses, 1, { maxCcmaxIters: 0 })).toThrow(ValueError);
    expect(() => computeNeuronQuality(responses, 2)).toThrow(ShapeError);
    expect(() => computeNeuronQuality(responses, 2)).toThrow(/responses\[0\]/);
    expect(() => computeNeuronQuality([[f32([2, 2, 2], new Float32Array(8))]], 1)).toThrow(/responses\[0\]\[0\].*\(R, T\)/);
  });
});
