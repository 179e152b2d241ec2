// The Gaussian ERB front-end against a float64 reference written from the formulas (direct DFT
// of periodic-Hann, reflect-padded frames), and hand-checked constants.
import { describe, expect, it } from 'vitest';
import { erbRate, gaussianErbFilterbank, gaussianErbSpectrogram } from '../../src/index.js';
import { heldAcrossCalls, noise } from '../spectral/helpers.js';

describe('gaussianErbSpectrogram', () => {
  it('ERB rate and band centres by hand', () => {
    expect(erbRate(0)).toBe(0);
    expect(erbRate(1000)).toBeCloseTo(21.4 * Math.log10(5.37), 12);
    const fb = gaussianErbFilterbank(2, 1000, 8, 80, 500);
    expect(fb.shape).toEqual([5, 2]);
    // Band 0 is centred on 80 Hz (bw = 24.7·1.3496); bin 1 sits at 125 Hz.
    expect(fb.data[1 * 2]).toBeCloseTo(Math.exp(-(((125 - 80) / (24.7 * (0.00437 * 80 + 1))) ** 2)), 6);
    // Band 1 is centred on 500 Hz = the last bin: weight 1.
    expect(fb.data[4 * 2 + 1]).toBeCloseTo(1, 6);
  });

  it('matches the float64 reference (hop 441, nFft 1024 at 44.1 kHz; and windowMs 5)', () => {
    const sr = 44100, N = 5000;
    const x = Float32Array.from({ length: N }, (_, i) => 0.3 * Math.sin(i * 0.07) + 0.2 * Math.sin(i * 0.9) + 0.05 * Math.cos(i * 2.1));
    for (const windowMs of [null, 5]) {
      const nFft = windowMs === null ? 1024 : 441; // 5 ms: max(round(220.5) = 220, hop 441) = 441 (odd)
      const got = gaussianErbSpectrogram(x, { sampleRate: sr, dtMs: 10, nBands: 8, windowMs });
      const T = 1 + Math.floor(N / 441);
      expect(got.shape).toEqual([8, T]);
      const pad = nFft >> 1;
      const xp = (i: number) => { const j = i - pad; return x[j < 0 ? -j : j >= N ? 2 * N - 2 - j : j]; };
      const e = (f: number) => 21.4 * Math.log10(0.00437 * f + 1);
      for (const t of [0, 3, T - 1]) {
        const pw: number[] = [];
        for (let k = 0; k <= pad; k++) {
          let re = 0, im = 0;
          for (let n = 0; n < nFft; n++) {
            const v = xp(t * 441 + n) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft));
            re += v * Math.cos((2 * Math.PI * k * n) / nFft); im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
          }
          pw.push(re * re + im * im);
        }
        const total = pw.reduce((a, p) => a + p, 0);
        for (let b = 0; b < 8; b++) {
          const fc = (10 ** ((e(80) + ((e(22050) - e(80)) * b) / 7) / 21.4) - 1) / 0.00437;
          const bw = 24.7 * (0.00437 * fc + 1);
          const band = pw.reduce((a, p, k) => a + Math.exp(-((((22050 * k) / pad - fc) / bw) ** 2)) * p, 0);
          // float32 FFT: compare band powers to 1e-5 of the frame's total power (weak bands sit far below it).
          expect(Math.abs(Math.exp(got.data[b * T + t]) - (band + 1e-8))).toBeLessThan(1e-5 * total);
          if (band > 1e-3 * total) expect(got.data[b * T + t]).toBeCloseTo(Math.log(band + 1e-8), 4);
        }
      }
    }
  });
});

describe('gaussianErbSpectrogram memory', () => {
  it('called again and again holds no more heap bytes', () => {
    const wave = noise(4410, 13);
    const [before, after] = heldAcrossCalls(() => gaussianErbSpectrogram(wave, { sampleRate: 44100, dtMs: 10, nBands: 8 }));
    expect(after).toBe(before);
  });
});
