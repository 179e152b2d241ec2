/**
 * Magnitude-squared coherence (docs/metrics.md), SciPy's `scipy.signal.coherence` with its
 * defaults: periodic Hann window, nperseg = 256 (the series length when shorter, as SciPy does
 * after warning), noverlap = nperseg // 2, nfft = nperseg, constant detrend per segment,
 * one-sided spectrum, 'density' scaling, segments averaged by their mean, no boundary padding.
 * The density scale and the one-sided doubling cancel in |Pxy|² / (Pxx · Pyy), so only the
 * windowed, detrended segment spectra matter (the sampling rate does not change the values).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { check4D, checkReduction, fmtShape, reduceOverNeurons, type Reduction } from './masking.js';

/** Options of {@link coherence}. */
export interface CoherenceOptions {
  /** Time-bin width in ms (fs = 1000 / dtMs). Required. */
  dtMs: number;
  /** Reduction over neurons. Default `'mean'`. */
  reduction?: Reduction;
}

/** SciPy's `get_window('hann', n)` (periodic, i.e. `sym=False`); length ≤ 1 → ones. */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  if (n <= 1) return w.fill(1);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/**
 * In-place spectrum of a real segment of length n: fills `re`/`im` bins 0..⌊n/2⌋.
 * Radix-2 FFT for powers of two, a direct DFT (cos/sin table) otherwise (n < 256 only).
 */
export class RealSpectrum {
  readonly bins: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly pow2: boolean;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private readonly rev: Int32Array;
  constructor(readonly n: number) {
    this.bins = Math.floor(n / 2) + 1;
    this.pow2 = n >= 2 && (n & (n - 1)) === 0;
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = Math.sin((2 * Math.PI * i) / n);
    }
    this.bufRe = new Float64Array(n);
    this.bufIm = new Float64Array(n);
    this.rev = new Int32Array(n);
    if (this.pow2) {
      const bits = Math.log2(n);
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
        this.rev[i] = r;
      }
    }
  }

  /** X_k = Σ_t x_t e^{−2πi k t / n} for k = 0..bins−1. */
  transform(x: Float64Array, re: Float64Array, im: Float64Array): void {
    const { n, cos, sin } = this;
    if (!this.pow2) {
      for (let k = 0; k < this.bins; k++) {
        let sr = 0;
        let si = 0;
        let idx = 0;
        for (let t = 0; t < n; t++) {
          sr += x[t] * cos[idx];
          si -= x[t] * sin[idx];
          idx += k;
          if (idx >= n) idx -= n;
        }
        re[k] = sr;
        im[k] = si;
      }
      return;
    }
    const br = this.bufRe;
    const bi = this.bufIm;
    for (let i = 0; i < n; i++) {
      br[this.rev[i]] = x[i];
      bi[this.rev[i]] = 0;
    }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let j = 0; j < half; j++) {
          const wr = cos[j * step];
          const wi = -sin[j * step];
          const a = start + j;
          const b = a + half;
          const tr = br[b] * wr - bi[b] * wi;
          const ti = br[b] * wi + bi[b] * wr;
          br[b] = br[a] - tr;
          bi[b] = bi[a] - ti;
          br[a] += tr;
          bi[a] += ti;
        }
      }
    }
    for (let k = 0; k < this.bins; k++) {
      re[k] = br[k];
      im[k] = bi[k];
    }
  }
}

/**
 * Per-frequency magnitude-squared coherence of two equal-length series, as
 * `scipy.signal.coherence(x, y)` with its defaults (see the module notes).
 * @returns one value per one-sided frequency bin (⌊nperseg / 2⌋ + 1 bins).
 */
