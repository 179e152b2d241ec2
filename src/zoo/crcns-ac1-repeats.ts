/**
 * The CRCNS-AC1 repeat pipeline (intracellular traces → binned responses), as the reference
 * computes it with SciPy/NumPy: MedGauss detrending (`median_filter` then `gaussian_filter1d`,
 * both in SciPy's *reflect* mode), artefact gating of repeats, the spike-train PSTH proxy of
 * cell-attached recordings and average-pool binning. See docs/zoo/ac1.md.
 * @module
 */
import { roundHalfEven } from '../util/round.js';

/**
 * Artefact thresholds of the repeat gating (the reference's `RepeatGating` defaults).
 * @example
 * ```ts
 * const g: RepeatGating = { ...AC1_DEFAULT_GATING, absMvMax: 100 };
 * ```
 */
export interface RepeatGating {
  /** A repeat whose detrended |Vm| exceeds this (mV) is rejected as `range`. */
  readonly absMvMax: number;
  /** Deviation (mV) of the 5 ms median-smoothed trace from its median that counts as a step. */
  readonly stepMv: number;
  /** A repeat with more than this fraction of step samples is rejected as `step`. */
  readonly maxStepFrac: number;
  /** A repeat whose Pearson r with the median of the others is below this is rejected as `xcorr`. */
  readonly minXcorr: number;
}

/** `RepeatGating(abs_mv_max=150, step_mv=30, max_step_frac=5e-3, min_xcorr=0.05)`. @example `AC1_DEFAULT_GATING.absMvMax // 150` */
export const AC1_DEFAULT_GATING: RepeatGating = Object.freeze({ absMvMax: 150, stepMv: 30, maxStepFrac: 5e-3, minXcorr: 0.05 });

/** Counts of the gating's decisions, per reason. @example `ds.rejectionCounter.kept` */
export interface RejectionCounter {
  range: number;
  step: number;
  xcorr: number;
  kept: number;
}

/** SciPy's reflect extension ("d c b a | a b c d | d c b a") of index `i` into `[0, n)`. */
function reflect(i: number, n: number): number {
  const p = 2 * n;
  let m = i % p;
  if (m < 0) m += p;
  return m < n ? m : p - 1 - m;
}

/**
 * `scipy.ndimage.median_filter(x, size, mode='reflect')`: the element of rank `size // 2` of
 * the window `[i − size//2, i − size//2 + size)` (for an even size the upper of the two middle
 * values, as SciPy's rank filter picks it).
 * @example
 * ```ts
 * medianFilterReflect(new Float64Array([1, 9, 2]), 3); // [1, 2, 9]
 * ```
 */
