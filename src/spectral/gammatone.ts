/**
 * The gammatone-gram of the PyPI `gammatone` package (`gtgram`): Slaney's ERB filterbank (four
 * cascaded second-order IIR sections per channel, Glasberg–Moore ERB spacing), squared output,
 * windowed RMS. Used by the Le 2025 and Alice EEG loaders (`gammatonegram`) and, in causal form,
 * by the wav2spec `Gammatonegram` front-end. Filtering is float64, like SciPy's lfilter.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkWav2specInput } from './causal-mel.js';
import { waveformParts, type Waveform } from './stft.js';
import { roundHalfAway, roundHalfEven } from './windows.js';

const EAR_Q = 9.26449;
const MIN_BW = 24.7;

/**
 * Centre frequencies of `channels` ERB-spaced filters between fMin and fMax, in ascending
 * order (the package computes them descending, then flips its coefficient table).
 * @example
 * ```ts
 * erbCentreFrequencies(1000, 8000, 50)[0]; // ≈ 1000 (the lowest channel)
 * ```
 */
export function erbCentreFrequencies(fMin: number, fMax: number, channels: number): Float64Array {
  if (!Number.isInteger(channels) || channels < 1) throw new ValueError(`channels must be a positive integer, got ${channels}`);
  if (!(fMin > 0) || !(fMax > fMin)) throw new ValueError(`need 0 < fMin < fMax, got fMin ${fMin}, fMax ${fMax}`);
  const cf = new Float64Array(channels);
  const hi = fMax + EAR_Q * MIN_BW, lo = fMin + EAR_Q * MIN_BW;
  for (let k = 1; k <= channels; k++) {
    // erb_point(fMin, fMax, k / C), descending in k; stored ascending.
    cf[channels - k] = -EAR_Q * MIN_BW + Math.exp((k / channels) * (-Math.log(hi) + Math.log(lo))) * hi;
  }
  return cf;
}

/** One channel's coefficients: the four numerators' middle term, the shared denominator, gain. */
interface ErbFilter { a0: number; a1: [number, number, number, number]; b1: number; b2: number; gain: number }

/** Slaney's make_erb_filters for one centre frequency. */
function makeErbFilter(fs: number, cf: number): ErbFilter {
  const T = 1 / fs;
  const erb = cf / EAR_Q + MIN_BW;
  const B = 1.019 * 2 * Math.PI * erb;
  const arg = 2 * cf * Math.PI * T;
  const eBT = Math.exp(B * T);
  const b1 = (-2 * Math.cos(arg)) / eBT;
  const b2 = Math.exp(-2 * B * T);
  const rtPos = Math.sqrt(3 + 2 ** 1.5), rtNeg = Math.sqrt(3 - 2 ** 1.5);
  const common = -T * Math.exp(-(B * T));
  const c = Math.cos(arg), s = Math.sin(arg);
  const k = [c + rtPos * s, c - rtPos * s, c + rtNeg * s, c - rtNeg * s] as const;
  // gain = |Π_k (vec − gainArg·k_k) · (T·e^{BT} / (−e^{−BT} + 1 + vec·(1 − e^{BT})))^4|
  const vr = Math.cos(2 * arg), vi = Math.sin(2 * arg);
  const gr = Math.cos(arg) / eBT, gi = Math.sin(arg) / eBT; // e^{i·arg − BT}
  let pr = 1, pi = 0;
  for (const kk of k) {
    const fr = vr - gr * kk, fi = vi - gi * kk;
    [pr, pi] = [pr * fr - pi * fi, pr * fi + pi * fr];
  }
  const dr = -1 / eBT + 1 + vr * (1 - eBT), di = vi * (1 - eBT);
  const dd = dr * dr + di * di;
  let qr = (T * eBT * dr) / dd, qi = (-T * eBT * di) / dd; // T·e^{BT} / d
  for (let j = 0; j < 2; j++) [qr, qi] = [qr * qr - qi * qi, 2 * qr * qi]; // ^4
  const gain = Math.hypot(pr * qr - pi * qi, pr * qi + pi * qr);
  return { a0: T, a1: [common * k[0], common * k[1], common * k[2], common * k[3]], b1, b2, gain };
}

