/**
 * Kaldi log mel filterbank features as `torchaudio.compliance.kaldi.fbank` computes them (with
 * dither 0, no energy, power spectrum, VTLN off): frames cut with `snip_edges` (1 + ⌊(N − L)/S⌋
 * frames of L = ⌊fs·frameLength/1000⌋ samples every S = ⌊fs·frameShift/1000⌋), per frame the DC
 * offset removed, pre-emphasis x[i] − 0.97·x[i−1] (x[−1] = x[0]), the window, zero padding to the
 * next power of two, |FFT|², triangular bins on Kaldi's mel scale 1127·ln(1 + f/700) (no
 * normalisation, the Nyquist bin weighs 0), then ln(max(e, float32 epsilon)).
 * Framing runs here in float64; the FFT and the filterbank run in wasm (assembly/fft.ts).
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultHeap } from '../memory/heap.js';
import { fftPlan } from './fft-plan.js';
import { heapFilterbank } from './mel.js';
import { waveformParts, type Waveform } from './stft.js';

/** Window types of Kaldi's feature window function. @example `kaldiFbank(x, { windowType: 'hanning' })` */
export type KaldiWindowType = 'povey' | 'hanning' | 'hamming' | 'rectangular' | 'blackman';

/** Options of {@link kaldiFbank}: torchaudio's keyword arguments, camelCase, same defaults. @example `{ numMelBins: 80, frameShift: 5, lowFreq: 0, highFreq: 8000 }` */
export interface KaldiFbankOptions {
  /** Hz (default 16 000). */
  sampleFrequency?: number;
  /** Frame length in ms (default 25). */
  frameLength?: number;
  /** Frame shift in ms (default 10). */
  frameShift?: number;
  /** Mel bins (default 23). */
  numMelBins?: number;
  /** Low edge of the first bin in Hz (default 20). */
  lowFreq?: number;
  /** High edge of the last bin in Hz; ≤ 0 means Nyquist + highFreq (default 0). */
  highFreq?: number;
  /** Default `'povey'` (symmetric Hann to the power 0.85). */
  windowType?: KaldiWindowType;
  /** Pre-emphasis coefficient (default 0.97). */
  preemphasisCoefficient?: number;
  /** Subtract each frame's mean (default true). */
  removeDcOffset?: boolean;
  /** Pad each frame to the next power of two (default true). */
  roundToPowerOfTwo?: boolean;
  /** Blackman coefficient (default 0.42). */
  blackmanCoeff?: number;
}

/** Kaldi's log floor: float32 machine epsilon (2⁻²³). @example `Math.log(KALDI_LOG_FLOOR)` */
export const KALDI_LOG_FLOOR = 1.1920928955078125e-7;

/**
 * Kaldi's mel scale, 1127·ln(1 + f/700).
 * @example
 * ```ts
 * kaldiMel(700); // 1127·ln 2 ≈ 781.17
 * ```
 */
