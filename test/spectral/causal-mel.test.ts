// CausalMelSpectrogram: the wav2spec contract (docs/spectral.md, test_wav2spec items 1, 6–11 for the
// mel front-end), causality, and values against an independent float64 computation.
import { describe, expect, it } from 'vitest';
import { CausalMelSpectrogram, Gammatonegram, ValueError, makeWav2spec, tensor } from '../../src/index.js';
import { dftMag, heldAcrossCalls, htkHz, htkMel, noise } from './helpers.js';

describe('CausalMelSpectrogram', () => {
  it('defaults: 34 bands, hop = round(fs·5/1000), n_fft = 10 ms, fMax clamped to Nyquist', () => {
    const m16 = new CausalMelSpectrogram({ audioFs: 16000 });
    expect([m16.outChannels, m16.hop, m16.win, m16.audioFs, m16.fMin, m16.fMax]).toEqual([34, 80, 160, 16000, 500, 8000]);
    const m48 = new CausalMelSpectrogram({ audioFs: 48000 });
    expect([m48.hop, m48.win, m48.fMax]).toEqual([240, 480, 22627]);
    const m25 = new CausalMelSpectrogram({ audioFs: 16000, winMs: 25 });
    expect(m25.win).toBe(400);
  });

  it('(3, 1, 200·hop) → (3, 1, F, 200) for win 10 and 25 ms at 16 kHz', () => {
    for (const winMs of [10, 25]) {
      const m = new CausalMelSpectrogram({ audioFs: 16000, hopMs: 5, winMs });
      const x = tensor('float32', [3, 1, 200 * m.hop], noise(3 * 200 * m.hop, winMs));
      const y = m.forward(x);
      expect(y.shape).toEqual([3, 1, 34, 200]);
      expect(y.data.every(Number.isFinite)).toBe(true);
    }
  });

  it('forward(x, into) writes the same values into a caller array', () => {
    const m = new CausalMelSpectrogram({ audioFs: 16000 });
    const x = tensor('float32', [2, 1, 40 * 80], noise(2 * 40 * 80, 5));
    const into = new Float32Array(2 * 34 * 40);
    const y = m.forward(x, into);
    expect(y.data).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(m.forward(x).data));
    expect(() => m.forward(x, new Float32Array(5))).toThrow(/out has 5 elements but the result needs 2720/);
  });

  it('is deterministic over repeated calls', () => {
    const m = new CausalMelSpectrogram({ audioFs: 16000 });
    const x = tensor('float32', [2, 1, 40 * 80], noise(2 * 40 * 80, 3));
    const first = m.forward(x).data;
    for (let r = 0; r < 3; r++) expect(m.forward(x).data).toEqual(first);
  });

  it('is causal: frame t does not change when samples ≥ (t+1)·hop change, and does when earlier ones do', () => {
    const m = new CausalMelSpectrogram({ audioFs: 16000, winMs: 25 });
    const hop = m.hop, T = 60 * hop, t0 = 30;
    const a = noise(T, 8);
    const b = a.slice();
    for (let i = (t0 + 1) * hop; i < T; i++) b[i] = -3 * b[i] + 0.5;
    const ya = m.forward(tensor('float32', [1, 1, T], a)).data;
    const yb = m.forward(tensor('float32', [1, 1, T], b)).data;
    for (let band = 0; band < 34; band++) {
      for (let t = 0; t <= t0; t++) expect(yb[band * 60 + t]).toBe(ya[band * 60 + t]);
    }
    let changed = 0;
    for (let band = 0; band < 34; band++) if (yb[band * 60 + t0 + 1] !== ya[band * 60 + t0 + 1]) changed++;
    expect(changed).toBeGreaterThan(20);
    // a change just before (t0+1)·hop reaches frame t0 (the very last sample has symmetric-Hann weight 0)
    const c = a.slice();
    c[(t0 + 1) * hop - 2] += 1;
    const yc = m.forward(tensor('float32', [1, 1, T], c)).data;
    expect(Array.from({ length: 34 }, (_, band) => yc[band * 60 + t0] !== ya[band * 60 + t0]).some(Boolean)).toBe(true);
  });

  it('equals ln(max(Σ fb·|DFT(left-padded frame · symmetric Hann)|, 1e-4)) computed in float64', () => {
    const fs = 16000;
    const m = new CausalMelSpectrogram({ audioFs: fs, nMels: 12, fMin: 300, fMax: 7000 });
    const hop = m.hop, win = m.win, T = 20 * hop;
    const x = noise(T, 12);
    for (let i = 0; i < 3 * hop; i++) x[i] *= 1e-4; // quiet start: exercises the floor
    const y = m.forward(tensor('float32', [1, 1, T], x)).data;
    const padded = new Float64Array(T + win - hop);
    for (let i = 0; i < T; i++) padded[win - hop + i] = x[i];
    const corners = Array.from({ length: 14 }, (_, i) => htkHz(htkMel(300) + ((htkMel(7000) - htkMel(300)) * i) / 13));
    let worst = 0;
    for (let t = 0; t < 20; t++) {
      const frame = Array.from({ length: win }, (_, n) => padded[t * hop + n] * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (win - 1))));
      const mag = dftMag(frame, win / 2 + 1);
      for (let b = 0; b < 12; b++) {
        let acc = 0;
        for (let k = 0; k <= win / 2; k++) {
          const f = (k * (fs / 2)) / (win / 2);
          acc += Math.max(0, Math.min((f - corners[b]) / (corners[b + 1] - corners[b]), (corners[b + 2] - f) / (corners[b + 2] - corners[b + 1]))) * mag[k];
        }
        const expected = Math.log(Math.max(acc, 1e-4));
        worst = Math.max(worst, Math.abs(y[b * 20 + t] - expected) / Math.max(1, Math.abs(expected)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("compressions: 'none' · 'cubic' · 'log1p' · 'log' with an offset · 'power' magnitude", () => {
    const x = tensor('float32', [1, 1, 10 * 80], noise(800, 30));
    const raw = new CausalMelSpectrogram({ audioFs: 16000, compression: 'none' }).forward(x).data;
    const pow = new CausalMelSpectrogram({ audioFs: 16000, compression: 'none', magnitude: 'power' }).forward(x).data;
    const cubic = new CausalMelSpectrogram({ audioFs: 16000, compression: 'cubic' }).forward(x).data;
    const l1p = new CausalMelSpectrogram({ audioFs: 16000, compression: 'log1p' }).forward(x).data;
    const off = new CausalMelSpectrogram({ audioFs: 16000, logOffset: 0.5 }).forward(x).data;
    for (let i = 0; i < raw.length; i++) {
      expect(cubic[i]).toBeCloseTo(Math.cbrt(raw[i]), 5);
      expect(l1p[i]).toBeCloseTo(Math.log1p(raw[i]), 5);
      expect(off[i]).toBeCloseTo(Math.log(raw[i] + 0.5), 5);
    }
    expect(pow.some((v, i) => Math.abs(v - raw[i]) > 1e-3)).toBe(true);
  });

  it('rejects bad configuration and bad inputs with ValueError and the contract messages', () => {
    expect(() => new CausalMelSpectrogram({ audioFs: 0 })).toThrow(ValueError);
    expect(() => new CausalMelSpectrogram({ audioFs: 0 })).toThrow(/audioFs must be positive/);
    expect(() => new CausalMelSpectrogram({ audioFs: 16000, winMs: 4, hopMs: 5 })).toThrow(/winMs \(4\) must be ≥ hopMs \(5\)/);
    const m = new CausalMelSpectrogram({ audioFs: 16000 });
    expect(() => m.forward(tensor('float32', [800]))).toThrow(/expects a tensor \(B, 1, T_audio\), got rank 1/);
    expect(() => m.forward(tensor('float32', [1, 800]))).toThrow(/got rank 2/);
    expect(() => m.forward(tensor('float32', [1, 2, 800]))).toThrow(/expects 1 channel .* got 2 channels/);
    expect(() => m.forward(tensor('float32', [1, 1, 50 * 80 + 1]))).toThrow(ValueError);
    expect(() => m.forward(tensor('float32', [1, 1, 50 * 80 + 1]))).toThrow(/multiple of hop/);
    expect(() => new CausalMelSpectrogram({ audioFs: 16000, compression: 'db' as 'log' })).toThrow(/compression must be/);
  });
});

describe('makeWav2spec (test_wav2spec item 1, non-learnable kinds)', () => {
  it("'mel' at 16 kHz / 5 ms → hop 80, 34 channels; 'Gammatonegram' (any case) → 50 channels", () => {
    const mel = makeWav2spec('mel', 16000, 5);
    expect(mel).toBeInstanceOf(CausalMelSpectrogram);
    expect([mel.hop, mel.outChannels, mel.audioFs]).toEqual([80, 34, 16000]);
    const gt = makeWav2spec('Gammatonegram', 16000, 5, { nFilters: 24 });
    expect(gt).toBeInstanceOf(Gammatonegram);
    expect([gt.hop, gt.outChannels]).toEqual([80, 24]);
    expect(makeWav2spec('MEL', 48000, 5, { nMels: 20 }).outChannels).toBe(20);
  });
  it('unknown and learnable kinds → ValueError', () => {
    expect(() => makeWav2spec('wavelet', 16000, 5)).toThrow(ValueError);
    expect(() => makeWav2spec('wavelet', 16000, 5)).toThrow(/unknown wav2spec kind 'wavelet'/);
    expect(() => makeWav2spec('sincnet', 16000, 5)).toThrow(/not available in deepstrf/);
  });
});

describe('CausalMelSpectrogram memory', () => {
  it('forward called again and again holds no more heap bytes (its filterbank is cached once)', () => {
    const m = new CausalMelSpectrogram({ audioFs: 16000 });
    const x = tensor('float32', [2, 1, 1600]);
    x.data.set(noise(3200, 5));
    const [before, after] = heldAcrossCalls(() => m.forward(x));
    expect(after).toBe(before);
    const [before2, after2] = heldAcrossCalls(() => new CausalMelSpectrogram({ audioFs: 16000 }).forward(x)); // a new instance, same settings
    expect(after2).toBe(before2);
  });
});
