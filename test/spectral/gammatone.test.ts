// Gammatone-gram (the `gammatone` package's gtgram and the causal wav2spec front-end): ERB
// spacing by formula, unit gain at each centre frequency (what Slaney's gain normalises),
// frequency selectivity, shapes, causality and errors.
import { describe, expect, it } from 'vitest';
import { Gammatonegram, ValueError, erbCentreFrequencies, gammatonegram, tensor } from '../../src/index.js';
import { noise, sine } from './helpers.js';

describe('erbCentreFrequencies', () => {
  it('starts at fMin, ascends, and is uniform in ln(f + EarQ·minBW)', () => {
    const cf = erbCentreFrequencies(1000, 8000, 50);
    expect(cf[0]).toBeCloseTo(1000, 9);
    const q = 9.26449 * 24.7;
    const step = Math.log(cf[1] + q) - Math.log(cf[0] + q);
    for (let k = 1; k < 50; k++) {
      expect(cf[k]).toBeGreaterThan(cf[k - 1]);
      expect(Math.log(cf[k] + q) - Math.log(cf[k - 1] + q)).toBeCloseTo(step, 10);
    }
    // the top channel is one step below fMax
    expect(Math.log(8000 + q) - Math.log(cf[49] + q)).toBeCloseTo(step, 10);
  });
});

describe('gammatonegram', () => {
  it('a unit sine at a centre frequency has RMS 1/√2 in that channel (unit gain at cf) and less elsewhere', () => {
    const fs = 16000;
    const cf = erbCentreFrequencies(500, 6000, 16);
    for (const k of [2, 9, 14]) {
      const x = sine(fs, cf[k], fs); // 1 s
      const { spec } = gammatonegram(x, { sampleRate: fs, windowMs: 100, hopMs: 100, channels: 16, fMin: 500, fMax: 6000 });
      const cols = spec.shape[1];
      expect(cols).toBe(10);
      const late = (ch: number) => spec.data[ch * cols + 8]; // after the filters' onset transient
      expect(late(k)).toBeCloseTo(Math.SQRT1_2, 2);
      for (let ch = 0; ch < 16; ch++) if (ch !== k) expect(late(ch)).toBeLessThan(late(k));
      expect(late(k - 2)).toBeLessThan(0.5 * late(k));
    }
  });

  it('columns = 1 + ⌊(T − nwin)/hop⌋ with nwin, hop rounded half away from zero', () => {
    // 44.1 kHz, 2.5 ms → 110.25 → 110; hop 5 ms → 220.5 → 221 (half away from zero)
    const { spec } = gammatonegram(noise(5000, 1), { sampleRate: 44100, windowMs: 2.5, hopMs: 5, channels: 4, fMin: 1000, fMax: 8000 });
    expect(spec.shape).toEqual([4, 1 + Math.floor((5000 - 110) / 221)]);
  });
});

describe('Gammatonegram (wav2spec front-end)', () => {
  it('(3, 1, 200·hop) → (3, 1, 50, 200); log1p of the RMS; causal', () => {
    const g = new Gammatonegram({ audioFs: 16000 });
    expect([g.hop, g.nwin, g.outChannels, g.audioFs]).toEqual([80, 40, 50, 16000]);
    const T = 200 * 80;
    const x = noise(3 * T, 2);
    const y = g.forward(tensor('float32', [3, 1, T], x));
    expect(y.shape).toEqual([3, 1, 50, 200]);
    const raw = new Gammatonegram({ audioFs: 16000, compression: 'none' }).forward(tensor('float32', [3, 1, T], x));
    for (let i = 0; i < y.data.length; i += 97) expect(y.data[i]).toBeCloseTo(Math.log1p(raw.data[i]), 6);
    // causality: frame 30 ignores samples ≥ 31·hop
    const a = x.subarray(0, T), b = a.slice();
    for (let i = 31 * 80; i < T; i++) b[i] = 1;
    const ya = g.forward(tensor('float32', [1, 1, T], a.slice())).data, yb = g.forward(tensor('float32', [1, 1, T], b)).data;
    for (let ch = 0; ch < 50; ch++) for (let t = 0; t <= 30; t++) expect(yb[ch * 200 + t]).toBe(ya[ch * 200 + t]);
    expect(yb[10 * 200 + 31]).not.toBe(ya[10 * 200 + 31]);
  });

  it('rejects a window longer than the hop, bad rates and bad inputs', () => {
    expect(() => new Gammatonegram({ audioFs: 16000, windowMs: 10 })).toThrow(/RMS window \(160 samples\) must be between 1 and the hop \(80 samples\)/);
    expect(() => new Gammatonegram({ audioFs: -1 })).toThrow(ValueError);
    const g = new Gammatonegram({ audioFs: 16000 });
    expect(() => g.forward(tensor('float32', [1, 2, 160]))).toThrow(/1 channel/);
    expect(() => g.forward(tensor('float32', [1, 1, 161]))).toThrow(/multiple of hop/);
  });
});
