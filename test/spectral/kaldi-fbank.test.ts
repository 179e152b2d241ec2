// kaldiFbank against a float64 reference written here from the formulas of
// torchaudio.compliance.kaldi.fbank (frames by hand, direct DFT), and hand-checked constants.
import { describe, expect, it } from 'vitest';
import { KALDI_LOG_FLOOR, ValueError, kaldiFbank, kaldiMel, kaldiMelBanks, kaldiWindow, tensor } from '../../src/index.js';
import { heldAcrossCalls, noise } from './helpers.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

/** The reference: every step in float64, the DFT summed directly. */
function reference(x: Float32Array, fs: number, lenMs: number, shiftMs: number, F: number, lo: number, hi: number, win: string): number[][] {
  const L = Math.trunc(fs * lenMs * 0.001), S = Math.trunc(fs * shiftMs * 0.001);
  let P = 1;
  while (P < L) P *= 2;
  const frames = 1 + Math.floor((x.length - L) / S);
  const mel = (f: number) => 1127 * Math.log(1 + f / 700);
  const ml = mel(lo), mh = mel(hi > 0 ? hi : fs / 2 + hi), d = (mh - ml) / (F + 1);
  const w = (i: number) => {
    const h = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (L - 1));
    if (win === 'hanning') return h;
    if (win === 'povey') return h ** 0.85;
    if (win === 'hamming') return 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (L - 1));
    return 1;
  };
  const rows: number[][] = [];
  for (let t = 0; t < frames; t++) {
    const f = Array.from({ length: L }, (_, i) => x[t * S + i]);
    const mean = f.reduce((a, b) => a + b, 0) / L;
    const g = f.map((v) => v - mean);
    const p = g.map((v, i) => (v - 0.97 * g[Math.max(0, i - 1)]) * w(i));
    const power: number[] = [];
    for (let k = 0; k <= P / 2; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < L; n++) { re += p[n] * Math.cos((2 * Math.PI * k * n) / P); im -= p[n] * Math.sin((2 * Math.PI * k * n) / P); }
      power.push(re * re + im * im);
    }
    rows.push(Array.from({ length: F }, (_, m) => {
      let e = 0;
      for (let k = 0; k < P / 2; k++) {
        const v = mel((k * fs) / P);
        const wt = Math.max(0, Math.min((v - (ml + m * d)) / d, (ml + (m + 2) * d - v) / d));
        e += wt * power[k];
      }
      return Math.log(Math.max(e, 1.1920929e-7));
    }));
  }
  return rows;
}

function signal(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, (_, i) => 3000 * Math.sin(i * 0.05) + 2000 * r() + 500);
}

describe('kaldiFbank', () => {
  it('matches the float64 reference (Downer settings: hanning, 80 bins, 0–8000 Hz, 5 ms shift)', () => {
    const x = signal(1200, 1);
    const got = kaldiFbank(x, { sampleFrequency: 16000, numMelBins: 80, windowType: 'hanning', frameShift: 5, lowFreq: 0, highFreq: 8000 });
    const want = reference(x, 16000, 25, 5, 80, 0, 8000, 'hanning');
    expect(got.shape).toEqual([1 + Math.floor((1200 - 400) / 80), 80]);
    for (let t = 0; t < want.length; t++) {
      for (let m = 0; m < 80; m++) {
        const g = got.data[t * 80 + m], w = want[t][m];
        expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-5);
      }
    }
  });

  it.each(['povey', 'hamming', 'rectangular'] as const)('matches the reference with the %s window and default bins', (win) => {
    const x = signal(900, 7);
    const got = kaldiFbank(x, { windowType: win });
    const want = reference(x, 16000, 25, 10, 23, 20, 0, win);
    expect(got.shape).toEqual([want.length, 23]);
    want.forEach((row, t) => row.forEach((w, m) => expect(Math.abs(got.data[t * 23 + m] - w)).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-5)));
  });

  it('frame count with snip_edges is 1 + ⌊(N − L)/S⌋; less than one window is refused', () => {
    expect(kaldiFbank(new Float32Array(400)).shape).toEqual([1, 23]);
    expect(kaldiFbank(new Float32Array(559)).shape).toEqual([1, 23]);
    expect(kaldiFbank(new Float32Array(560)).shape).toEqual([2, 23]);
    expect(() => kaldiFbank(new Float32Array(399))).toThrow(/399 samples, fewer than one frame of 400/);
    // 44.1 kHz: L = trunc(1102.5) = 1102, S = trunc(441.00000000000006) = 441.
    expect(kaldiFbank(new Float32Array(1102 + 441 * 3), { sampleFrequency: 44100, highFreq: 8000 }).shape).toEqual([4, 23]);
  });

  it('silence gives the log floor (float32 epsilon)', () => {
    const got = kaldiFbank(tensor('float32', [1, 800], new Float32Array(800)), { numMelBins: 4 });
    expect(KALDI_LOG_FLOOR).toBe(2 ** -23);
    for (const v of got.data) expect(v).toBeCloseTo(Math.log(2 ** -23), 5);
  });

  it('mel scale and bin edges by hand', () => {
    expect(kaldiMel(700)).toBeCloseTo(1127 * Math.LN2, 10);
    expect(kaldiMel(0)).toBe(0);
    // 2 bins over 0–8000 Hz: corners at 0, 1/3, 2/3, 1 of mel(8000) = 1127·ln(1 + 80/7).
    const top = 1127 * Math.log(1 + 8000 / 700);
    const fb = kaldiMelBanks(2, 512, 16000, 0, 8000);
    expect(fb.shape).toEqual([257, 2]);
    // Bin k = 10 (312.5 Hz) lies on bin 0's rising slope: weight = mel(312.5) / (top/3).
    expect(fb.data[10 * 2]).toBeCloseTo(kaldiMel(312.5) / (top / 3), 6);
    // DC weighs 0 in every bin (left edge of bin 0), and so does Nyquist (Kaldi pads it with 0).
    expect(fb.data[0]).toBe(0);
    expect(fb.data[256 * 2 + 1]).toBe(0);
    expect(fb.data[255 * 2 + 1]).toBeGreaterThan(0);
  });

  it('windows by hand', () => {
    kaldiWindow('hanning', 5).forEach((v, i) => expect(v).toBeCloseTo([0, 0.5, 1, 0.5, 0][i], 12));
    expect(kaldiWindow('povey', 3)[1]).toBe(1);
    expect(kaldiWindow('hamming', 3)[0]).toBeCloseTo(0.08, 12);
  });

  it('rejects bad options with ValueError', () => {
    expect(() => kaldiFbank(new Float32Array(800), { highFreq: 9000 })).toThrow(ValueError);
    expect(() => kaldiFbank(new Float32Array(800), { highFreq: 9000 })).toThrow(/highFreq ≤ Nyquist \(8000 Hz\)/);
    expect(() => kaldiFbank(new Float32Array(800), { numMelBins: 0 })).toThrow(/numMelBins must be a positive integer/);
    expect(() => kaldiFbank(new Float32Array(800), { windowType: 'kaiser' as never })).toThrow(/windowType must be one of/);
  });
});

describe('kaldiFbank memory', () => {
  it('called again and again holds no more heap bytes', () => {
    const x = tensor('float32', [1, 8000]);
    x.data.set(noise(8000, 9));
    const [before, after] = heldAcrossCalls(() => kaldiFbank(x, { numMelBins: 23, sampleFrequency: 16000 }));
    expect(after).toBe(before);
  });
});
