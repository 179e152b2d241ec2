/**
 * MNE-Python's default raw-data processing, in float64 as NumPy: `raw.filter(l_freq, h_freq)`
 * (FIR, zero phase, Hamming-windowed `firwin` design, automatic transition bandwidths and
 * length, overlap-add with `reflect_limited` edge padding) and `raw.resample(sfreq)` (FFT
 * resampling: automatic power-of-two padding, frequency-domain truncation with MNE's Nyquist-bin
 * rule, boxcar window). The rules are spelled out in docs/zoo/alice-eeg.md.
 * @module
 */
import { ValueError } from '../errors.js';
import { roundHalfEven } from '../util/round.js';
import { fft64 } from './fft64.js';

/** MNE's `_length_factors['hamming']`: filter length = 3.3 / transition bandwidth seconds. @example `MNE_HAMMING_LENGTH_FACTOR / 1 * 500 // 1650 samples` */
export const MNE_HAMMING_LENGTH_FACTOR = 3.3;

/**
 * MNE's automatic transition bandwidths: `min(max(0.25·l, 2), l)` below the high-pass edge and
 * `min(max(0.25·h, 2), sfreq/2 − h)` above the low-pass edge (null where the edge is null).
 * @example
 * ```ts
 * mneTransitionBandwidths(500, 1, null); // { low: 1, high: null }
 * ```
 */
export function mneTransitionBandwidths(sfreq: number, lFreq: number | null, hFreq: number | null): { low: number | null; high: number | null } {
  return {
    low: lFreq === null ? null : Math.min(Math.max(lFreq * 0.25, 2), lFreq),
    high: hFreq === null ? null : Math.min(Math.max(hFreq * 0.25, 2), sfreq / 2 - hFreq),
  };
}

/**
 * MNE's automatic FIR length: ceil(3.3 / min(transition bandwidths) · sfreq), made odd.
 * @example
 * ```ts
 * mneFilterLength(500, 1, null); // 1651
 * ```
 */
export function mneFilterLength(sfreq: number, lTrans: number | null, hTrans: number | null): number {
  const minTrans = Math.min(lTrans ?? Infinity, hTrans ?? Infinity);
  const seconds = MNE_HAMMING_LENGTH_FACTOR * 1 / minTrans;
  let n = Math.max(Math.ceil(seconds * 1 * sfreq), 1);
  n += (n - 1) % 2;
  return n;
}

/**
 * SciPy's `firwin(numtaps, cutoff, window='hamming', pass_zero=True, fs=2)`: a Hamming-windowed
 * sinc low-pass with `cutoff` relative to Nyquist, scaled to unit gain at DC.
 * @example
 * ```ts
 * const h = firwinLowpass(11, 0.5); // h.reduce((a, b) => a + b) === 1 (to rounding)
 * ```
 */
export function firwinLowpass(numtaps: number, cutoff: number): Float64Array {
  const h = new Float64Array(numtaps);
  const alpha = 0.5 * (numtaps - 1);
  let sum = 0;
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    const x = cutoff * m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = numtaps === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (numtaps - 1));
    h[i] = cutoff * sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < numtaps; i++) h[i] /= sum;
  return h;
}

/**
 * MNE's `_firwin_design`: from the top band down, each change of gain adds (or subtracts) a
 * `firwinLowpass` centred in the N taps, its own length round(3.3 / half-transition) made odd,
 * cut-off at the middle of the transition. `freq` is relative to Nyquist (0 … 1), `gain` 0 or 1.
 * @example
 * ```ts
 * const h = mneFirwinDesign(1651, [0, 1 / 250, 1], [0, 1, 1]); // 1 Hz high-pass at 500 Hz
 * ```
 */
