// Mel filterbank against the HTK / Slaney formulas, and melSpectrogram against an independent
// float64 pipeline (direct DFT → |X|² → triangles written out here).
import { describe, expect, it } from 'vitest';
import { ValueError, WasmHeap, hzToMel, melFilterbank, melSpectrogram, melToHz, spectrogram, tensor } from '../../src/index.js';
import { heapFilterbank } from '../../src/spectral/mel.js';
import { dftMag, heldAcrossCalls, htkHz, htkMel, noise } from './helpers.js';

describe('mel scales', () => {
  it('HTK: 2595·log10(1 + f/700); Slaney: f/(200/3) below 1 kHz, 15 + 27·ln(f/1000)/ln 6.4 above', () => {
    for (const f of [0, 100, 700, 1000, 4000, 22050]) {
      expect(hzToMel(f)).toBeCloseTo(htkMel(f), 9);
      expect(melToHz(hzToMel(f))).toBeCloseTo(f, 6);
      expect(melToHz(hzToMel(f, 'slaney'), 'slaney')).toBeCloseTo(f, 6);
    }
    expect(hzToMel(500, 'slaney')).toBeCloseTo(7.5, 12);
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12);
    expect(hzToMel(6400, 'slaney')).toBeCloseTo(15 + 27, 10);
  });
});

describe('melFilterbank', () => {
  it('triangle corners sit at the HTK mel-spaced frequencies: 1 at the centre, 0 at both feet', () => {
    // 1 Hz bins (sampleRate 16000, nFreqs 8001) so each corner frequency is bracketed closely.
    const nMels = 10, fMin = 300, fMax = 7000;
    const fb = melFilterbank({ nFreqs: 8001, fMin, fMax, nMels, sampleRate: 16000 });
    expect(fb.shape).toEqual([8001, nMels]);
    const corners = Array.from({ length: nMels + 2 }, (_, i) => htkHz(htkMel(fMin) + ((htkMel(fMax) - htkMel(fMin)) * i) / (nMels + 1)));
    for (let m = 0; m < nMels; m++) {
      const [lo, mid, hi] = [corners[m], corners[m + 1], corners[m + 2]];
      const w = (f: number) => fb.data[f * nMels + m];
      // the weight at an integer frequency f is the triangle's value there
      for (const f of [Math.ceil(lo), Math.floor(mid), Math.ceil(mid), Math.floor(hi), Math.round((lo + mid) / 2)]) {
        const expected = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
        expect(w(f)).toBeCloseTo(expected, 5);
      }
      expect(w(Math.floor(lo))).toBe(0);
      expect(w(Math.ceil(hi))).toBe(0);
      expect(Math.max(...Array.from({ length: 8001 }, (_, f) => w(f)))).toBeGreaterThan(1 - 1 / (mid - lo));
    }
  });

  it("Slaney norm gives each triangle unit area in Hz (Σ w·Δf = 1)", () => {
    const fb = melFilterbank({ nFreqs: 16001, fMin: 50, fMax: 7500, nMels: 24, sampleRate: 16000, norm: 'slaney', melScale: 'slaney' });
    for (let m = 0; m < 24; m++) {
      let area = 0;
      for (let i = 0; i < 16001; i++) area += fb.data[i * 24 + m] * 0.5; // Δf = 8000/16000 Hz
      expect(area).toBeCloseTo(1, 3);
    }
  });

  it('bin frequencies are linspace(0, ⌊sr/2⌋, nFreqs) (torchaudio), so an odd rate floors Nyquist', () => {
    // sr 11025 → bins at 0 and 5512 Hz (not 5512.5).
    const fb = melFilterbank({ nFreqs: 2, fMin: 0, fMax: 11024, nMels: 1, sampleRate: 11025 });
    // bins at 0 and 5512 Hz; the single band's centre is melToHz(mel(11024)/2)
    const centre = htkHz(htkMel(11024) / 2);
    expect(fb.data[1]).toBeCloseTo(Math.min(5512 / centre, (11024 - 5512) / (11024 - centre)), 6);
  });

  it('rejects bad arguments with ValueError', () => {
    const base = { nFreqs: 10, fMin: 0, fMax: 100, nMels: 4, sampleRate: 1000 };
    expect(() => melFilterbank({ ...base, fMax: 0 })).toThrow(/need 0 ≤ fMin < fMax/);
    expect(() => melFilterbank({ ...base, nMels: 0 })).toThrow(ValueError);
    expect(() => melFilterbank({ ...base, melScale: 'bark' as 'htk' })).toThrow(/melScale must be 'htk' or 'slaney'/);
    expect(() => melFilterbank({ ...base, norm: 'area' as 'slaney' })).toThrow(/norm must be 'slaney' or null/);
  });
});

