// The CRCNS-AA5 cage-mic alignment check on synthetic trials whose answer is known by
// construction: the mic holds the stimulus at half amplitude, delayed by a whole number of
// samples, and silence elsewhere (so the loudness before / after is the 1e-20 floor re. the
// level of the delayed sound, by formula).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/index.js';
import { aa5MicAlignment } from '../../src/zoo/aa5-mic.js';
import { resamplePoly } from '../../src/signal/resample-poly.js';

const N = 125000; // 5 s at 25 kHz

/** Integer-valued noise over [start, start + len) of an n-sample window. */
function burst(n: number, start: number, len: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = start; i < start + len; i++) x[i] = rng.int(2001) - 1000 || 1;
  return x;
}

/** mic[t] = 0.5 · stim[t − d]. */
function delayed(stim: Float64Array, d: number): Float64Array {
  const mic = new Float64Array(stim.length);
  for (let t = 0; t < stim.length; t++) if (t - d >= 0 && t - d < stim.length) mic[t] = 0.5 * stim[t - d];
  return mic;
}

/** −200 dB (the 1e-20 floor of silence) minus the level of the delayed sound. */
function silenceDb(stim: Float64Array): number {
  const nz = stim.filter((v) => v !== 0);
  const level = nz.reduce((a, v) => a + (0.5 * v) ** 2, 0) / nz.length;
  return 10 * Math.log10(1e-20) - 10 * Math.log10(level + 1e-20);
}

describe('aa5MicAlignment', () => {
  for (const d of [1000, -2500, 37]) {
    it(`finds a delay of ${d} samples (${d / 25} ms) at 25 kHz`, () => {
      const stim = burst(N, 12500, 7500, 11 + d);
      const m = aa5MicAlignment(stim, 25000, delayed(stim, d));
      expect(m.mic_offset_ms).toBe((1e3 * d) / 25000);
      expect(m.mic_peak).toBeGreaterThan(0.9);
      expect(m.mic_peak).toBeLessThanOrEqual(1 + 1e-9);
      expect(m.mic_second).toBeLessThan(m.mic_peak);
      expect(m.mic_pre_peak_db).toBeCloseTo(silenceDb(stim), 6);
      expect(m.mic_post_peak_db).toBeCloseTo(silenceDb(stim), 6);
    });
  }

  it('resamples a 32 kHz stimulus to the mic rate first', () => {
    const stim32 = burst(160000, 16000, 9600, 5);
    const at25 = resamplePoly(stim32, 25, 32);
    const m = aa5MicAlignment(stim32, 32000, delayed(at25, 625));
    expect(m.mic_offset_ms).toBe(25);
    expect(m.mic_peak).toBeGreaterThan(0.9);
  });

  it('loud sounds in the mic before and after the stimulus raise the pre / post levels', () => {
    const stim = burst(N, 12500, 7500, 3);
    const mic = delayed(stim, 0);
    for (let i = 0; i < 500; i++) mic[1000 + i] = 100; // 20 ms at 100 before the sound
    for (let i = 0; i < 500; i++) mic[100000 + i] = 1000; // 20 ms at 1000 after it
    const m = aa5MicAlignment(stim, 25000, mic);
    expect(m.mic_offset_ms).toBe(0);
    const act = 10 * Math.log10(stim.filter((v) => v !== 0).reduce((a, v) => a + (0.5 * v) ** 2, 0) / 7500 + 1e-20);
    // Frames are aligned to sample 0: [1000, 1500) spans frames 2 and 3 (500 samples each).
    expect(m.mic_pre_peak_db).toBeCloseTo(10 * Math.log10(100 ** 2 + 1e-20) - act, 6);
    // The post segment starts at off + 2500 = 22499: [100000, 100500) straddles two 500-sample frames of it.
    const startPost = 12500 + 7499 + 2500;
    const k = Math.floor((100000 - startPost) / 500);
    const inFirst = startPost + (k + 1) * 500 - 100000;
    const loudest = (Math.max(inFirst, 500 - inFirst) * 1000 ** 2) / 500;
    expect(m.mic_post_peak_db).toBeCloseTo(10 * Math.log10(loudest + 1e-20) - act, 6);
  });

  it('signals too short to frame throw (the preparer warns and stores no mic fields)', () => {
    expect(() => aa5MicAlignment(new Float64Array(8), 25000, new Float64Array(8))).toThrow();
  });
});
