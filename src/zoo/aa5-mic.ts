/**
 * The CRCNS-AA5 cage-mic alignment check (`mic_alignment` of the reference's preparer): where
 * the played stimulus really is in one trial's 25 kHz microphone recording, how confident that
 * is, and how loud the cage was before and after it. Both signals cover the −0.5 … 4.5 s window.
 * Steps and constants: docs/zoo/aa5.md ("Mic alignment").
 * @module
 */
import { melSpectrogram } from '../spectral/mel.js';
import { resamplePoly } from '../signal/resample-poly.js';
import { fft64 } from '../signal/fft64.js';
import { roundHalfEven } from '../util/round.js';

/** The mic rate, the frame hop (5 ms) and the lag range searched, in s. */
const MIC_FS = 25000;
const HOP = 125;
const LAG_RANGE_S: readonly [number, number] = [-0.5, 4.0];

/**
 * What the check adds to a playback (keys as in `playbacks.json`).
 * @example
 * ```ts
 * const m: AA5MicMetrics = aa5MicAlignment(stim, 32000, mic); m.mic_offset_ms;
 * ```
 */
export interface AA5MicMetrics {
  /** Where the sound is re. the logged onset, in ms (positive = later). */
  mic_offset_ms: number;
  /** Normalised spectral correlation at the best lag. */
  mic_peak: number;
  /** Best value more than 10 frames (50 ms) from the peak (NaN if none). */
  mic_second: number;
  /** Loudest 20 ms before the sound re. the level during it, dB. */
  mic_pre_peak_db: number;
  /** Loudest 20 ms from 100 ms after the sound's end, re. the level during it, dB. */
  mic_post_peak_db: number;
}

/** 48-band mel power (n_fft 512, window 250, hop 125, 250–10 000 Hz) of a 25 kHz signal, raised to 0.3: rows of float64. */
function compressedMel(x: Float64Array): Float64Array[] {
  const m = melSpectrogram(new Float32Array(x), { sampleRate: MIC_FS, nFft: 512, winLength: 250, hop: HOP, nMels: 48, fMin: 250, fMax: 10000, power: 2 });
  const [bands, frames] = m.shape;
  const rows: Float64Array[] = [];
  for (let b = 0; b < bands; b++) {
    const r = new Float64Array(frames);
    for (let t = 0, o = b * frames; t < frames; t++) r[t] = Math.fround(m.data[o + t] ** 0.3);
    rows.push(r);
  }
  return rows;
}

