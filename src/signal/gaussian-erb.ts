/**
 * The Alice EEG loader's default stimulus front-end (`specBackend: 'gaussian'`): a torchaudio
 * power `Spectrogram` (periodic Hann of nFft, centred reflect padding) summed through Gaussian
 * bands uniform on the ERB-rate scale e(f) = 21.4·log10(0.00437·f + 1), bandwidth
 * 24.7·(0.00437·fc + 1), weight exp(−((f − fc)/bw)²), then ln(band + 1e−8). Rows ascend in
 * frequency. The STFT and the band sums run in wasm (assembly/fft.ts).
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { roundHalfEven } from '../util/round.js';
import { defaultHeap } from '../memory/heap.js';
import { heapFilterbank, runFilterbank } from '../spectral/mel.js';
import { frameCount, frameGeometry, padSignal, waveformParts, type Waveform } from '../spectral/stft.js';
import { heapWindow } from '../spectral/fft-plan.js';

/** ERB-rate of f Hz: 21.4·log10(0.00437·f + 1). @example `erbRate(1000) // ≈ 15.62` */
export const erbRate = (f: number): number => 21.4 * Math.log10(0.00437 * f + 1);

/**
 * Gaussian ERB filterbank `(nFft//2 + 1, nBands)` float32 over bins linspace(0, sr/2, nFft//2 + 1):
 * centres uniform in ERB-rate from fMin to fMax.
 * @example
 * ```ts
 * gaussianErbFilterbank(8, 44100, 1024, 80, 22050).shape; // [513, 8]
 * ```
 */
export function gaussianErbFilterbank(nBands: number, sr: number, nFft: number, fMin: number, fMax: number): Tensor<'float32'> {
  if (!Number.isInteger(nBands) || nBands < 1) throw new ValueError(`nBands must be a positive integer, got ${nBands}`);
  if (!(fMin >= 0 && fMax > fMin)) throw new ValueError(`need 0 ≤ fMin < fMax, got ${fMin} and ${fMax}`);
  const nFreqs = Math.floor(nFft / 2) + 1;
  const e0 = erbRate(fMin), e1 = erbRate(fMax);
  const out = new Float32Array(nFreqs * nBands);
  for (let b = 0; b < nBands; b++) {
    const e = nBands === 1 ? e0 : e0 + ((e1 - e0) * b) / (nBands - 1);
    const fc = (10 ** (e / 21.4) - 1) / 0.00437;
    const bw = 24.7 * (0.00437 * fc + 1);
    for (let j = 0; j < nFreqs; j++) {
      const f = nFreqs === 1 ? 0 : ((sr / 2) * j) / (nFreqs - 1);
      out[j * nBands + b] = Math.exp(-(((f - fc) / bw) ** 2));
    }
  }
  return { dtype: 'float32', shape: [nFreqs, nBands], data: out };
}

/** Options of {@link gaussianErbSpectrogram} (the Alice loader's). @example `{ sampleRate: 44100, dtMs: 10, nBands: 8 }` */
export interface GaussianErbOptions {
  sampleRate: number;
  /** Hop in ms: hop = max(1, round(sr·dtMs/1000)). */
  dtMs: number;
  nBands: number;
  /** nFft = 1024 when null (default), else max(round(windowMs·sr/1000), hop). */
  windowMs?: number | null;
  /** Default 80 Hz. */
  fMin?: number;
  /** Default sr / 2. */
  fMax?: number | null;
}

/**
 * ln(Gaussian-ERB band power + 1e−8), `(nBands, 1 + ⌊N/hop⌋)` float32.
 * @example
 * ```ts
 * const S = gaussianErbSpectrogram(wave, { sampleRate: 44100, dtMs: 10, nBands: 8 }); // hop 441, nFft 1024
 * ```
 */
export function gaussianErbSpectrogram(wave: Waveform, o: GaussianErbOptions): Tensor<'float32'> {
  const { lead, T, data } = waveformParts(wave, 'wave');
  if (lead.some((d) => d !== 1)) throw new ValueError(`wave must be mono, got leading shape [${lead.join(', ')}]`);
  const sr = o.sampleRate;
  const hop = Math.max(1, roundHalfEven((sr * o.dtMs) / 1000));
  const nFft = o.windowMs === null || o.windowMs === undefined ? 1024 : Math.max(roundHalfEven((o.windowMs * sr) / 1000), hop);
  const fMin = o.fMin ?? 80, fMax = o.fMax ?? sr / 2;
  const g = frameGeometry({ nFft, hop, window: 'hann', periodic: true, center: true, padMode: 'reflect' });
  const frames = frameCount(T, g);
  const heap = defaultHeap();
  const bank = heapFilterbank(`gerb:${o.nBands}:${sr}:${nFft}:${fMin}:${fMax}`, () => gaussianErbFilterbank(o.nBands, sr, nFft, fMin, fMax), heap);
  const pad = Math.floor(nFft / 2);
  const win = heapWindow(g.windowKey, g.window, heap);
  const out = runFilterbank(1, T + 2 * pad, frames, hop, nFft, win, 2, bank, (_c, dst) => padSignal(data, dst, pad, 'reflect'), heap);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(out[i] + 1e-8);
  return { dtype: 'float32', shape: [o.nBands, frames], data: out };
}