export function mneFirwinDesign(N: number, freq: readonly number[], gain: readonly number[]): Float64Array {
  if (N % 2 !== 1) throw new ValueError(`FIR length must be odd for a zero-phase filter, got ${N}`);
  const h = new Float64Array(N);
  let prevFreq = freq[freq.length - 1], prevGain = gain[gain.length - 1];
  if (prevGain === 1) h[(N - 1) / 2] = 1;
  for (let i = freq.length - 2; i >= 0; i--) {
    const f = freq[i], g = gain[i];
    if (g !== prevGain) {
      const transition = (prevFreq - f) / 2;
      let n = roundHalfEven(MNE_HAMMING_LENGTH_FACTOR / transition);
      n += 1 - (n % 2);
      if (n > N) throw new ValueError(`the transition band ${transition * 2} (relative to Nyquist) needs ${n} taps, more than the filter length ${N}`);
      const lp = firwinLowpass(n, (prevFreq + f) / 2);
      const off = (N - n) / 2;
      for (let k = 0; k < n; k++) h[off + k] += g === 0 ? -lp[k] : lp[k];
    }
    prevGain = g;
    prevFreq = f;
  }
  return h;
}

/**
 * The FIR kernel of `raw.filter(lFreq, hFreq)` with MNE's defaults (high-pass, low-pass or
 * band-pass).
 * @example
 * ```ts
 * mneFilterKernel(500, 1, null).length; // 1651
 * ```
 */
export function mneFilterKernel(sfreq: number, lFreq: number | null, hFreq: number | null): Float64Array {
  const nyq = sfreq / 2;
  if (lFreq !== null && !(lFreq > 0 && lFreq < nyq)) throw new ValueError(`high-pass frequency must be in (0, ${nyq}) Hz, got ${lFreq}`);
  if (hFreq !== null && !(hFreq > 0 && hFreq < nyq)) throw new ValueError(`low-pass frequency must be in (0, ${nyq}) Hz, got ${hFreq}`);
  if (lFreq !== null && hFreq !== null && !(lFreq < hFreq)) throw new ValueError(`band-pass needs lFreq < hFreq, got ${lFreq} and ${hFreq}`);
  if (lFreq === null && hFreq === null) throw new ValueError('need a high-pass or a low-pass frequency');
  const { low, high } = mneTransitionBandwidths(sfreq, lFreq, hFreq);
  const N = mneFilterLength(sfreq, low, high);
  let freq: number[], gain: number[];
  if (lFreq !== null && hFreq === null) {
    const stop = lFreq - low!;
    freq = [stop, lFreq, nyq]; gain = [0, 1, 1];
    if (stop !== 0) { freq.unshift(0); gain.unshift(0); }
  } else if (lFreq === null) {
    const stop = hFreq! + high!;
    freq = [0, hFreq!, stop]; gain = [1, 1, 0];
    if (stop !== nyq) { freq.push(nyq); gain.push(0); }
  } else {
    const stopLow = lFreq - low!, stopHigh = hFreq! + high!;
    freq = [stopLow, lFreq, hFreq!, stopHigh]; gain = [0, 1, 1, 0];
    if (stopHigh !== nyq) { freq.push(nyq); gain.push(0); }
    if (stopLow !== 0) { freq.unshift(0); gain.unshift(0); }
  }
  return mneFirwinDesign(N, freq.map((f) => f / nyq), gain);
}

/**
 * MNE's `_smart_pad(x, (left, right), 'reflect_limited')`: odd reflection about each edge
 * sample (2·x[0] − x[k]), zeros beyond the signal's length.
 * @example
 * ```ts
 * mneSmartPad(Float64Array.of(1, 2, 4), 2, 1); // [-2, 0, 1, 2, 4, 6]
 * ```
 */
export function mneSmartPad(x: Float64Array, left: number, right: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + left + right);
  const zl = Math.max(left - n + 1, 0), zr = Math.max(right - n + 1, 0);
  for (let i = 0; i < left - zl; i++) out[zl + i] = 2 * x[0] - x[left - zl - i];
  out.set(x, left);
  for (let i = 0; i < right - zr; i++) out[left + n + i] = 2 * x[n - 1] - x[n - 2 - i];
  return out;
}

