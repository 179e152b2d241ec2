// The AC1 repeat pipeline's SciPy/NumPy equivalents, on values worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  applyRamp, binRepeats, gateRepeats, gaussianFilterReflect, medgaussDetrend, medianFilterReflect, AC1_DEFAULT_GATING,
} from '../../../src/index.js';
import { Rng } from '../../../src/util/random.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('medianFilterReflect (scipy.ndimage.median_filter, mode reflect)', () => {
  it('odd size: windows over d c b a | a b c d | d c b a', () => {
    // [1 | 1 9 2 8 3 | 3]: medians of [1,1,9] [1,9,2] [9,2,8] [2,8,3] [8,3,3].
    expect(Array.from(medianFilterReflect(f64([1, 9, 2, 8, 3]), 3))).toEqual([1, 2, 8, 3, 3]);
  });
  it('even size: window [i − size/2, i + size/2), the upper of the two middle values', () => {
    // size 2: [x(i−1), x(i)] with x(−1) = x(0); rank 1 is the larger.
    expect(Array.from(medianFilterReflect(f64([1, 9, 2, 8, 3]), 2))).toEqual([1, 9, 9, 8, 8]);
    // size 4: window [i−2, i+2) over [9 1 | 1 9 2 8 3 | 3 8]: rank 2 of [1 1 9 9] [1 1 2 9] [1 2 8 9] [2 3 8 9] [2 3 3 8].
    expect(Array.from(medianFilterReflect(f64([1, 9, 2, 8, 3]), 4))).toEqual([9, 2, 8, 8, 3]);
  });
  it('size 1 is the identity; a window longer than the signal reflects repeatedly', () => {
    expect(Array.from(medianFilterReflect(f64([3, 1, 2]), 1))).toEqual([3, 1, 2]);
    // n = 2, size 5: i = 0 reads indices −2..2 → 1 0 0 1 1 → [2 1 1 2 2] → rank 2 = 2;
    // i = 1 reads −1..3 → 0 0 1 1 0 → [1 1 2 2 1] → 1.
    expect(Array.from(medianFilterReflect(f64([1, 2]), 5))).toEqual([2, 1]);
  });
  it('the sliding window agrees with sorting every window (seeded random signals and sizes)', () => {
    const rng = new Rng(7);
    const rnd = () => rng.next();
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rnd() * 60), size = 1 + Math.floor(rnd() * 25);
      const x = Float64Array.from({ length: n }, () => Math.round(rnd() * 10) - 5);
      const refl = (i: number) => { const p = 2 * n; let m = ((i % p) + p) % p; return m < n ? m : p - 1 - m; };
      const want = Array.from({ length: n }, (_, i) => {
        const w = Array.from({ length: size }, (_, k) => x[refl(i - Math.floor(size / 2) + k)]).sort((a, b) => a - b);
        return w[Math.floor(size / 2)];
      });
      expect(Array.from(medianFilterReflect(x, size))).toEqual(want);
    }
  });
});

describe('gaussianFilterReflect (scipy.ndimage.gaussian_filter1d, truncate 4)', () => {
  const Z = 1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5) + Math.exp(-8));
  it('an impulse gives the normalised kernel (radius int(4σ + 0.5) = 4 at σ = 1)', () => {
    const out = gaussianFilterReflect(f64([0, 0, 0, 0, 1, 0, 0, 0, 0]), 1);
    expect(out[4]).toBeCloseTo(1 / Z, 12);
    expect(out[3]).toBeCloseTo(Math.exp(-0.5) / Z, 12);
    expect(out[0]).toBeCloseTo(Math.exp(-8) / Z, 12);
  });
  it('reflects at the edges: [1, 0, 0] at i = 0 collects the taps −1 and 0', () => {
    expect(gaussianFilterReflect(f64([1, 0, 0]), 1)[0]).toBeCloseTo((1 + Math.exp(-0.5)) / Z, 12);
  });
});

describe('medgaussDetrend, gateRepeats, binRepeats, applyRamp', () => {
  it('a constant trace detrends to 0; a narrow pulse survives', () => {
    const x = new Float64Array(400).fill(-60);
    for (let i = 100; i < 110; i++) x[i] = -50;
    const d = medgaussDetrend(x, 4000, 100, 10);
    expect(d[50]).toBeCloseTo(0, 10);
    expect(d[105]).toBeCloseTo(10, 10);
  });
  it('range is tested first: max |x| > 150 mV', () => {
    const c = { range: 0, step: 0, xcorr: 0, kept: 0 };
    const flat = new Float64Array(800).fill(-60);
    const sat = Float64Array.from(flat, (v, i) => (i === 400 ? 100 : v)); // +160 mV after detrending
    expect(gateRepeats([flat, sat], 4000, { medMs: 100, gaussMs: 10, gating: AC1_DEFAULT_GATING }, c)).toHaveLength(1);
    expect(c).toEqual({ range: 1, step: 0, xcorr: 0, kept: 1 });
  });
  it('binning: blocks of round(dt·sf/1000), trailing partial block dropped, short repeat → its mean, truncation to the shortest', () => {
    expect(binRepeats([f64([1, 3, 5, 7, 9])], 4000, 0.5)).toEqual({ R: 1, T: 2, data: Float32Array.from([2, 6]) });
    // b = round(2.5) = 2 (half to even).
    expect(binRepeats([f64([1, 3, 5, 7])], 1000, 2.5)!.T).toBe(2);
    expect(binRepeats([f64([1, 3, 5, 7]), f64([4])], 4000, 0.5)).toEqual({ R: 2, T: 1, data: Float32Array.from([2, 4]) });
    expect(binRepeats([f64([1, 3]), f64([])], 4000, 0.5)).toBeNull();
  });
  it('applyRamp: n = round(5·sf/1000) capped at half the segment', () => {
    const r = applyRamp(new Float64Array(6).fill(1), 1000); // n = min(5, 3) = 3: sin²(30°·k)
    [0, 0.25, 0.75, 0.75, 0.25, 0].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 12));
    expect(Array.from(applyRamp(f64([2]), 1000))).toEqual([2]);
  });
});

describe('gaussianFilterReflect: the FFT path (large σ) equals the direct sum', () => {
  it('σ = 40 and σ = 100 on a seeded signal, within 1e-9 of Σ w[k]·x[reflect(i + k)]', () => {
    const rng = new Rng(3);
    for (const [n, sigma] of [[1000, 40], [900, 100], [150, 100]] as const) {
      const x = Float64Array.from({ length: n }, () => rng.next() * 10 - 65);
      const radius = Math.trunc(4 * sigma + 0.5);
      const w = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp((-0.5 * (k - radius) ** 2) / sigma ** 2));
      const Z = w.reduce((a, v) => a + v, 0);
      const refl = (i: number) => { const p = 2 * n; const m = ((i % p) + p) % p; return m < n ? m : p - 1 - m; };
      const got = gaussianFilterReflect(x, sigma);
      for (const i of [0, 1, radius, Math.floor(n / 2), n - 2, n - 1].filter((j) => j < n)) {
        let want = 0;
        for (let k = 0; k <= 2 * radius; k++) want += (w[k] / Z) * x[refl(i - radius + k)];
        expect(Math.abs(got[i] - want)).toBeLessThan(1e-9);
      }
    }
  });
});