export function kaldiMel(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

/**
 * Kaldi's feature window of `n` samples (torchaudio `_feature_window_function`): hanning and
 * hamming are symmetric; povey = symmetric Hann^0.85.
 * @example
 * ```ts
 * kaldiWindow('hanning', 5); // [0, 0.5, 1, 0.5, 0]
 * ```
 */
export function kaldiWindow(type: KaldiWindowType, n: number, blackmanCoeff = 0.42): Float64Array {
  const w = new Float64Array(n);
  const a = (2 * Math.PI) / (n - 1);
  for (let i = 0; i < n; i++) {
    const hannI = n === 1 ? 1 : 0.5 - 0.5 * Math.cos(a * i);
    if (type === 'hanning') w[i] = hannI;
    else if (type === 'povey') w[i] = hannI ** 0.85;
    else if (type === 'hamming') w[i] = n === 1 ? 1 : 0.54 - 0.46 * Math.cos(a * i);
    else if (type === 'rectangular') w[i] = 1;
    else if (type === 'blackman') w[i] = blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
    else throw new ValueError(`windowType must be one of povey, hanning, hamming, rectangular, blackman; got '${String(type)}'`);
  }
  return w;
}

/**
 * Kaldi's triangular mel bins `(paddedLength/2 + 1, numMelBins)` (the layout of
 * `melFilterbank`): bin k at k·fs/paddedLength Hz, corners equally spaced on {@link kaldiMel}
 * between lowFreq and highFreq, weight max(0, min(rising, falling)) in mel, Nyquist bin 0.
 * @example
 * ```ts
 * kaldiMelBanks(80, 512, 16000, 0, 8000).shape; // [257, 80]
 * ```
 */
export function kaldiMelBanks(numMelBins: number, paddedLength: number, fs: number, lowFreq: number, highFreq: number): Tensor<'float32'> {
  const nyquist = fs / 2;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  if (!(lowFreq >= 0 && lowFreq < nyquist && high > 0 && high <= nyquist && lowFreq < high)) {
    throw new ValueError(`kaldi fbank: need 0 ≤ lowFreq < highFreq ≤ Nyquist (${nyquist} Hz), got lowFreq ${lowFreq}, highFreq ${highFreq}`);
  }
  const half = paddedLength / 2;
  const melLow = kaldiMel(lowFreq), melHigh = kaldiMel(high);
  const delta = (melHigh - melLow) / (numMelBins + 1);
  const out = new Float32Array((half + 1) * numMelBins);
  for (let m = 0; m < numMelBins; m++) {
    const left = melLow + m * delta, centre = left + delta, right = left + 2 * delta;
    for (let k = 0; k < half; k++) {
      const mel = kaldiMel((fs / paddedLength) * k);
      const w = Math.min((mel - left) / (centre - left), (right - mel) / (right - centre));
      if (w > 0) out[k * numMelBins + m] = w;
    }
  }
  return { dtype: 'float32', shape: [half + 1, numMelBins], data: out };
}

/**
 * Frame length and shift in samples (torchaudio truncates fs·ms·0.001 with `int`).
 * @example
 * ```ts
 * kaldiFrameGeometry(16000, 25, 10); // { length: 400, shift: 160 }
 * ```
 */
export function kaldiFrameGeometry(fs: number, frameLengthMs: number, frameShiftMs: number): { length: number; shift: number } {
  const length = Math.trunc(fs * frameLengthMs * 0.001);
  const shift = Math.trunc(fs * frameShiftMs * 0.001);
  if (length < 2 || shift < 1) throw new ValueError(`kaldi fbank: frame length ${length} and shift ${shift} samples (from ${frameLengthMs} / ${frameShiftMs} ms at ${fs} Hz) must be ≥ 2 and ≥ 1`);
  return { length, shift };
}

/**
 * Kaldi fbank features `(frames, numMelBins)` float32 of a mono waveform (a `Float32Array`, or
 * a tensor whose first row is used, as torchaudio uses channel 0). A signal shorter than one
 * frame is a `ValueError` (torchaudio asserts it).
 * @example
 * ```ts
 * const feats = kaldiFbank(wave16k, { numMelBins: 80, windowType: 'hanning', frameShift: 5, lowFreq: 0, highFreq: 8000 });
 * feats.shape; // [1 + ⌊(N − 400) / 80⌋, 80]
 * ```
 */
export function kaldiFbank(x: Waveform, options: KaldiFbankOptions = {}): Tensor<'float32'> {
  const { T, data } = waveformParts(x);
  const fs = options.sampleFrequency ?? 16000;
  if (!(fs > 0)) throw new ValueError(`sampleFrequency must be positive, got ${fs}`);
  const F = options.numMelBins ?? 23;
  if (!Number.isInteger(F) || F < 1) throw new ValueError(`numMelBins must be a positive integer, got ${F}`);
  const { length: L, shift: S } = kaldiFrameGeometry(fs, options.frameLength ?? 25, options.frameShift ?? 10);
  let P = L;
  if (options.roundToPowerOfTwo ?? true) for (P = 1; P < L; P <<= 1);
  if (P % 2 !== 0) throw new ValueError(`kaldi fbank: the padded frame length ${P} must be even (set roundToPowerOfTwo)`);
  const lowFreq = options.lowFreq ?? 20;
  const highFreq = options.highFreq ?? 0;
  const key = `kaldi:${F}:${P}:${fs}:${lowFreq}:${highFreq}`;
  const window = kaldiWindow(options.windowType ?? 'povey', L, options.blackmanCoeff);
  const coeff = options.preemphasisCoefficient ?? 0.97;
  const removeDc = options.removeDcOffset ?? true;
  if (T < L) throw new ValueError(`kaldi fbank: the signal has ${T} samples, fewer than one frame of ${L} (torchaudio asserts 2 ≤ window ≤ length)`);
  const frames = 1 + Math.floor((T - L) / S);
  const out = new Float32Array(frames * F);

  const heap = defaultHeap();
  const plan = fftPlan(P, heap);
  const bank = heapFilterbank(key, () => kaldiMelBanks(F, P, fs, lowFreq, highFreq), heap);
  // Frames are laid out back to back (each P long, windowed here) so one kernel call does a block.
  const block = Math.max(1, Math.min(frames, Math.floor((1 << 18) / P)));
  const winBytes = 4 * P;
  const base = heap.scratch(winBytes + 4 * P * block + 4 * F * block);
  heap.f32(base, P).fill(1);
  const xPtr = base + winBytes;
  const outPtr = xPtr + 4 * P * block;
  const frame = new Float64Array(L);
  for (let t0 = 0; t0 < frames; t0 += block) {
    const nb = Math.min(block, frames - t0);
    const dst = heap.f32(xPtr, P * nb);
    dst.fill(0);
    for (let b = 0; b < nb; b++) {
      const s = (t0 + b) * S;
      let mean = 0;
      for (let i = 0; i < L; i++) { frame[i] = data[s + i]; mean += frame[i]; }
      mean = removeDc ? mean / L : 0;
      let prev = frame[0] - mean;
      for (let i = 0; i < L; i++) {
        const v = frame[i] - mean;
        dst[b * P + i] = (v - coeff * prev) * window[i];
        prev = v;
      }
    }
    heap.kernels.filterbankFrames(plan, xPtr, nb, P, base, 2, bank.fb, bank.weights, F, outPtr, 1, F);
    const e = heap.f32(outPtr, nb * F);
    for (let i = 0; i < nb * F; i++) out[t0 * F + i] = Math.log(Math.max(e[i], KALDI_LOG_FLOOR));
  }
  return { dtype: 'float32', shape: [frames, F], data: out };
}