/** k-th smallest of `a` (reordered in place; no NaN), by Hoare quickselect. */
function select(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median as the sorted copy would give it (order statistics are exact, so a selection suffices without NaN). */
function median(row: Float64Array): number {
  const s = Float64Array.from(row);
  const h = s.length >> 1;
  let nan = false;
  for (let t = 0; t < s.length && !nan; t++) nan = Number.isNaN(s[t]);
  if (nan) {
    s.sort();
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  }
  const upper = select(s, h);
  if (s.length % 2) return upper;
  let lower = -Infinity;
  for (let t = 0; t < h; t++) if (s[t] > lower) lower = s[t]; // select leaves the h smallest in front
  return (lower + upper) / 2;
}

function centre(rows: Float64Array[]): void {
  for (const r of rows) {
    let mean = 0;
    for (let t = 0; t < r.length; t++) mean += r[t];
    mean /= r.length;
    for (let t = 0; t < r.length; t++) r[t] -= mean;
  }
}

/** Σ over rows of Σ v², row by row in order, square-rooted (the Frobenius norm). */
function frobenius(rows: readonly Float64Array[]): number {
  let s = 0;
  for (const r of rows) {
    let a = 0;
    for (let t = 0; t < r.length; t++) a += r[t] * r[t];
    s += a;
  }
  return Math.sqrt(s);
}

/** Mean of squares of x[from, to), summed in order. */
function meanSq(x: Float64Array, from: number, to: number): number {
  let a = 0;
  for (let t = from; t < to; t++) a += x[t] * x[t];
  return a / (to - from);
}

/** FFT size of the blocked sample-level refinement (a stimulus span of up to 3596 samples takes one block). */
const REFINE_FFT = 4096;

/** Next power of two ≥ 2·n (NumPy's `1 << ceil(log2(2n))`). */
const fftSize = (n: number) => 2 ** Math.ceil(Math.log2(2 * n));

/**
 * Circular cross-correlation of zero-padded rows, summed over rows: `irfft(Σ_b rfft(a_b, L) ·
 * conj(rfft(s_b, L)), L)`, so entry `lag mod L` is Σ_b Σ_t a_b[t + lag] · s_b[t].
 */
function xcorr(a: readonly Float64Array[], s: readonly Float64Array[], L: number): Float64Array {
  const accRe = new Float64Array(L), accIm = new Float64Array(L);
  const re = new Float64Array(L), im = new Float64Array(L);
  for (let b = 0; b < a.length; b++) {
    // Both real rows in one complex FFT: X = F(a + i·s), F(a)_k = (X_k + X*_{−k}) / 2, F(s)_k = (X_k − X*_{−k}) / 2i.
    re.fill(0);
    im.fill(0);
    re.set(a[b]);
    im.set(s[b]);
    fft64(re, im);
    for (let k = 0; k < L; k++) {
      const j = k === 0 ? 0 : L - k;
      const ar = (re[k] + re[j]) / 2, ai = (im[k] - im[j]) / 2;
      const sr = (im[k] + im[j]) / 2, si = (re[j] - re[k]) / 2;
      accRe[k] += ar * sr + ai * si;
      accIm[k] += ai * sr - ar * si;
    }
  }
  fft64(accRe, accIm, true);
  for (let k = 0; k < L; k++) accRe[k] /= L;
  return accRe;
}

/**
 * |circular waveform cross-correlation| (`L2 = 2^⌈log2 2n⌉`, as the reference's FFT) at the 501
 * lags `coarse − 250 … coarse + 250`; an index modulo L2 is the linear correlation at a lag in
 * (−n, n), or 0 between the two zero-padded copies. When those lags spread over more than 501
 * values (they wrap: signals shorter than the lag range) or a signal holds NaN / ±Infinity (which
 * spread over the whole FFT), the full-length FFT is taken. Otherwise only the stimulus's span
 * (first to last non-zero sample) and the mic samples it meets at these lags matter: the span is
 * cut into blocks of B samples, each correlated with the B + W − 1 mic samples it meets in one
 * FFT of `REFINE_FFT` points (no wrap-around), the products summed over blocks before one inverse
 * FFT — the same correlations (to rounding) at a fraction of the cost of the full-length FFT.
 */
function refineScores(mic: Float64Array, stim: Float64Array, coarse: number): Float64Array {
  const n = stim.length;
  const L2 = fftSize(n);
  const out = new Float64Array(501);
  const lags = new Float64Array(501); // each k's lag in (−n, n); NaN between the two copies
  let eLo = Infinity, eHi = -Infinity;
  for (let k = 0; k < 501; k++) {
    let e = (((coarse - 250 + k) % L2) + L2) % L2;
    if (e >= n && e <= L2 - n) { lags[k] = NaN; continue; }
    if (e > L2 - n) e -= L2;
    lags[k] = e;
    eLo = Math.min(eLo, e);
    eHi = Math.max(eHi, e);
  }
  let finite = true;
  for (let t = 0; t < n && finite; t++) finite = Number.isFinite(mic[t]) && Number.isFinite(stim[t]);
  if (!finite || eHi - eLo > 500) {
    const wx = xcorr([mic], [stim], L2);
    for (let k = 0; k < 501; k++) out[k] = Math.abs(wx[(((coarse - 250 + k) % L2) + L2) % L2]);
    return out;
  }
  if (eHi < eLo) return out; // every lag between the copies
  let from = 0, to = n;
  while (from < n && stim[from] === 0) from++;
  while (to > from && stim[to - 1] === 0) to--;
  if (from === to) return out; // a silent stimulus correlates to 0 everywhere
  const W = eHi - eLo + 1;
  // seg[i] = mic[from + eLo + i] (0 outside the signal): Σ_t mic[t + e] · stim[t] = Σ_i seg[i + e − eLo] · stim[from + i].
  const seg = new Float64Array(to - from + W - 1);
  for (let i = 0; i < seg.length; i++) {
    const m = from + eLo + i;
    if (m >= 0 && m < n) seg[i] = mic[m];
  }
  const P = Math.min(REFINE_FFT, fftSize(seg.length / 2));
  const B = P - W + 1;
  const segs: Float64Array[] = [], stims: Float64Array[] = [];
  for (let b = 0; from + b * B < to; b++) {
    segs.push(seg.subarray(b * B, Math.min(b * B + P, seg.length)));
    stims.push(stim.subarray(from + b * B, Math.min(from + (b + 1) * B, to)));
  }
  const wx = xcorr(segs, stims, P);
  for (let k = 0; k < 501; k++) if (!Number.isNaN(lags[k])) out[k] = Math.abs(wx[lags[k] - eLo]);
  return out;
}

/** NumPy's argmax (a NaN wins at its first position). */
function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) return i;
    if (v[i] > v[best]) best = i;
  }
  return best;
}

