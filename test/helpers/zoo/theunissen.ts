// Shared fixture pieces for the Theunissen-lab zoo tests (AA1, AA2, AA4): text files, WAVs of
// known content, and an independent (naive DFT) mel frame to check spectrogram values against.
import { encodeWav } from '../../../src/index.js';

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A mono 16-bit WAV of `n` samples: a sine of `freq` Hz at amplitude `amp` (0 → silence). */
export function toneWav(n: number, fs: number, freq: number, amp = 0.5, channels = 1): Uint8Array {
  const data = new Float32Array(n * channels);
  for (let c = 0; c < channels; c++) for (let i = 0; i < n; i++) data[c * n + i] = amp * Math.sin((2 * Math.PI * freq * i) / fs);
  return encodeWav({ dtype: 'float32', shape: [channels, n], data }, fs);
}

/** The samples a 16-bit WAV of {@link toneWav} holds after decoding (round(x·32768)/32768). */
export function toneSamples(n: number, fs: number, freq: number, amp = 0.5): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(amp * Math.sin((2 * Math.PI * freq * i) / fs) * 32768))) / 32768;
  return out;
}

/**
 * One frame of torchaudio's MelSpectrogram (power 2, periodic Hann, HTK, no norm, f_max = sr/2)
 * centred at sample `centre` (the frame must not touch the reflect padding), by a naive DFT.
 */
export function naiveMelFrame(x: Float64Array, centre: number, nFft: number, sr: number, nMels: number): number[] {
  const start = centre - Math.floor(nFft / 2);
  const nFreqs = Math.floor(nFft / 2) + 1;
  const power: number[] = [];
  for (let k = 0; k < nFreqs; k++) {
    let re = 0, im = 0;
    for (let n = 0; n < nFft; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft);
      const v = x[start + n] * w;
      re += v * Math.cos((2 * Math.PI * k * n) / nFft);
      im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
    }
    power.push(re * re + im * im);
  }
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const top = Math.floor(sr / 2);
  const pts = Array.from({ length: nMels + 2 }, (_, i) => hz((mel(top) * i) / (nMels + 1)));
  return Array.from({ length: nMels }, (_, m) => {
    let s = 0;
    for (let k = 0; k < nFreqs; k++) {
      const f = (top * k) / (nFreqs - 1);
      const w = Math.max(0, Math.min((f - pts[m]) / (pts[m + 1] - pts[m]), (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1])));
      s += w * power[k];
    }
    return s;
  });
}

/** Row `r` of an `(R, T)` response as a plain array. */
export function row(t: { shape: number[]; data: ArrayLike<number> }, r: number): number[] {
  const T = t.shape[1];
  return Array.from(t.data).slice(r * T, (r + 1) * T);
}

/** A length-T zero row with `counts` (bin → count) set. */
export function counts(T: number, set: Record<number, number>): number[] {
  const out = new Array<number>(T).fill(0);
  for (const [k, v] of Object.entries(set)) out[Number(k)] = v;
  return out;
}
