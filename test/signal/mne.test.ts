// MNE-equivalent filtering and resampling against references written here from the
// definitions (direct convolution, direct DFT), plus hand-checked constants.
import { describe, expect, it } from 'vitest';
import {
  ValueError, firwinLowpass, mneFilterKernel, mneFilterLength, mneFirFilter, mneResample, mneResampledLength, mneSmartPad,
  mneTransitionBandwidths,
} from '../../src/index.js';
import { fft64 } from '../../src/signal/fft64.js';

function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
}

/** reflect_limited padding, written independently: 2·x[0] − x[k] on the left, zeros past the signal. */
function padRef(x: ArrayLike<number>, l: number, r: number): number[] {
  const n = x.length, out: number[] = [];
  for (let i = l; i >= 1; i--) out.push(i < n ? 2 * x[0] - x[i] : 0);
  out.push(...Array.from(x));
  for (let i = 1; i <= r; i++) out.push(n - 1 - i >= 0 ? 2 * x[n - 1] - x[n - 1 - i] : 0);
  return out;
}

describe('MNE FIR design', () => {
  it('transition bandwidths and lengths by hand', () => {
    expect(mneTransitionBandwidths(500, 1, null)).toEqual({ low: 1, high: null });
    expect(mneTransitionBandwidths(500, 20, 40)).toEqual({ low: 5, high: 10 });
    expect(mneTransitionBandwidths(100, null, 45)).toEqual({ low: null, high: 5 });
    expect(mneFilterLength(500, 1, null)).toBe(1651); // ceil(3.3·500) = 1650, made odd
    expect(mneFilterLength(500, null, 10)).toBe(165); // 3.3/10·500 = 165, odd already
    expect(mneFilterKernel(500, 1, null).length).toBe(1651);
  });

  it('firwin low-pass: Hamming-windowed sinc, unit DC gain (5 taps at half Nyquist by hand)', () => {
    const h = firwinLowpass(5, 0.5);
    const side = (2 / Math.PI) * 0.54; // sinc(0.5)·w[1]; the outer taps sit on sinc zeros
    const sum = 1 + 2 * side;
    [0, side / sum, 1 / sum, side / sum, 0].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 15));
  });

  it('1 Hz high-pass at 500 Hz: delta − 0.5 Hz low-pass; zero DC gain, unit gain at 10 Hz, symmetric', () => {
    const h = mneFilterKernel(500, 1, null);
    const lp = firwinLowpass(1651, 0.5 / 250);
    expect(h[825]).toBeCloseTo(1 - lp[825], 15);
    expect(h[0]).toBeCloseTo(-lp[0], 15);
    expect(Math.abs(h.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
    for (let k = 0; k < 1651; k++) expect(h[k]).toBeCloseTo(h[1650 - k], 15);
    let re = 0, im = 0;
    h.forEach((v, k) => { re += v * Math.cos((2 * Math.PI * 10 * k) / 500); im += v * Math.sin((2 * Math.PI * 10 * k) / 500); });
    expect(Math.hypot(re, im)).toBeCloseTo(1, 3);
  });

  it('band-pass = low-pass(h) − low-pass(l) at the transition middles', () => {
    const h = mneFilterKernel(500, 1, 40); // N from the 1 Hz transition; 40 Hz edge: trans 10 → 165 taps
    const hi = firwinLowpass(165, 45 / 250), lo = firwinLowpass(1651, 0.5 / 250);
    expect(h[825]).toBeCloseTo(hi[82] - lo[825], 14);
    expect(h[825 - 82]).toBeCloseTo(hi[0] - lo[825 - 82], 14);
    expect(h[0]).toBeCloseTo(-lo[0], 15);
  });

  it('bad frequencies → ValueError', () => {
    expect(() => mneFilterKernel(500, 250, null)).toThrow(ValueError);
    expect(() => mneFilterKernel(500, 30, 20)).toThrow(/lFreq < hFreq/);
  });
});

describe('MNE overlap-add filtering', () => {
  it('equals direct zero-phase convolution of the reflect_limited-padded signal (3 rows, long and short)', () => {
    const h = firwinLowpass(31, 0.2).map((v, i) => v + (i === 15 ? 0.1 : 0));
    for (const n of [300, 10]) {
      const rows = [noise(n, 1), noise(n, 2), noise(n, 3)];
      const data = new Float64Array(3 * n);
      rows.forEach((r, c) => data.set(r, c * n));
      mneFirFilter(data, 3, n, h);
      const edge = Math.min(31, n) - 1;
      rows.forEach((r, c) => {
        const xp = padRef(r, edge, edge);
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let k = 0; k < 31; k++) { const j = i + edge + 15 - k; if (j >= 0 && j < xp.length) acc += h[k] * xp[j]; }
          expect(data[c * n + i]).toBeCloseTo(acc, 12);
        }
      });
    }
  });

  it('smart pad by hand', () => {
    expect(Array.from(mneSmartPad(Float64Array.of(1, 2, 4), 2, 1))).toEqual([-2, 0, 1, 2, 4, 6]);
    expect(Array.from(mneSmartPad(Float64Array.of(1, 2), 3, 0))).toEqual([0, 0, 0, 1, 2]);
  });
});