export function medianFilterReflect(x: Float64Array, size: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (size <= 1) {
    out.set(x);
    return out;
  }
  const half = Math.floor(size / 2);
  const win = new Float64Array(size);
  for (let k = 0; k < size; k++) win[k] = x[reflect(k - half, n)];
  win.sort();
  const find = (v: number, len: number): number => {
    let lo = 0, hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (win[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let i = 0; ; i++) {
    out[i] = win[half];
    if (i === n - 1) break;
    // Slide: drop x[reflect(i − half)], add x[reflect(i − half + size)].
    const drop = x[reflect(i - half, n)];
    const add = x[reflect(i - half + size, n)];
    if (drop === add || (Number.isNaN(drop) && Number.isNaN(add))) continue;
    const at = find(drop, size);
    win.copyWithin(at, at + 1);
    const ins = find(add, size - 1);
    win.copyWithin(ins + 1, ins, size - 1);
    win[ins] = add;
  }
  return out;
}

/**
 * `scipy.ndimage.gaussian_filter1d(x, sigma, mode='reflect', truncate=4.0)`: a normalised
 * Gaussian kernel of radius `int(4σ + 0.5)`.
 * @example
 * ```ts
 * gaussianFilterReflect(new Float64Array([0, 1, 0]), 1);
 * ```
 */
export function gaussianFilterReflect(x: Float64Array, sigma: number): Float64Array {
  const n = x.length;
  const radius = Math.trunc(4 * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += w[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  if (radius > FFT_MIN_RADIUS && n > 0) return correlateFft(x, w, radius, sigma);
  const out = new Float64Array(n);
  // Interior samples: the kernel is symmetric, so pair the taps ±k (as SciPy's correlate1d does).
  const c = w[radius];
  for (let i = radius; i < n - radius; i++) {
    let acc = c * x[i];
    for (let k = 1; k <= radius; k++) acc += w[radius + k] * (x[i - k] + x[i + k]);
    out[i] = acc;
  }
  for (let i = 0; i < n; i++) {
    if (i >= radius && i < n - radius) {
      i = n - radius - 1;
      continue;
    }
    let acc = 0;
    for (let k = -radius; k <= radius; k++) acc += w[k + radius] * x[reflect(i + k, n)];
    out[i] = acc;
  }
  return out;
}

/** Above this kernel radius the Gaussian runs as an FFT convolution (same values to ~1e-12 relative). */
const FFT_MIN_RADIUS = 48;

/** In-place radix-2 complex FFT of length `re.length` (a power of two); `inverse` without the 1/N. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const N = re.length;
  for (let i = 1, j = 0; i < N; i++) {
    let bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let size = 2; size <= N; size <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / size;
    const half = size >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
      for (let a = k; a < N; a += size) {
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Spectra of the last Gaussian kernels used, by `N:σ` (every repeat of a recording shares one). */
const kernelSpectra = new Map<string, { re: Float64Array; im: Float64Array }>();

/** `out[i] = Σ_k w[k]·x[reflect(i + k − radius)]` through one FFT convolution of the reflect-extended signal. */
function correlateFft(x: Float64Array, w: Float64Array, radius: number, sigma: number): Float64Array {
  const n = x.length, m = n + 2 * radius;
  let N = 1;
  while (N < m + 2 * radius) N <<= 1;
  const key = `${N}:${sigma}`;
  let kern = kernelSpectra.get(key);
  if (!kern) {
    // The kernel is symmetric, so correlation = convolution with w itself.
    kern = { re: new Float64Array(N), im: new Float64Array(N) };
    kern.re.set(w);
    fft(kern.re, kern.im, false);
    if (kernelSpectra.size >= 8) kernelSpectra.clear();
    kernelSpectra.set(key, kern);
  }
  const ar = new Float64Array(N), ai = new Float64Array(N);
  for (let j = 0; j < Math.min(radius, m); j++) ar[j] = x[reflect(j - radius, n)];
  ar.set(x, radius);
  for (let j = radius + n; j < m; j++) ar[j] = x[reflect(j - radius, n)];
  fft(ar, ai, false);
  const br = kern.re, bi = kern.im;
  for (let k = 0; k < N; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  fft(ar, ai, true);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ar[i + 2 * radius] / N;
  return out;
}

/**
 * The reference's `medgauss_detrend`: `x − gaussian(median(x, round(medMs·sf/1000)), gaussMs·sf/1000)`
 * (median size at least 1, σ at least 1e-3 samples).
 * @example
 * ```ts
 * const flat = medgaussDetrend(trace, 4000, 100, 10);
 * ```
 */
export function medgaussDetrend(x: Float64Array, sf: number, medMs: number, gaussMs: number): Float64Array {
  const size = Math.max(1, roundHalfEven((medMs * sf) / 1000));
  const sigma = Math.max((gaussMs * sf) / 1000, 1e-3);
  const base = gaussianFilterReflect(medianFilterReflect(x, size), sigma);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - base[i];
  return out;
}

/** `np.median` (the mean of the two middle values for an even count); sorts `v` in place. */
function medianInPlace(v: Float64Array): number {
  v.sort();
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Pearson r of the first `L` values (NaN when either side is constant, as `np.corrcoef`). */
function pearson(a: Float64Array, b: Float64Array, L: number): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < L; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= L;
  mb /= L;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < L; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Cross-trial consistency: r of each repeat with the element-wise median of the others (all 1 below 3 repeats). */
function consistency(reps: Float64Array[]): number[] {
  const R = reps.length;
  const L = Math.min(...reps.map((r) => r.length));
  if (R < 3 || L === 0) return reps.map(() => 1);
  const col = new Float64Array(R - 1);
  return reps.map((_, i) => {
    const med = new Float64Array(L);
    for (let t = 0; t < L; t++) {
      let k = 0;
      for (let j = 0; j < R; j++) if (j !== i) col[k++] = reps[j][t];
      med[t] = medianInPlace(col);
    }
    return pearson(reps[i], med, L);
  });
}

/** Fraction of samples whose 5 ms median-smoothed value is more than `stepMv` from that trace's median. */
function stepFraction(x: Float64Array, sf: number, stepMv: number): number {
  const s = medianFilterReflect(x, Math.max(1, roundHalfEven((5 * sf) / 1000)));
  const m = medianInPlace(Float64Array.from(s));
  let c = 0;
  for (let i = 0; i < s.length; i++) if (Math.abs(s[i] - m) > stepMv) c++;
  return c / s.length;
}

/**
 * The reference's `prepare_repeats` steps 1–3: detrends every repeat, then keeps those that
 * pass the gating (first failing test decides: `range`, `step`, `xcorr`), counting decisions in
 * `counter`. Returns the kept detrended repeats (possibly none).
 * @example
 * ```ts
 * const kept = gateRepeats(traces, 4000, { medMs: 100, gaussMs: 10, gating: AC1_DEFAULT_GATING }, counter);
 * ```
 */
export function gateRepeats(
  traces: Float64Array[], sf: number, o: { medMs: number; gaussMs: number; gating: RepeatGating }, counter: RejectionCounter,
): Float64Array[] {
  const reps = traces.map((t) => medgaussDetrend(t, sf, o.medMs, o.gaussMs));
  const r = consistency(reps);
  const g = o.gating;
  return reps.filter((x, i) => {
    let maxAbs = 0;
    for (let k = 0; k < x.length; k++) maxAbs = Math.max(maxAbs, Math.abs(x[k]));
    if (maxAbs > g.absMvMax) counter.range++;
    else if (x.length > 0 && stepFraction(x, sf, g.stepMv) > g.maxStepFrac) counter.step++;
    else if (r[i] < g.minXcorr) counter.xcorr++;
    else {
      counter.kept++;
      return true;
    }
    return false;
  });
}

/**
 * The reference's `detect_spikes_psth` (cell-attached recordings): MedGauss detrend, minus a
 * 1 ms median filter, threshold at 2.5 × its (population) standard deviation → 0/1 train,
 * convolved ("same", as `np.convolve`) with a symmetric Hann window of max(3, round(21·sf/1000)) samples.
 * @example
 * ```ts
 * const psth = detectSpikesPsth(kept[0], 10000, 100, 10);
 * ```
 */
export function detectSpikesPsth(x: Float64Array, sf: number, medMs: number, gaussMs: number): Float64Array {
  const d = medgaussDetrend(x, sf, medMs, gaussMs);
  const m = medianFilterReflect(d, Math.max(1, roundHalfEven(sf / 1000)));
  const n = d.length;
  const hp = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += hp[i] = d[i] - m[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (hp[i] - mean) ** 2;
  const thr = 2.5 * Math.sqrt(v / n);
  const M = Math.max(3, roundHalfEven((21 * sf) / 1000));
  const win = new Float64Array(M);
  for (let k = 0; k < M; k++) win[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (M - 1));
  // np.convolve(train, win, 'same'): length max(n, M), starting at (min(n, M) − 1) // 2 of the full convolution.
  const len = Math.max(n, M);
  const start = Math.floor((Math.min(n, M) - 1) / 2);
  const out = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    if (!(hp[i] > thr)) continue;
    for (let k = 0; k < M; k++) {
      const o = i + k - start;
      if (o >= 0 && o < len) out[o] += win[k];
    }
  }
  return out;
}

/**
 * Average-pools each repeat into blocks of `max(1, round(dt·sf/1000))` samples (trailing partial
 * block dropped; a repeat shorter than one block becomes its mean, an empty one stays empty)
 * and truncates every repeat to the shortest: `(R, T)` row-major, or `null` when T ≤ 0.
 * @example
 * ```ts
 * binRepeats([new Float64Array([1, 3, 5, 7, 9])], 4000, 0.5); // { R: 1, T: 2, data: [2, 6] }
 * ```
 */
export function binRepeats(reps: Float64Array[], sf: number, dtMs: number): { R: number; T: number; data: Float32Array } | null {
  const b = Math.max(1, roundHalfEven((dtMs * sf) / 1000));
  const binned = reps.map((x) => {
    if (x.length === 0) return new Float64Array(0);
    if (x.length < b) return Float64Array.of(x.reduce((a, v) => a + v, 0) / x.length);
    const T = Math.floor(x.length / b);
    const out = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let k = 0; k < b; k++) s += x[t * b + k];
      out[t] = s / b;
    }
    return out;
  });
  const T = Math.min(...binned.map((x) => x.length));
  if (!(T > 0)) return null;
  const data = new Float32Array(binned.length * T);
  binned.forEach((x, r) => data.set(x.subarray(0, T), r * T));
  return { R: binned.length, T, data };
}