export function mscohere(x: ArrayLike<number>, y: ArrayLike<number>, xOffset = 0, yOffset = 0, length = x.length): Float64Array {
  const nperseg = Math.min(256, length);
  if (nperseg < 1) throw new ValueError('coherence needs at least one sample per series');
  const noverlap = Math.floor(nperseg / 2);
  const step = nperseg - noverlap;
  const nseg = Math.floor((length - nperseg) / step) + 1;
  const spec = new RealSpectrum(nperseg);
  const w = hannPeriodic(nperseg);
  const bins = spec.bins;
  const sxx = new Float64Array(bins);
  const syy = new Float64Array(bins);
  const sxyRe = new Float64Array(bins);
  const sxyIm = new Float64Array(bins);
  const seg = new Float64Array(nperseg);
  const xr = new Float64Array(bins);
  const xi = new Float64Array(bins);
  const yr = new Float64Array(bins);
  const yi = new Float64Array(bins);
  for (let s = 0; s < nseg; s++) {
    const start = s * step;
    windowed(x, xOffset + start, nperseg, w, seg);
    spec.transform(seg, xr, xi);
    windowed(y, yOffset + start, nperseg, w, seg);
    spec.transform(seg, yr, yi);
    for (let k = 0; k < bins; k++) {
      sxx[k] += xr[k] * xr[k] + xi[k] * xi[k];
      syy[k] += yr[k] * yr[k] + yi[k] * yi[k];
      // conj(X) · Y, as scipy.signal.csd
      sxyRe[k] += xr[k] * yr[k] + xi[k] * yi[k];
      sxyIm[k] += xr[k] * yi[k] - xi[k] * yr[k];
    }
  }
  const out = new Float64Array(bins);
  for (let k = 0; k < bins; k++) out[k] = (sxyRe[k] * sxyRe[k] + sxyIm[k] * sxyIm[k]) / (sxx[k] * syy[k]);
  return out;
}

/** Constant-detrended, windowed copy of `x[off .. off + n)` into `out`. */
function windowed(x: ArrayLike<number>, off: number, n: number, w: Float64Array, out: Float64Array): void {
  let s = 0;
  for (let t = 0; t < n; t++) s += x[off + t];
  const mean = s / n;
  for (let t = 0; t < n; t++) out[t] = (x[off + t] - mean) * w[t];
}

/**
 * Magnitude-squared coherence between predictions and targets (docs/metrics.md), evaluation only:
 * no mask, no PSTH collapse, and any NaN is an error. Per neuron: the mean over the batch (and
 * repeats, when both tensors share an R > 1) and over all one-sided frequency bins of SciPy's
 * Welch coherence (Hann, 256-sample segments or the whole series when shorter, 50 % overlap,
 * constant detrend).
 * @param pred `(B, N, 1, T)` predictions; `target` must have the same shape.
 * @returns `(N)` float64 tensor for `reduction: 'none'`, else a number.
 * @example
 * ```ts
 * const c = coherence(pred, psthTarget, { dtMs: 10, reduction: 'none' }); // (N), values in [0, 1]
 * ```
 */
export function coherence(pred: Tensor, target: Tensor, options: CoherenceOptions & { reduction: 'none' }): Tensor<'float64'>;
export function coherence(pred: Tensor, target: Tensor, options: CoherenceOptions & { reduction?: 'mean' | 'sum' }): number;
export function coherence(pred: Tensor, target: Tensor, options: CoherenceOptions): Tensor<'float64'> | number;
export function coherence(pred: Tensor, target: Tensor, options: CoherenceOptions): Tensor<'float64'> | number {
  const dp = check4D(pred, 'pred', '(B, N, 1, T)');
  check4D(target, 'target', '(B, N, 1, T)');
  if (pred.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(`pred shape ${fmtShape(pred.shape)} does not match target shape ${fmtShape(target.shape)}`);
  }
  const dtMs = options?.dtMs;
  if (typeof dtMs !== 'number' || !Number.isFinite(dtMs) || dtMs <= 0) {
    throw new ValueError(`coherence needs dtMs, a positive time-bin width in ms; got ${String(dtMs)}`);
  }
  const reduction = checkReduction(options.reduction);
  for (const [name, t] of [['pred', pred], ['target', target]] as const) {
    const a = t.data;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== a[i]) throw new ValueError(`coherence: ${name} contains NaN (flat index ${i}); coherence takes complete series only`);
    }
  }
  const { B, N, R, T } = dp;
  if (T < 1) throw new ShapeError(`coherence needs T ≥ 1, got shape ${fmtShape(pred.shape)}`);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let acc = 0;
    let cnt = 0;
    for (let b = 0; b < B; b++) {
      for (let r = 0; r < R; r++) {
        const off = ((b * N + n) * R + r) * T;
        const c = mscohere(pred.data, target.data, off, off, T);
        for (let k = 0; k < c.length; k++) acc += c[k];
        cnt += c.length;
      }
    }
    out[n] = cnt === 0 ? NaN : acc / cnt;
  }
  return reduceOverNeurons(out, reduction);
}