/** MNE's FFT length choice for overlap-add (cost of multiplications plus a length penalty). */
function overlapAddFftLength(nh: number, nx: number): number {
  const minFft = 2 * nh - 1;
  if (nx < minFft) { let p = 1; while (p < minFft) p <<= 1; return p; }
  let best = 0, bestCost = Infinity;
  for (let e = Math.ceil(Math.log2(minFft)); e <= Math.ceil(Math.log2(nx)); e++) {
    const N = 2 ** e;
    const cost = Math.ceil(nx / (N - nh + 1)) * N * (Math.log2(N) + 1) + 4e-5 * N * nx;
    if (cost < bestCost) { bestCost = cost; best = N; }
  }
  return best;
}

/**
 * Zero-phase FIR filtering of each row as MNE's `_overlap_add_filter`: pad min(len h, n) − 1
 * samples (reflect_limited) on both sides, convolve, drop the (len h − 1)/2 delay and the pads.
 * Rows are `channels` slices of `n` samples of `data`, filtered in place.
 * @example
 * ```ts
 * mneFirFilter(data, nChannels, nSamples, mneFilterKernel(500, 1, null));
 * ```
 */
export function mneFirFilter(data: Float64Array, channels: number, n: number, h: Float64Array): void {
  const nh = h.length;
  if (nh === 1) { for (let i = 0; i < channels * n; i++) data[i] *= h[0]; return; }
  if (n === 0) return;
  const edge = Math.max(Math.min(nh, n) - 1, 0);
  const nx = n + 2 * edge;
  const nfft = overlapAddFftLength(nh, nx);
  const seg = nfft - nh + 1;
  const Hr = new Float64Array(nfft), Hi = new Float64Array(nfft);
  Hr.set(h);
  fft64(Hr, Hi);
  const shift = (nh - 1) / 2 + edge;
  const re = new Float64Array(nfft), im = new Float64Array(nfft);
  // Two real rows per complex FFT (h is real, so the rows stay in the real and imaginary parts).
  for (let c = 0; c < channels; c += 2) {
    const a = mneSmartPad(data.subarray(c * n, (c + 1) * n), edge, edge);
    const b = c + 1 < channels ? mneSmartPad(data.subarray((c + 1) * n, (c + 2) * n), edge, edge) : null;
    const ya = new Float64Array(nx), yb = new Float64Array(nx);
    for (let start = 0; start < nx; start += seg) {
      re.fill(0); im.fill(0);
      const len = Math.min(seg, nx - start);
      re.set(a.subarray(start, start + len));
      if (b) im.set(b.subarray(start, start + len));
      fft64(re, im);
      for (let k = 0; k < nfft; k++) {
        const r = re[k] * Hr[k] - im[k] * Hi[k];
        im[k] = re[k] * Hi[k] + im[k] * Hr[k];
        re[k] = r;
      }
      fft64(re, im, true);
      const from = Math.max(0, start - shift), to = Math.min(start - shift + nfft, nx);
      const p0 = Math.max(0, shift - start);
      for (let j = from; j < to; j++) { ya[j] += re[p0 + j - from] / nfft; yb[j] += im[p0 + j - from] / nfft; }
    }
    data.set(ya.subarray(0, n), c * n);
    if (b) data.set(yb.subarray(0, n), (c + 1) * n);
  }
}

/**
 * `raw.filter(lFreq, hFreq)` on `channels` rows of `n` samples (in place), MNE defaults.
 * @example
 * ```ts
 * mneFilter(raw.data, raw.channels.length, raw.nSamples, raw.sfreq, 1, null);
 * ```
 */
export function mneFilter(data: Float64Array, channels: number, n: number, sfreq: number, lFreq: number | null, hFreq: number | null): void {
  mneFirFilter(data, channels, n, mneFilterKernel(sfreq, lFreq, hFreq));
}

/**
 * The sample count after resampling `n` samples by `ratio` (MNE: max(round(ratio·n), 1)).
 * @example
 * ```ts
 * mneResampledLength(1001, 0.2); // 200 (200.2 rounded)
 * ```
 */
