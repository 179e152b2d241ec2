// stft / spectrogram against formulas: frame count and padding (torch conventions), Parseval,
// the bin of a pure tone, conjugate symmetry, window placement, and typed errors.
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, spectrogram, stft, tensor } from '../../src/index.js';
import { dftMag, noise, sine } from './helpers.js';

describe('stft', () => {
  it('frame count and shape follow torch: 1 + ⌊(T + 2⌊n/2⌋ − n)/hop⌋ centred, 1 + ⌊(T − n)/hop⌋ not', () => {
    const x = noise(1000, 1);
    expect(stft(x, { nFft: 256, hop: 64 }).shape).toEqual([129, 1 + Math.floor(1000 / 64), 2]);
    expect(stft(x, { nFft: 255, hop: 64 }).shape).toEqual([128, 1 + Math.floor((1000 + 254 - 255) / 64), 2]);
    expect(stft(x, { nFft: 256, hop: 64, center: false }).shape).toEqual([129, 1 + Math.floor((1000 - 256) / 64), 2]);
    expect(stft(x, { nFft: 256 }).shape[1]).toBe(1 + Math.floor(1000 / 64)); // default hop nFft/4
    expect(stft(x, { nFft: 100, onesided: false }).shape).toEqual([100, 1 + Math.floor(1000 / 25), 2]);
    const stereo = tensor('float32', [2, 1000], [...x, ...noise(1000, 2)]);
    expect(stft(stereo, { nFft: 64, hop: 32 }).shape).toEqual([2, 33, 1 + Math.floor(1000 / 32), 2]);
  });

  it('centred reflect padding: frame 0 is the DFT of x[n/2 … 1] ++ x[0 … n/2−1] times the window', () => {
    const x = noise(300, 3);
    const n = 64;
    const X = stft(x, { nFft: n, hop: 16, window: 'rectangular' });
    const frames = X.shape[1];
    const frame0 = Array.from({ length: n }, (_, i) => (i < n / 2 ? x[n / 2 - i] : x[i - n / 2]));
    const mag = dftMag(frame0, n / 2 + 1);
    for (let k = 0; k <= n / 2; k++) {
      const re = X.data[(k * frames) * 2], im = X.data[(k * frames) * 2 + 1];
      expect(Math.hypot(re, im)).toBeCloseTo(mag[k], 4);
    }
    // constant padding: frame 0 is zeros then x[0 … n/2−1]
    const Z = stft(x, { nFft: n, hop: 16, window: 'rectangular', padMode: 'constant' });
    const magZ = dftMag(Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : x[i - n / 2])), n / 2 + 1);
    for (let k = 0; k <= n / 2; k++) expect(Math.hypot(Z.data[k * frames * 2], Z.data[k * frames * 2 + 1])).toBeCloseTo(magZ[k], 4);
  });

  it('Parseval: Σ|X_k|² = N·Σ x² per frame (two-sided, rectangular window), any size', () => {
    for (const n of [512, 480, 441, 160, 97]) {
      const x = noise(3 * n, n);
      const S = spectrogram(x, { nFft: n, hop: n, center: false, window: 'rectangular', onesided: false, power: 2 });
      const frames = S.shape[1];
      for (let t = 0; t < frames; t++) {
        let e = 0;
        for (let i = 0; i < n; i++) e += x[t * n + i] ** 2;
        let s = 0;
        for (let k = 0; k < n; k++) s += S.data[k * frames + t];
        expect(Math.abs(s - n * e) / (n * e)).toBeLessThan(1e-5);
      }
    }
  });

  it('a pure tone on bin k0 peaks at k0 with |X| = A·N/2 (rectangular) and A·N/4 (periodic Hann)', () => {
    for (const [n, k0] of [[512, 37], [480, 12], [441, 100]]) {
      const x = sine(4 * n, k0, n, 0.8); // frequency k0 cycles per n samples
      const rect = spectrogram(x, { nFft: n, hop: n, center: false, window: 'rectangular', power: 1 });
      const hannS = spectrogram(x, { nFft: n, hop: n, center: false, power: 1 });
      const frames = rect.shape[1];
      const col = (S: typeof rect, t: number) => Array.from({ length: S.shape[0] }, (_, k) => S.data[k * frames + t]);
      for (let t = 0; t < frames; t++) {
        const r = col(rect, t), h = col(hannS, t);
        expect(r.indexOf(Math.max(...r))).toBe(k0);
        expect(r[k0]).toBeCloseTo((0.8 * n) / 2, 1);
        expect(h[k0]).toBeCloseTo((0.8 * n) / 4, 1);
        expect(h[k0 + 1]).toBeCloseTo((0.8 * n) / 8, 1); // Hann's neighbouring bin: half of the peak
      }
    }
  });

  it('two-sided output is conjugate-symmetric: X[N−k] = conj X[k]', () => {
    const n = 90;
    const X = stft(noise(400, 9), { nFft: n, hop: 45, onesided: false });
    const frames = X.shape[1];
    for (let t = 0; t < frames; t++) {
      for (let k = 1; k < n; k++) {
        const a = (k * frames + t) * 2, b = ((n - k) * frames + t) * 2;
        expect(X.data[a]).toBeCloseTo(X.data[b], 4);
        expect(X.data[a + 1]).toBeCloseTo(-X.data[b + 1], 4);
      }
    }
  });

  it('winLength < nFft centres the window in the frame (zeros at both ends)', () => {
    // an impulse at frame offset j has |X_k| = w_padded[j] for all k
    const n = 16, wl = 8;
    const x = new Float32Array(n);
    for (const j of [0, 3, 4, 7, 11, 12, 15]) {
      x.fill(0);
      x[j] = 1;
      const S = spectrogram(x, { nFft: n, winLength: wl, hop: n, center: false, power: 1, window: 'rectangular' });
      expect(S.data[0]).toBeCloseTo(j >= 4 && j < 12 ? 1 : 0, 6);
    }
  });

  it('power 2 is the square of power 1, and power 0.5 is its square root', () => {
    const x = noise(800, 4);
    const m = spectrogram(x, { nFft: 128, hop: 64, power: 1 });
    const p = spectrogram(x, { nFft: 128, hop: 64, power: 2 });
    const h = spectrogram(x, { nFft: 128, hop: 64, power: 0.5 });
    for (let i = 0; i < m.data.length; i++) {
      expect(p.data[i]).toBeCloseTo(m.data[i] ** 2, 2);
      expect(h.data[i]).toBeCloseTo(Math.sqrt(m.data[i]), 4);
    }
  });

  it('throws typed errors for bad sizes, hops, windows and too-short signals', () => {
    const x = noise(100, 5);
    expect(() => stft(x, { nFft: 0 })).toThrow(ValueError);
    expect(() => stft(x, { nFft: 0 })).toThrow(/nFft must be a positive integer/);
    expect(() => stft(x, { nFft: 64, hop: 0 })).toThrow(/hop must be a positive integer/);
    expect(() => stft(x, { nFft: 64, winLength: 65 })).toThrow(/winLength must be an integer in \[1, nFft = 64\]/);
    expect(() => stft(x, { nFft: 64, window: new Float32Array(3) })).toThrow(/window has 3 samples but winLength is 64/);
    expect(() => stft(x, { nFft: 256 })).toThrow(/reflect padding of 128 samples needs a signal longer than 128 samples, got 100/);
    expect(() => stft(x, { nFft: 256, center: false })).toThrow(/shorter than nFft = 256/);
    expect(() => stft(x, { nFft: 64, padMode: 'edge' as 'reflect' })).toThrow(/padMode must be 'reflect' or 'constant'/);
    expect(() => spectrogram(x, { nFft: 64, power: 0 })).toThrow(/power must be a positive number/);
    expect(() => stft(tensor('float32', [], [1]), { nFft: 4 })).toThrow(ShapeError);
    expect(() => stft(tensor('int32', [10]), { nFft: 4 })).toThrow(TypeError);
  });
});

describe('the out option', () => {
  it('writes into a caller array (a view of a larger store) and returns it as the tensor data', () => {
    const x = noise(1000, 6);
    const fresh = spectrogram(x, { nFft: 128, hop: 64 });
    const store = new Float32Array(fresh.data.length + 10).fill(7);
    const view = store.subarray(5, 5 + fresh.data.length);
    const S = spectrogram(x, { nFft: 128, hop: 64, out: view });
    expect(S.data).toBe(view);
    expect(Array.from(view)).toEqual(Array.from(fresh.data));
    expect(store[4]).toBe(7);
    expect(store[5 + fresh.data.length]).toBe(7);
    const X = stft(x, { nFft: 100, hop: 50 });
    expect(Array.from(stft(x, { nFft: 100, hop: 50, out: new Float32Array(X.data.length) }).data)).toEqual(Array.from(X.data));
  });
  it('rejects an array of the wrong size', () => {
    expect(() => spectrogram(noise(1000, 6), { nFft: 128, hop: 64, out: new Float32Array(3) })).toThrow(/out has 3 elements but the result needs 1040/);
  });
});