/**
 * Locates the stimulus in one trial's mic recording (`mic_alignment(stim, fs_stim, mic)`): the
 * stimulus resampled to 25 kHz (`resample_poly`), both cut to the shorter length; compressed mel
 * spectrograms (mic minus its per-band median, floored at 0; both mean-centred per band)
 * cross-correlated over lags −0.5 … +4 s in 5 ms steps and normalised by the product of their
 * Frobenius norms; the best lag refined to the sample by waveform cross-correlation within ±250
 * samples; loudness of the loudest 20 ms frame before / after the sound re. the sound's level.
 * @throws Error from the mel front-end for signals too short to frame (the preparer reports it and stores no mic fields)
 * @example
 * ```ts
 * const m = aa5MicAlignment(row.wav, row.fs, micOfTrial); // { mic_offset_ms: 12.4, mic_peak: 0.83, … }
 * ```
 */
export function aa5MicAlignment(stimIn: Float64Array, fsStim: number, micIn: Float64Array): AA5MicMetrics {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(MIC_FS, fsStim);
  const resampled = fsStim === MIC_FS ? stimIn : resamplePoly(stimIn, MIC_FS / g, fsStim / g);
  const n = Math.min(resampled.length, micIn.length);
  const stim = resampled.subarray(0, n);
  const mic = micIn.subarray(0, n);

  const S = compressedMel(stim);
  const M = compressedMel(mic);
  for (const r of M) {
    const med = median(r);
    for (let t = 0; t < r.length; t++) r[t] = Math.max(r[t] - med, 0);
  }
  centre(S);
  centre(M);
  const scale = frobenius(S) * frobenius(M) + 1e-12;
  const lo = roundHalfEven((LAG_RANGE_S[0] * MIC_FS) / HOP);
  const hi = roundHalfEven((LAG_RANGE_S[1] * MIC_FS) / HOP);
  const L = fftSize(S[0].length);
  const xc = xcorr(M, S, L);
  const vals = new Float64Array(hi - lo + 1);
  for (let k = 0; k < vals.length; k++) vals[k] = xc[(((lo + k) % L) + L) % L] / scale;
  const i = argmax(vals);
  const best = lo + i;
  let second = -Infinity;
  let far = false;
  for (let k = 0; k < vals.length; k++) {
    if (Math.abs(lo + k - best) <= 10) continue;
    far = true;
    if (Number.isNaN(vals[k]) || vals[k] > second) second = vals[k];
    if (Number.isNaN(second)) break;
  }

  // Sample-level refinement within ±250 samples of the coarse lag.
  const coarse = best * HOP;
  const fine = refineScores(mic, stim, coarse);
  const lag = coarse - 250 + argmax(fine);

  // Off-stimulus loudness at the corrected position.
  let peak = 0;
  for (let t = 0; t < n; t++) if (!(Math.abs(stim[t]) <= peak)) peak = Math.abs(stim[t]);
  const thr = 1e-6 * (peak + 1e-12);
  let first = -1, last = -1;
  for (let t = 0; t < n; t++) if (Math.abs(stim[t]) > thr) { if (first < 0) first = t; last = t; }
  const clip = (v: number) => Math.min(Math.max(v, 0), n - 1);
  const on = clip(first < 0 ? 0 : first + lag);
  const off = clip(first < 0 ? n - 1 : last + lag);
  const actDb = 10 * Math.log10(meanSq(mic, on, off + 1) + 1e-20);
  const frame = 0.02 * MIC_FS;
  /** Loudest whole 20 ms frame of mic[from, to), frames aligned to `from`. */
  const peakDb = (from: number, to: number) => {
    if (to - from < frame) return NaN;
    let loudest = -Infinity;
    for (let f = from; f + frame <= to; f += frame) loudest = Math.max(loudest, meanSq(mic, f, f + frame));
    return 10 * Math.log10(loudest + 1e-20) - actDb;
  };
  return {
    mic_offset_ms: (1e3 * lag) / MIC_FS,
    mic_peak: vals[i],
    mic_second: far ? second : NaN,
    mic_pre_peak_db: peakDb(0, Math.max(on - frame / 2, 0)),
    mic_post_peak_db: peakDb(Math.min(off + 0.1 * MIC_FS, n), n),
  };
}