describe('MNE FFT resampling', () => {
  /** The definition: pad, DFT, scale, inverse real DFT at the new length by its formula, trim. */
  function reference(x: Float64Array, oldFs: number, newFs: number): number[] {
    const n = x.length, ratio = newFs / oldFs;
    const round = (v: number) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 ? r - 1 : r; };
    const finalLen = Math.max(round(ratio * n), 1);
    let L = 1;
    while (L < n + Math.min(Math.floor(n / 8), 100) * 2) L *= 2;
    const p0 = Math.floor((L - n) / 2);
    const xp = padRef(x, p0, L - n - p0);
    const newLen = Math.max(round(ratio * L), 1);
    const X = Array.from({ length: Math.floor(L / 2) + 1 }, (_, k) => {
      let re = 0, im = 0;
      xp.forEach((v, t) => { re += v * Math.cos((2 * Math.PI * k * t) / L); im -= v * Math.sin((2 * Math.PI * k * t) / L); });
      return [re * (newLen / L), im * (newLen / L)];
    });
    const use = Math.min(newLen, L);
    if (use % 2 === 0) X[use / 2] = X[use / 2].map((v) => v * (newLen < L ? 2 : 0.5));
    const y: number[] = [];
    for (let t = 0; t < newLen; t++) {
      let acc = X[0][0];
      for (let k = 1; k < Math.ceil(newLen / 2) && k < X.length; k++) {
        acc += 2 * (X[k][0] * Math.cos((2 * Math.PI * k * t) / newLen) - X[k][1] * Math.sin((2 * Math.PI * k * t) / newLen));
      }
      if (newLen % 2 === 0 && newLen / 2 < X.length) acc += X[newLen / 2][0] * (t % 2 ? -1 : 1);
      y.push(acc / newLen);
    }
    const cut = round(ratio * p0);
    return y.slice(cut, cut + finalLen);
  }

  for (const [n, oldFs, newFs] of [[50, 500, 100], [40, 400, 100], [20, 100, 250], [37, 500, 100]]) {
    it(`${n} samples ${oldFs} → ${newFs} Hz (3 rows) match the definition`, () => {
      const rows = [noise(n, 4), noise(n, 5), noise(n, 6)];
      const data = new Float64Array(3 * n);
      rows.forEach((r, c) => data.set(r, c * n));
      const out = mneResample(data, 3, n, oldFs, newFs);
      expect(out.n).toBe(mneResampledLength(n, newFs / oldFs));
      rows.forEach((r, c) => reference(r, oldFs, newFs).forEach((v, t) => expect(out.data[c * out.n + t]).toBeCloseTo(v, 11)));
    });
  }

  it('keeps a slow sine when ratio·(padded length) is whole; lengths round half to even', () => {
    // 5000 samples pad to 8192, halved exactly to 4096. (At 500 → 100 Hz, round(0.2·8192) = 1638
    // makes the effective ratio 1638/8192: MNE's slight time-scale drift, reproduced.)
    const n = 5000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 3 * i) / 500));
    const y = mneResample(x, 1, n, 500, 250);
    expect(y.n).toBe(2500);
    for (let t = 500; t < 2000; t += 37) expect(y.data[t]).toBeCloseTo(Math.sin((2 * Math.PI * 3 * t) / 250), 3); // leakage of the non-periodic pad above 125 Hz
    expect(mneResampledLength(1001, 0.2)).toBe(200);
    expect(mneResampledLength(1002.5 / 0.5, 0.5)).toBe(1002); // 1002.5 → 1002 (even)
  });

  it('fft64 (radix-2 and Bluestein) against the direct DFT', () => {
    for (const n of [8, 13, 100]) {
      const x = noise(n, n), re = Float64Array.from(x), im = new Float64Array(n);
      fft64(re, im);
      for (const k of [0, 1, n - 1]) {
        let r = 0, i = 0;
        x.forEach((v, t) => { r += v * Math.cos((2 * Math.PI * k * t) / n); i -= v * Math.sin((2 * Math.PI * k * t) / n); });
        expect(re[k]).toBeCloseTo(r, 11);
        expect(im[k]).toBeCloseTo(i, 11);
      }
    }
  });
});