describe('melSpectrogram', () => {
  it('matches a float64 pipeline with torchaudio defaults (n_fft 400, hop 200, periodic Hann, reflect, power 2, HTK)', () => {
    const sr = 16000, T = 2000;
    const x = noise(T, 21);
    const M = melSpectrogram(x, { sampleRate: sr, nMels: 20 });
    const frames = 1 + Math.floor(T / 200);
    expect(M.shape).toEqual([20, frames]);
    const padded = new Float64Array(T + 400);
    for (let i = 0; i < T; i++) padded[200 + i] = x[i];
    for (let i = 0; i < 200; i++) { padded[199 - i] = x[i + 1]; padded[200 + T + i] = x[T - 2 - i]; }
    const corners = Array.from({ length: 22 }, (_, i) => htkHz((htkMel(8000) * i) / 21));
    for (const t of [0, 3, frames - 1]) {
      const frame = Array.from({ length: 400 }, (_, n) => padded[t * 200 + n] * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 400)));
      const mag = dftMag(frame, 201);
      for (let m = 0; m < 20; m++) {
        let acc = 0;
        for (let k = 0; k < 201; k++) {
          const f = (8000 * k) / 200;
          const w = Math.max(0, Math.min((f - corners[m]) / (corners[m + 1] - corners[m]), (corners[m + 2] - f) / (corners[m + 2] - corners[m + 1])));
          acc += w * mag[k] ** 2;
        }
        expect(Math.abs(M.data[m * frames + t] - acc)).toBeLessThan(1e-5 * Math.max(acc, 1e-3));
      }
    }
  });

  it('works on (C, T) tensors, any n_fft, and a non-fused power', () => {
    const x = tensor('float32', [2, 3000], [...noise(3000, 1), ...noise(3000, 2)]);
    const M = melSpectrogram(x, { sampleRate: 44100, nFft: 441, hop: 441, nMels: 16 });
    expect(M.shape).toEqual([2, 16, 1 + Math.floor(3000 / 441)]);
    const P1 = melSpectrogram(x, { sampleRate: 44100, nFft: 441, hop: 441, nMels: 16, power: 1 });
    const P3 = melSpectrogram(x, { sampleRate: 44100, nFft: 441, hop: 441, nMels: 16, power: 1.5 });
    // power 1.5 (not fused) = filterbankᵀ · |X|^1.5 from the fused power-1 path's ingredients
    const S = spectrogram(x, { nFft: 441, hop: 441, power: 1.5 });
    const fb = melFilterbank({ nFreqs: 221, fMin: 0, fMax: 22050, nMels: 16, sampleRate: 44100 });
    const frames = M.shape[2];
    for (let c = 0; c < 2; c++) {
      for (let m = 0; m < 16; m++) {
        for (let t = 0; t < frames; t++) {
          let acc = 0;
          for (let k = 0; k < 221; k++) acc += fb.data[k * 16 + m] * S.data[(c * 221 + k) * frames + t];
          expect(Math.abs(P3.data[(c * 16 + m) * frames + t] - acc)).toBeLessThanOrEqual(1e-5 * Math.abs(acc) + 1e-7);
        }
      }
    }
    expect(P1.data.some((v, i) => Math.abs(v - M.data[i]) > 1e-3)).toBe(true);
  });
});

describe('heapFilterbank: one sparse copy per heap and key', () => {
  // 5 bins × 2 bands: band 0 spans bins 1–3 (the 0 at bin 2 inside the span is kept), band 1 bin 4.
  const dense = () => ({ dtype: 'float32' as const, shape: [5, 2], data: new Float32Array([0, 0, 0.5, 0, 0, 0, 0.25, 0, 0, 1]) });
  // A block is its payload rounded up to 16 bytes plus a 16-byte header, at least 32 bytes (src/memory/heap.ts).
  const block = (bytes: number) => Math.max(32, Math.ceil(bytes / 16) * 16 + 16);

  it('lays out one (start, count, weight offset) record per band (FilterBand, assembly/layouts.ts), then the weights; holds exactly those two blocks', () => {
    const heap = WasmHeap.create({ shared: false });
    const held0 = heap.stats().held;
    const bank = heapFilterbank('layout', dense, heap);
    expect(bank.bands).toBe(2);
    expect(Array.from(heap.i32(bank.fb, 6))).toEqual([1, 3, 0, 4, 1, 3]);
    expect(Array.from(heap.f32(bank.weights, 4))).toEqual([0.5, 0, 0.25, 1]);
    expect(heap.stats().held - held0).toBe(block(12 * 2) + block(4 * 4)); // 48 + 32
  });

  it('repeated calls with a key return the same bank, never build it again and hold no more bytes', () => {
    const heap = WasmHeap.create({ shared: false });
    let built = 0;
    const first = heapFilterbank('k', () => (built++, dense()), heap);
    const held = heap.stats().held;
    for (let i = 0; i < 1000; i++) expect(heapFilterbank('k', () => (built++, dense()), heap)).toBe(first);
    expect(built).toBe(1);
    expect(heap.stats().held).toBe(held);
    const other = heapFilterbank('k2', dense, heap); // another key: another bank
    expect(other.fb).not.toBe(first.fb);
    expect(heap.stats().held).toBe(held + block(12 * 2) + block(4 * 4));
  });

  it('melSpectrogram called again and again holds no more heap bytes (power 2 and 1, two settings)', () => {
    const x = tensor('float32', [1, 4000]);
    x.data.set(noise(4000, 3));
    for (const o of [{ sampleRate: 16000, nMels: 40, nFft: 400 }, { sampleRate: 8000, nMels: 13, nFft: 256, power: 1 }]) {
      const [before, after] = heldAcrossCalls(() => melSpectrogram(x, o));
      expect(after, JSON.stringify(o)).toBe(before);
    }
  });
});