/**
 * Squared ERB filterbank output `xe` (channels × T, float64): each channel is four cascaded
 * lfilter([T, A1k, 0], [1, B1, B2]) sections from a zero state, divided by the gain, squared.
 */
export function erbFilterbankEnergy(wave: Float32Array | Float64Array, fs: number, cfs: Float64Array): Float64Array {
  const T = wave.length, C = cfs.length;
  const out = new Float64Array(C * T);
  for (let ch = 0; ch < C; ch++) {
    const f = makeErbFilter(fs, cfs[ch]);
    // Four direct-form-II-transposed biquads in one pass; y = (a0·x + a1·x[−1]) − b1·y[−1] − b2·y[−2].
    // The state lives in scalars (the same operations in the same order as a loop over sections).
    const { a0, b1, b2 } = f;
    const [c0, c1, c2, c3] = f.a1;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    const inv = 1 / f.gain;
    const o = ch * T;
    for (let i = 0; i < T; i++) {
      const x: number = wave[i];
      const y0 = a0 * x + p0;
      p0 = c0 * x - b1 * y0 + q0;
      q0 = -b2 * y0; // a2 = 0
      const y1 = a0 * y0 + p1;
      p1 = c1 * y0 - b1 * y1 + q1;
      q1 = -b2 * y1;
      const y2 = a0 * y1 + p2;
      p2 = c2 * y1 - b1 * y2 + q2;
      q2 = -b2 * y2;
      const y3 = a0 * y2 + p3;
      p3 = c3 * y2 - b1 * y3 + q3;
      q3 = -b2 * y3;
      const y = y3 * inv;
      out[o + i] = y * y;
    }
  }
  return out;
}

/** Options of {@link gammatonegram} (the package's `gtgram` arguments). */
export interface GammatonegramOptions {
  sampleRate: number;
  /** RMS window in seconds·1000 (ms). */
  windowMs: number;
  /** Hop in ms. */
  hopMs: number;
  /** Number of channels. */
  channels: number;
  fMin: number;
  /** Default sampleRate / 2. */
  fMax?: number;
}

/**
 * The `gammatone` package's gtgram: `(channels, 1 + ⌊(T − nwin)/hop⌋)` float32, column c =
 * sqrt(mean of xe over samples [c·hop, c·hop + nwin)), nwin and hop rounded half away from zero.
 * Rows ascend in frequency. Also returns the centre frequencies.
 * @example
 * ```ts
 * const { spec } = gammatonegram(wave, { sampleRate: 48000, windowMs: 2.5, hopMs: 5, channels: 50, fMin: 1000, fMax: 8000 });
 * ```
 */
export function gammatonegram(wave: Waveform, opts: GammatonegramOptions): { spec: Tensor<'float32'>; freqs: Float64Array } {
  const { lead, T, data } = waveformParts(wave, 'wave');
  if (lead.some((d) => d !== 1)) throw new ValueError(`wave must be mono (T) or (1, T), got leading shape [${lead.join(', ')}]`);
  const fs = opts.sampleRate;
  if (!(fs > 0)) throw new ValueError(`sampleRate must be positive, got ${fs}`);
  const nwin = roundHalfAway((opts.windowMs / 1000) * fs);
  const hop = roundHalfAway((opts.hopMs / 1000) * fs);
  if (nwin < 1 || hop < 1) throw new ValueError(`window (${nwin}) and hop (${hop}) must be at least one sample`);
  const cfs = erbCentreFrequencies(opts.fMin, opts.fMax ?? fs / 2, opts.channels);
  const cols = T >= nwin ? 1 + Math.floor((T - nwin) / hop) : 0;
  const xe = erbFilterbankEnergy(data, fs, cfs);
  return { spec: windowedRms(xe, cfs.length, T, cols, hop, nwin), freqs: cfs };
}

function windowedRms(xe: Float64Array, C: number, T: number, cols: number, hop: number, nwin: number): Tensor<'float32'> {
  const out = new Float32Array(C * cols);
  for (let ch = 0; ch < C; ch++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      const o = ch * T + c * hop;
      for (let n = 0; n < nwin; n++) s += xe[o + n];
      out[ch * cols + c] = Math.sqrt(s / nwin);
    }
  }
  return { dtype: 'float32', shape: [C, cols], data: out };
}

