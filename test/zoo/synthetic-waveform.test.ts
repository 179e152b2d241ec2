// SyntheticDataset waveform mode: (1, T · hop) stimuli synthesised from the spectrogram by the
// documented formula, responses identical to spectrogram mode, grid lock enforced.
import { describe, expect, it } from 'vitest';
import { DatasetValidationError, SyntheticDataset } from '../../src/index.js';

const opts = { seed: 7, nNeurons: 5, nStims: 4, nBands: 6, bins: [20, 30] as [number, number] };
const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));

describe('SyntheticDataset waveform mode', () => {
  it('stimuli are (1, T · hop) waveforms; F, audioFs, hop set; responses byte-identical', () => {
    const spec = new SyntheticDataset(opts);
    const wave = new SyntheticDataset({ ...opts, returnWaveform: true }); // audioFs default 16000
    expect(wave.returnWaveform).toBe(true);
    expect(wave.audioFs).toBe(16000);
    expect(wave.hop).toBe(80); // 16000 · 5 ms
    expect(wave.F).toBe(6);
    wave.stims.forEach((st, s) => expect(st.shape).toEqual([1, spec.stims[s].shape[2] * 80]));
    for (let s = 0; s < 4; s++) {
      for (let n = 0; n < 5; n++) {
        const a = spec.responses[s][n], b = wave.responses[s][n];
        expect(b.shape).toEqual(a.shape);
        expect(new Uint8Array(b.data.slice().buffer)).toEqual(new Uint8Array(a.data.slice().buffer));
      }
    }
  });

  it('samples follow Σ_f softplus(x[f, t]) / F · sin(2π c_f k / fs + f), c_f log-spaced 100 Hz … 0.4 fs', () => {
    const fs = 8000;
    const spec = new SyntheticDataset(opts);
    const wave = new SyntheticDataset({ ...opts, returnWaveform: true, audioFs: fs });
    const hop = 40, F = 6;
    const x = spec.stims[1].data, T = spec.stims[1].shape[2];
    const w = wave.stims[1].data;
    for (const k of [0, 1, 39, 40, 517, T * hop - 1]) {
      const t = Math.floor(k / hop);
      let v = 0;
      for (let f = 0; f < F; f++) {
        const cf = 100 * (0.4 * fs / 100) ** (f / (F - 1));
        v += (softplus(x[f * T + t]) / F) * Math.sin((2 * Math.PI * cf * k) / fs + f);
      }
      expect(w[k]).toBeCloseTo(v, 4);
    }
  });

  it('an audioFs without an integer hop fails validation naming the grid lock', () => {
    expect(() => new SyntheticDataset({ ...opts, returnWaveform: true, audioFs: 22050 })).toThrow(DatasetValidationError);
    expect(() => new SyntheticDataset({ ...opts, returnWaveform: true, audioFs: 22050 })).toThrow(/22050 · 5 \/ 1000 = 110.25 is not an integer number of samples per response bin/);
  });
});
