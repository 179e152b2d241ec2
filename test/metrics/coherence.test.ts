// deepSTRF's test_metrics 50–52 and values from SciPy 1.17 (`scipy.signal.coherence(x, y,
// fs=100)` with its defaults, on float32-rounded deterministic series cast to float64).
import { describe, expect, it } from 'vitest';
import { coherence, ShapeError, ValueError } from '../../src/index.js';
import { hannPeriodic, mscohere, RealSpectrum } from '../../src/metrics/coherence.js';
import { Rng } from '../../src/util/random.js';
import { f32, randn } from './helpers.js';

/** x_t = sin(0.0137 t²) + cos(0.71 t); y_t = 0.6 x_t + sin(2.3 t + 0.003 t²), rounded to float32. */
function pair(T: number): [Float32Array, Float32Array] {
  const x = Float32Array.from({ length: T }, (_, t) => Math.sin(t * t * 0.0137) + Math.cos(0.71 * t));
  const y = Float32Array.from({ length: T }, (_, t) => 0.6 * x[t] + Math.sin(2.3 * t + t * t * 0.003));
  return [x, y];
}

// [T, bins, mean over bins, C[0], C[5]] printed by SciPy.
const SCIPY: [number, number, number, number, number][] = [
  [1024, 129, 0.38593750797023146, 0.11572230003189075, 0.6803196779199518],
  [700, 129, 0.5014600219310078, 0.7937001827394915, 0.9989378009600671],
  [300, 129, 1.0, 1.0, 1.0000000000000002],
  [257, 129, 1.0, 1.0, 1.0000000000000002],
  [100, 51, 1.0, 0.9999999999999998, 0.9999999999999998],
];

describe('coherence', () => {
  for (const [T, bins, mean, c0, c5] of SCIPY) {
    it(`matches scipy.signal.coherence for T = ${T}`, () => {
      const [x, y] = pair(T);
      const c = mscohere(x, y);
      expect(c.length).toBe(bins);
      expect(c[0]).toBeCloseTo(c0, 6);
      expect(c[5]).toBeCloseTo(c5, 6);
      expect(c.reduce((a, b) => a + b) / c.length).toBeCloseTo(mean, 6);
      const v = coherence(f32([1, 1, 1, T], x), f32([1, 1, 1, T], y), { dtMs: 10 });
      expect(v).toBeCloseTo(mean, 6);
    });
  }

  it('any NaN → ValueError "NaN" (50)', () => {
    const x = f32([1, 1, 1, 8], [1, 2, 3, 4, 5, 6, 7, NaN]);
    const y = f32([1, 1, 1, 8], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => coherence(x, y, { dtMs: 1 })).toThrow(ValueError);
    expect(() => coherence(y, x, { dtMs: 1 })).toThrow(/NaN/);
  });

  it('(1, 4, 1, 256) → (4) (51); self-coherence of noise over 1024 samples > 0.95 (52)', () => {
    const rng = new Rng(61);
    const a = randn(rng, [1, 4, 1, 256]);
    const b = randn(rng, [1, 4, 1, 256]);
    const c = coherence(a, b, { dtMs: 5, reduction: 'none' });
    expect(c.shape).toEqual([4]);
    for (const v of c.data) expect(v).toBeGreaterThanOrEqual(0);
    const n = randn(rng, [2, 3, 1, 1024]);
    expect(coherence(n, n, { dtMs: 10 })).toBeGreaterThan(0.95);
    // Independent noise over 4096 samples (31 segments): low coherence.
    const u = randn(rng, [1, 1, 1, 4096]);
    const w = randn(rng, [1, 1, 1, 4096]);
    expect(coherence(u, w, { dtMs: 1 })).toBeLessThan(0.15);
  });

  it('averages over the batch: per-neuron value = mean of the per-series values', () => {
    const [x1, y1] = pair(1024);
    const [x2, y2] = pair(700);
    const x = f32([2, 1, 1, 700], [...x1.subarray(0, 700), ...x2]);
    const y = f32([2, 1, 1, 700], [...y1.subarray(0, 700), ...y2]);
    const m = (c: Float64Array) => c.reduce((a, b) => a + b) / c.length;
    const want = (m(mscohere(x1.subarray(0, 700), y1.subarray(0, 700))) + 0.5014600219310078) / 2;
    expect(coherence(x, y, { dtMs: 1 })).toBeCloseTo(want, 6);
  });

  it('the FFT matches a direct DFT; the Hann window is periodic', () => {
    const rng = new Rng(62);
    const x = Float64Array.from({ length: 256 }, () => rng.normal());
    const fft = new RealSpectrum(256);
    const re = new Float64Array(129);
    const im = new Float64Array(129);
    fft.transform(x, re, im);
    for (const k of [0, 1, 17, 64, 128]) {
      let sr = 0, si = 0;
      for (let t = 0; t < 256; t++) {
        sr += x[t] * Math.cos((2 * Math.PI * k * t) / 256);
        si -= x[t] * Math.sin((2 * Math.PI * k * t) / 256);
      }
      expect(re[k]).toBeCloseTo(sr, 9);
      expect(im[k]).toBeCloseTo(si, 9);
    }
    const w = hannPeriodic(8);
    expect(w[0]).toBe(0);
    expect(w[4]).toBeCloseTo(1, 15);
    expect(w[2]).toBeCloseTo(0.5, 15);
  });

  it('errors: dtMs, shapes, reduction', () => {
    const x = f32([1, 1, 1, 4], [1, 2, 3, 5]);
    expect(() => coherence(x, x, { dtMs: 0 })).toThrow(/dtMs/);
    expect(() => coherence(x, x, {} as { dtMs: number })).toThrow(/dtMs/);
    expect(() => coherence(x, f32([1, 1, 1, 3], [1, 2, 3]), { dtMs: 1 })).toThrow(ShapeError);
    expect(() => coherence(x, x, { dtMs: 1, reduction: 'avg' as 'mean' })).toThrow(/reduction/);
  });
});