export function mneResampledLength(n: number, ratio: number): number {
  return Math.max(roundHalfEven(ratio * n), 1);
}

/**
 * `raw.resample(newFs)` (MNE's `_resample_fft`, boxcar window, npad 'auto', reflect_limited):
 * pad to a power of two (adding at least min(n//8, 100)·2 samples), rFFT, scale the Nyquist bin
 * of the shorter length (×2 when shrinking, ×0.5 when growing), multiply by newLen/origLen,
 * inverse rFFT at the new length, trim the padding. Rows of `n` samples → rows of the new length.
 * @example
 * ```ts
 * const { data, n } = mneResample(eeg, 61, nSamples, 500, 100);
 * ```
 */
export function mneResample(data: Float64Array, channels: number, n: number, oldFs: number, newFs: number): { data: Float64Array; n: number } {
  if (!(oldFs > 0) || !(newFs > 0)) throw new ValueError(`sampling rates must be positive, got ${oldFs} → ${newFs}`);
  const ratio = newFs / oldFs;
  const finalLen = mneResampledLength(n, ratio);
  const out = new Float64Array(channels * finalLen);
  if (n === 0) return { data: out, n: finalLen };
  const minAdd = Math.min(Math.floor(n / 8), 100) * 2;
  const padTotal = 2 ** Math.ceil(Math.log2(n + minAdd)) - n;
  const pad0 = Math.floor(padTotal / 2), pad1 = pad0 + (padTotal % 2);
  const origLen = n + padTotal;
  const newLen = Math.max(roundHalfEven(ratio * origLen), 1);
  const cut0 = roundHalfEven(ratio * pad0);
  const W = newLen / origLen;
  const shorter = newLen < origLen;
  const useLen = shorter ? newLen : origLen;
  const nyqScale = useLen % 2 === 0 ? { at: useLen / 2, by: shorter ? 2 : 0.5 } : null;
  const keep = Math.min(Math.floor(newLen / 2), origLen / 2);
  const xr = new Float64Array(origLen), xi = new Float64Array(origLen);
  const yr = new Float64Array(newLen), yi = new Float64Array(newLen);
  for (let c = 0; c < channels; c += 2) {
    const two = c + 1 < channels;
    xr.set(mneSmartPad(data.subarray(c * n, (c + 1) * n), pad0, pad1));
    if (two) xi.set(mneSmartPad(data.subarray((c + 1) * n, (c + 2) * n), pad0, pad1)); else xi.fill(0);
    fft64(xr, xi);
    yr.fill(0); yi.fill(0);
    // Unpack the two real spectra A, B from Z = FFT(a + ib), scale, and repack Y = A' + iB'
    // with Hermitian symmetry at the new length, so that IFFT(Y) = a' + ib'.
    for (let k = 0; k <= keep; k++) {
      const j = k === 0 ? 0 : origLen - k;
      let ar = (xr[k] + xr[j]) / 2, ai = (xi[k] - xi[j]) / 2;
      let br = (xi[k] + xi[j]) / 2, bi = -(xr[k] - xr[j]) / 2;
      let s = W;
      if (nyqScale && k === nyqScale.at) s *= nyqScale.by;
      ar *= s; ai *= s; br *= s; bi *= s;
      const edge = k === 0 || (newLen % 2 === 0 && k === newLen / 2);
      if (edge) { ai = 0; bi = 0; }
      yr[k] = ar - bi; yi[k] = ai + br;
      if (!edge) { const m = newLen - k; yr[m] = ar + bi; yi[m] = br - ai; }
    }
    fft64(yr, yi, true);
    for (let t = 0; t < finalLen; t++) {
      out[c * finalLen + t] = yr[cut0 + t] / newLen;
      if (two) out[(c + 1) * finalLen + t] = yi[cut0 + t] / newLen;
    }
  }
  return { data: out, n: finalLen };
}
