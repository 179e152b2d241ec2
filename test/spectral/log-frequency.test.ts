// logFrequencySpectrogram (CRCNS-AC1 `_logspectrogram`) against its formula, computed here.
import { describe, expect, it } from 'vitest';
import { ValueError, logFrequencies, logFrequencySpectrogram, tensor } from '../../src/index.js';
import { noise, sine } from './helpers.js';

describe('logFrequencySpectrogram', () => {
  it('has 53 bands for 100–45 000 Hz and 49 for 100–25 600 Hz at 6 per octave', () => {
    expect(logFrequencies(100, 45000).length).toBe(53);
    expect(logFrequencies(100, 25600).length).toBe(49);
    const f = logFrequencies(100, 45000);
    expect(f[6]).toBeCloseTo(200, 9);
    expect(f[52]).toBeCloseTo(100 * 2 ** (52 / 6), 6);
  });

  it('frames = ⌈T/hop⌉, values = 20·log10(|Σ hamming·x·e^{−2πi f n/sr}| + 1e−12) on centred frames', () => {
    const sr = 22050, dt = 5, T = 3000;
    const x = noise(T, 4);
    const { spec, freqs } = logFrequencySpectrogram(x, { sampleRate: sr, dtMs: dt, fMax: 10000 });
    const hop = Math.round((dt * sr) / 1000); // 110.25 → 110
    const W = 220; // round(220.5) in Python (halves to even), where Math.round would give 221
    expect(hop).toBe(110);
    expect(spec.shape).toEqual([freqs.length, Math.ceil(T / hop)]);
    const frames = spec.shape[1];
    const padded = new Float64Array(W / 2 + T + W);
    for (let i = 0; i < T; i++) padded[W / 2 + i] = x[i];
    for (const t of [0, 1, 13, frames - 1]) {
      for (let k = 0; k < freqs.length; k += 5) {
        let re = 0, im = 0;
        for (let n = 0; n < W; n++) {
          const w = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (W - 1));
          const a = (-2 * Math.PI * freqs[k] * n) / sr;
          re += w * padded[t * hop + n] * Math.cos(a);
          im += w * padded[t * hop + n] * Math.sin(a);
        }
        expect(spec.data[k * frames + t]).toBeCloseTo(20 * Math.log10(Math.hypot(re, im) + 1e-12), 3);
      }
    }
  });

  it('a tone at f_k peaks in band k; silence gives −240 dB', () => {
    const sr = 44100;
    const f = logFrequencies();
    const { spec } = logFrequencySpectrogram(tensor('float32', [1, 4410], sine(4410, f[30], sr)), { sampleRate: sr });
    const frames = spec.shape[1];
    const col = Array.from({ length: 53 }, (_, k) => spec.data[k * frames + 10]);
    expect(col.indexOf(Math.max(...col))).toBe(30);
    const silent = logFrequencySpectrogram(new Float32Array(1000), { sampleRate: sr }).spec;
    expect(silent.data.every((v) => Math.abs(v + 240) < 1e-3)).toBe(true);
  });

  it('rejects multi-channel input and bad rates', () => {
    expect(() => logFrequencySpectrogram(tensor('float32', [2, 100]), { sampleRate: 1000 })).toThrow(/wave must be mono/);
    expect(() => logFrequencySpectrogram(new Float32Array(10), { sampleRate: 0 })).toThrow(ValueError);
  });
});
