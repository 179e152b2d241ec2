/**
 * The CRCNS-AC1 front-end (`_logspectrogram`): a Hamming-windowed DFT evaluated only at
 * log-spaced frequencies f_k = fMin·2^(k/binsPerOctave), centred frames, output in dB.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { waveformParts, type Waveform } from './stft.js';
import { hamming, roundHalfEven } from './windows.js';

/** Options of {@link logFrequencySpectrogram}. */
export interface LogFrequencyOptions {
  /** Sample rate of `wave` in Hz. */
  sampleRate: number;
  /** Hop in ms (default 5): hop = max(round(dtMs·sampleRate/1000), 1). */
  dtMs?: number;
  /** Window in ms (default 2·dtMs): W = max(round(windowMs·sampleRate/1000), 4). */
  windowMs?: number;
  /** Default 100 Hz. */
  fMin?: number;
  /** Default 45 000 Hz. */
  fMax?: number;
  /** Default 6. */
  binsPerOctave?: number;
}

/**
 * The band frequencies f_k = fMin·2^(k/b), k = 0 … ⌊log2(fMax/fMin)·b⌋.
 * @example
 * ```ts
 * logFrequencies(100, 45000).length; // 53
 * ```
 */
export function logFrequencies(fMin = 100, fMax = 45000, binsPerOctave = 6): Float64Array {
  if (!(fMin > 0) || !(fMax >= fMin)) throw new ValueError(`need 0 < fMin ≤ fMax, got fMin ${fMin}, fMax ${fMax}`);
  const K = Math.floor(Math.log2(fMax / fMin) * binsPerOctave);
  const f = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) f[k] = fMin * 2 ** (k / binsPerOctave);
  return f;
}

/**
 * Log-frequency spectrogram of a mono waveform: pads W/2 zeros in front and W behind,
 * n_frames = ⌈T / hop⌉, frame i = padded samples [i·hop, i·hop + W), value
 * 20·log10(|Σ_n w[n]·x[n]·e^{−2πi f_k n / sr}| + 1e−12). Returns `spec` (F, n_frames) float32 and
 * the frequencies. Computed in float64.
 * @example
 * ```ts
 * const { spec, freqs } = logFrequencySpectrogram(wave, { sampleRate: 44100 }); // spec.shape [53, T]
 * ```
 */
export function logFrequencySpectrogram(
  wave: Waveform, opts: LogFrequencyOptions,
): { spec: Tensor<'float32'>; freqs: Float64Array } {
  const { lead, T, data } = waveformParts(wave, 'wave');
  if (lead.some((d) => d !== 1)) throw new ValueError(`wave must be mono (T) or (1, T), got leading shape [${lead.join(', ')}]`);
  const sr = opts.sampleRate;
  if (!(sr > 0)) throw new ValueError(`sampleRate must be positive, got ${sr}`);
  const dtMs = opts.dtMs ?? 5;
  const windowMs = opts.windowMs ?? 2 * dtMs;
  const hop = Math.max(roundHalfEven((dtMs * sr) / 1000), 1);
  const W = Math.max(roundHalfEven((windowMs * sr) / 1000), 4);
  const freqs = logFrequencies(opts.fMin ?? 100, opts.fMax ?? 45000, opts.binsPerOctave ?? 6);
  const F = freqs.length;
  const w = hamming(W, false);
  // Kernel tables w[n]·cos and w[n]·sin per band, float64.
  const kc = new Float64Array(F * W), ks = new Float64Array(F * W);
  for (let k = 0; k < F; k++) {
    for (let n = 0; n < W; n++) {
      const a = (-2 * Math.PI * freqs[k] * n) / sr;
      kc[k * W + n] = w[n] * Math.cos(a);
      ks[k * W + n] = w[n] * Math.sin(a);
    }
  }
  const front = Math.floor(W / 2);
  const padded = new Float64Array(front + T + W);
  for (let i = 0; i < T; i++) padded[front + i] = data[i];
  const frames = Math.ceil(T / hop);
  const out = new Float32Array(F * frames);
  for (let i = 0; i < frames; i++) {
    const s = i * hop;
    for (let k = 0; k < F; k++) {
      let re = 0, im = 0;
      const o = k * W;
      for (let n = 0; n < W; n++) {
        const v = padded[s + n];
        re += kc[o + n] * v;
        im += ks[o + n] * v;
      }
      out[k * frames + i] = 20 * Math.log10(Math.hypot(re, im) + 1e-12);
    }
  }
  return { spec: { dtype: 'float32', shape: [F, frames], data: out }, freqs };
}