/** Options of the {@link Gammatonegram} wav2spec front-end. */
export interface GammatonegramFrontEndOptions {
  audioFs: number;
  /** Default 50. */
  nFilters?: number;
  /** Default 5 ms; hop = round(audioFs·hopMs/1000). */
  hopMs?: number;
  /** RMS window, default 2.5 ms; must not exceed the hop. */
  windowMs?: number;
  /** Default 1000 Hz. */
  fMin?: number;
  /** Default 8000 Hz (clamped to Nyquist). */
  fMax?: number;
  /** `'log1p'` (default), `'log'` (ln(max(x, logFloor))) or `'none'`. */
  compression?: 'log1p' | 'log' | 'none';
  /** Default 1e-8. */
  logFloor?: number;
}

/**
 * Causal gammatone-gram front-end (wav2spec contract): `forward` maps `(B, 1, T_audio)` to
 * `(B, 1, nFilters, T_audio / hop)`; frame t is the RMS over [t·hop, t·hop + nwin), nwin ≤ hop.
 * @example
 * ```ts
 * const gt = new Gammatonegram({ audioFs: 16000 }); // 50 filters, 1–8 kHz, hop 80
 * gt.forward(tensor('float32', [1, 1, 8000])).shape; // [1, 1, 50, 100]
 * ```
 */
export class Gammatonegram {
  readonly outChannels: number;
  readonly hop: number;
  readonly audioFs: number;
  /** RMS window in samples. */
  readonly nwin: number;
  /** Centre frequencies, ascending. */
  readonly centreFrequencies: Float64Array;
  readonly compression: 'log1p' | 'log' | 'none';
  readonly logFloor: number;

  constructor(opts: GammatonegramFrontEndOptions) {
    const fs = opts.audioFs;
    if (!(fs > 0) || !Number.isFinite(fs)) throw new ValueError(`audioFs must be positive, got ${fs}`);
    this.audioFs = fs;
    this.hop = roundHalfEven((fs * (opts.hopMs ?? 5)) / 1000);
    this.nwin = roundHalfAway(((opts.windowMs ?? 2.5) / 1000) * fs);
    if (this.hop < 1) throw new ValueError(`hop rounds to ${this.hop} samples`);
    if (this.nwin < 1 || this.nwin > this.hop) {
      throw new ValueError(`the RMS window (${this.nwin} samples) must be between 1 and the hop (${this.hop} samples) to stay causal`);
    }
    this.outChannels = opts.nFilters ?? 50;
    this.centreFrequencies = erbCentreFrequencies(opts.fMin ?? 1000, Math.min(opts.fMax ?? 8000, fs / 2), this.outChannels);
    this.compression = opts.compression ?? 'log1p';
    if (!['log1p', 'log', 'none'].includes(this.compression)) {
      throw new ValueError(`compression must be 'log1p', 'log' or 'none', got '${String(this.compression)}'`);
    }
    this.logFloor = opts.logFloor ?? 1e-8;
  }

  /**
   * `(B, 1, T_audio)` → `(B, 1, nFilters, T_audio / hop)` float32.
   * @example
   * ```ts
   * const y = new Gammatonegram({ audioFs: 48000 }).forward(x); // x: (B, 1, 240·T)
   * ```
   */
  forward(x: Tensor): Tensor<'float32'> {
    const { B, T, data } = checkWav2specInput(x, this.hop, 'Gammatonegram');
    const cols = T / this.hop, C = this.outChannels;
    const out = new Float32Array(B * C * cols);
    for (let b = 0; b < B; b++) {
      const xe = erbFilterbankEnergy(data.subarray(b * T, (b + 1) * T), this.audioFs, this.centreFrequencies);
      out.set(windowedRms(xe, C, T, cols, this.hop, this.nwin).data, b * C * cols);
    }
    if (this.compression === 'log1p') for (let i = 0; i < out.length; i++) out[i] = Math.log1p(out[i]);
    else if (this.compression === 'log') for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(out[i], this.logFloor));
    return { dtype: 'float32', shape: [B, 1, C, cols], data: out };
  }
}
