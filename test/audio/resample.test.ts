// resample against an independent float64 implementation of torchaudio's resampler (full kernel,
// every tap, conv with torchaudio's padding), sine frequency / amplitude preservation, lengths,
// and the grid-lock helpers (toMono, cropOrPad, prepareWaveform: test_ns1_waveform item 2).
import { describe, expect, it } from 'vitest';
import { ValueError, cropOrPad, prepareWaveform, resample, resampledLength, tensor, toMono } from '../../src/index.js';

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/**
 * torchaudio.functional.resample (sinc_interp_hann, width 6, rolloff 0.99), output i only, with
 * every tap of the full kernel. `f32`: the kernel as torchaudio builds it for a float32 waveform,
 * each tensor operation rounded to float32 (python scalars cast to float32 first).
 */
function torchaudioAt(x: Float32Array, origFs: number, newFs: number, i: number, f32 = false): number {
  const g = gcd(origFs, newFs), orig = origFs / g, up = newFs / g;
  const base = Math.min(orig, up) * 0.99;
  const width = Math.ceil((6 * orig) / base);
  const b = Math.floor(i / up), p = i % up;
  let acc = 0;
  for (let k = 0; k < 2 * width + orig; k++) {
    const src = b * orig + k - width; // index into x (torchaudio pads width zeros in front)
    if (src < 0 || src >= x.length) continue;
    let tap: number;
    if (f32) {
      const F = Math.fround, pi = F(Math.PI);
      const idx = F((k - width) / orig); // arange(-width, width + orig) / orig
      let t = F(F(-p / up) + idx); // arange(0, -up, -1) / up + idx
      t = F(t * F(base));
      t = Math.min(6, Math.max(-6, t));
      const cw = F(Math.cos(F(F(F(t * pi) / 6) / 2)));
      const w = F(cw * cw);
      const tp = F(t * pi);
      tap = F((tp === 0 ? 1 : F(F(Math.sin(tp)) / tp)) * F(w * F(base / orig)));
    } else {
      let t = (-p / up + (k - width) / orig) * base;
      t = Math.max(-6, Math.min(6, t));
      const w = Math.cos((t * Math.PI) / 6 / 2) ** 2;
      const s = t === 0 ? 1 : Math.sin(t * Math.PI) / (t * Math.PI);
      tap = s * w * (base / orig);
    }
    acc += tap * x[src];
  }
  return acc;
}

/** Amplitude and worst residual of a least-squares sine fit at frequency f over [from, to). */
function sineFit(y: Float32Array, f: number, sr: number, from: number, to: number) {
  let ss = 0, sc = 0;
  for (let i = from; i < to; i++) { const a = (2 * Math.PI * f * i) / sr; ss += y[i] * Math.sin(a); sc += y[i] * Math.cos(a); }
  const A = (2 * Math.hypot(ss, sc)) / (to - from), ph = Math.atan2(sc, ss);
  let r = 0;
  for (let i = from; i < to; i++) r = Math.max(r, Math.abs(y[i] - A * Math.sin((2 * Math.PI * f * i) / sr + ph)));
  return { A, r };
}

const noise = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
};

