// The 20 real NS1 sounds (extension-less IEEE-float WAVs at a header rate of 48 828 Hz) through
// decodeWav, the grid lock (mono, resample to 48 kHz or 16 kHz, crop / pad to 999 bins) and the
// causal mel front-end. Skips when the release is absent, except under CI=true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNs1 } from '../../helpers/ns1-data.js';
import { describe, expect, it } from 'vitest';
import { CausalMelSpectrogram, decodeWav, prepareWaveform, resample, tensor } from '../../../src/index.js';

const ns1 = findNs1('NS1 WAV tests').dir;
const dir = ns1 ? join(ns1, 'spikesandwav', 'SH.En.C') : '';
const present = ns1 !== null;

// Stimulus order of the NS1 loader (docs/zoo/ns1.md): source 1 set 2 frozen 1–12, then source 2 set 1 frozen 1–8.
const names = [
  ...Array.from({ length: 12 }, (_, s) => `source.1.sound.0.snr.0.token.0.fw.2.frozen.${s + 1}`),
  ...Array.from({ length: 8 }, (_, s) => `source.2.sound.0.snr.0.token.0.fw.1.frozen.${s + 1}`),
];

describe.skipIf(!present)('NS1 sounds (real files)', () => {
  const wavs = present ? names.map((n) => decodeWav(readFileSync(join(dir, n)), { name: n })) : [];

  it("resampled to 48 kHz, torchaudio's float32 and float64 kernels differ on sound 1 by 6.6e-4 at most, as measured with torchaudio", () => {
    const x = wavs[0].data.data as Float32Array;
    const a = resample(x, 48828, 48000, { kernelDtype: 'float32' });
    const b = resample(x, 48828, 48000, { kernelDtype: 'float64' });
    let gap = 0;
    for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]));
    expect(gap).toBeGreaterThan(6.55e-4);
    expect(gap).toBeLessThan(6.65e-4);
  });

  it('decode as float32 mono at 48 828 Hz, 244 140 samples (244 141 for the last four), values as stored', () => {
    wavs.forEach((w, s) => {
      expect([w.format, w.channels, w.sampleRate]).toEqual(['float32', 1, 48828]);
      expect(w.data.shape).toEqual([1, s >= 16 ? 244141 : 244140]);
      expect(w.data.data.every(Number.isFinite)).toBe(true);
    });
    // not clipped to [−1, 1]: the README reports peaks near 14
    const peak = Math.max(...wavs.map((w) => w.data.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    expect(peak).toBeGreaterThan(5);
  });

  it('grid lock: 48 828 → 48 000 Hz cropped to 999·240 samples, 16 kHz to 999·80; CausalMel gives (1, 1, 34, 999)', () => {
    const mel = new CausalMelSpectrogram({ audioFs: 48000 });
    for (const s of [0, 19]) {
      const w = prepareWaveform(wavs[s].data, { fromFs: wavs[s].sampleRate, toFs: 48000, length: 999 * 240 });
      expect(w.shape).toEqual([1, 239760]);
      // resampling keeps the signal's energy (the sounds are band-limited well below 24 kHz)
      const e = (x: Float32Array, n: number) => x.subarray(0, n).reduce((a, v) => a + v * v, 0) / n;
      expect(e(w.data, 200000) / e(wavs[s].data.data, Math.round(200000 * 48828 / 48000))).toBeCloseTo(1, 1);
      const spec = mel.forward(tensor('float32', [1, 1, 239760], w.data));
      expect(spec.shape).toEqual([1, 1, 34, 999]);
      expect(spec.data.every(Number.isFinite)).toBe(true);
      expect(Math.max(...spec.data)).toBeGreaterThan(Math.log(1e-4) + 1); // not all at the floor
      const w16 = prepareWaveform(wavs[s].data, { fromFs: wavs[s].sampleRate, toFs: 16000, length: 999 * 80 });
      expect(w16.shape).toEqual([1, 999 * 80]);
    }
  });
});