describe('resample', () => {
  it('matches torchaudio computed with every tap, for 48 828 → 48 000, 44 100 → 16 000, 16 000 → 44 100, 3 → 2', () => {
    for (const [o, n, T] of [[48828, 48000, 9000], [44100, 16000, 3000], [16000, 44100, 800], [3, 2, 50], [2, 3, 40]]) {
      const x = noise(T, o);
      const y = resample(x, o, n);
      expect(y.length).toBe(Math.ceil((n * T) / o));
      const probe = [0, 1, 2, 3, 17, Math.floor(y.length / 2), y.length - 2, y.length - 1];
      for (let j = 0; j < 200; j++) probe.push(Math.floor((j * 7919) % y.length));
      for (const i of probe) {
        const ref = torchaudioAt(x, o, n, i);
        if (Math.abs(y[i] - ref) > 2e-6) expect.fail(`${o}→${n} sample ${i}: ${y[i]} vs torchaudio ${ref}`);
      }
    }
  });

  it("kernelDtype 'float32' follows torchaudio's float32 kernel and 'float64' the exact one, on 48 828 → 48 000 and 44 100 → 16 000", () => {
    for (const [o, n, T, minGap] of [[48828, 48000, 12000, 1e-4], [44100, 16000, 4000, 4e-6]]) {
      const x = noise(T, o + 1);
      const y32 = resample(x, o, n, { kernelDtype: 'float32' });
      const y64 = resample(x, o, n, { kernelDtype: 'float64' });
      let gap = 0;
      for (let j = 0; j < 300; j++) {
        const i = Math.floor((j * 7919 + 13) % y32.length);
        const r32 = torchaudioAt(x, o, n, i, true), r64 = torchaudioAt(x, o, n, i, false);
        gap = Math.max(gap, Math.abs(r32 - r64));
        if (Math.abs(y32[i] - r32) > 2e-6) expect.fail(`${o}→${n} float32 sample ${i}: ${y32[i]} vs ${r32}`);
        if (Math.abs(y64[i] - r64) > 2e-6) expect.fail(`${o}→${n} float64 sample ${i}: ${y64[i]} vs ${r64}`);
      }
      // The two kernels really differ (float32 rounding of t before ·base moves the taps by ~2⁻²⁴·base).
      console.log(`${o}→${n}: largest float32/float64 kernel gap ${gap.toExponential(2)}`);
      expect(gap).toBeGreaterThan(minGap);
    }
    expect(() => resample(noise(10, 1), 3, 2, { kernelDtype: 'float16' as 'float32' })).toThrow(/kernelDtype must be 'float32' or 'float64', got float16/);
  });

  it("keeps the frequency and amplitude of in-band sines: amplitude within 0.6 % (torchaudio's passband ripple), worst residual < 1e-3", () => {
    for (const [o, n, f] of [[48828, 48000, 1000], [48828, 48000, 15000], [44100, 16000, 3000], [16000, 44100, 3000]]) {
      const x = Float32Array.from({ length: o }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / o));
      const y = resample(x, o, n);
      const { A, r } = sineFit(y, f, n, 1000, y.length - 1000);
      // a sine fitted at the original frequency f: a shifted frequency would leave A ≈ 0 and a large residual
      expect(Math.abs(A - 0.5) / 0.5).toBeLessThan(f > 0.5 * (Math.min(o, n) / 2) ? 6e-3 : 6e-4);
      expect(r).toBeLessThan(1e-3);
    }
  });

  it('removes a tone above the new Nyquist frequency (10 kHz at 44.1 → 16 kHz: below −40 dB)', () => {
    const x = Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * 10000 * i) / 44100));
    const y = resample(x, 44100, 16000);
    let e = 0;
    for (let i = 1000; i < y.length - 1000; i++) e = Math.max(e, Math.abs(y[i]));
    expect(e).toBeLessThan(0.01);
  });

  it('truncates rates to integers as torchaudio (48 828.125 behaves as 48 828) and returns equal rates unchanged', () => {
    const x = noise(2000, 1);
    expect(resample(x, 48828.125, 48000)).toEqual(resample(x, 48828, 48000));
    expect(resample(x, 16000, 16000)).toBe(x);
    expect(resampledLength(244140, 48828, 48000)).toBe(240000);
    expect(resampledLength(244141, 48828, 48000)).toBe(240001);
  });

  it('resamples each row of a (C, T) tensor independently', () => {
    const a = noise(1000, 3), b = noise(1000, 4);
    const y = resample(tensor('float32', [2, 1000], [...a, ...b]), 44100, 16000);
    expect(y.shape).toEqual([2, 363]);
    expect(Array.from(y.data.subarray(363))).toEqual(Array.from(resample(b, 44100, 16000)));
  });

  it('rejects non-positive rates and bad options', () => {
    expect(() => resample(noise(10, 1), 0, 16000)).toThrow(ValueError);
    expect(() => resample(noise(10, 1), 16000, -1)).toThrow(/sample rates must be positive/);
    expect(() => resample(noise(10, 1), 16000, 8000, { rolloff: 1.5 })).toThrow(/rolloff must be in \(0, 1\]/);
  });
});

describe('grid-lock helpers', () => {
  const stereo = () => {
    const l = Float32Array.from({ length: 48000 }, (_, i) => Math.sin(i / 10));
    const r = Float32Array.from({ length: 48000 }, (_, i) => Math.cos(i / 7));
    return { l, r, t: tensor('float32', [2, 48000], [...l, ...r]) };
  };

  it('toMono is the channel mean', () => {
    const { l, r, t } = stereo();
    const m = toMono(t);
    expect(m.shape).toEqual([1, 48000]);
    for (let i = 0; i < 48000; i += 997) expect(m.data[i]).toBeCloseTo((l[i] + r[i]) / 2, 6);
  });

  it('cropOrPad right-crops and zero-pads the last axis', () => {
    const x = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(cropOrPad(x, 2))).toEqual([1, 2]);
    expect(Array.from(cropOrPad(x, 6))).toEqual([1, 2, 3, 4, 0, 0]);
    const t = cropOrPad(tensor('float32', [2, 2], [1, 2, 3, 4]), 3);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 0, 3, 4, 0]);
    expect(() => cropOrPad(x, -1)).toThrow(/length must be a non-negative integer/);
  });

  it('prepareWaveform: stereo 48 kHz 1 s → (1, 8000) at 16 kHz, natural (1, 16000), 2 s zero-padded', () => {
    const { t } = stereo();
    expect(prepareWaveform(t, { fromFs: 48000, toFs: 16000, length: 8000 }).shape).toEqual([1, 8000]);
    const natural = prepareWaveform(t, { fromFs: 48000, toFs: 16000 });
    expect(natural.shape).toEqual([1, 16000]);
    const padded = prepareWaveform(t, { fromFs: 48000, toFs: 16000, length: 32000 });
    expect(padded.shape).toEqual([1, 32000]);
    expect(Array.from(padded.data.subarray(0, 16000))).toEqual(Array.from(natural.data));
    expect(padded.data.subarray(16000).every((v) => v === 0)).toBe(true);
  });
});
