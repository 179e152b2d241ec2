/**
 * Stimulus and response transforms (docs/contract.md). All work in place on the store and none is
 * idempotent; statistics accumulate in float64.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { isSentinel } from '../memory/sentinel.js';
import { HeapTensor, NaNState, inHeap } from '../memory/heap-tensor.js';
import { defaultHeap } from '../memory/heap.js';

/** Options of `standardizeStims`. */
export interface StandardizeStimsOptions {
  /** Stimuli the statistics come from (all when omitted or null). */
  stimIndices?: readonly number[] | null;
  /** Per band (every axis but −2 is pooled) or one global mean/std. Default true. */
  perBand?: boolean;
  /** Floor of the standard deviation. Default 1e-8. */
  eps?: number;
}

/** What `standardizeStims` returns and stores as `ds.stimNormalization`. */
export interface StimNormalization {
  /** `(1, F, 1)` for `(1, F, T)` stimuli when per band; shape `[]` otherwise. */
  mean: Tensor<'float64'>;
  std: Tensor<'float64'>;
  perBand: boolean;
  stimIndices: number[] | null;
}

/** Options of `normalizeResponses`. */
export interface NormalizeResponsesOptions {
  /** `'max'` (divide by max |x|) or `'zscore'`. Default `'max'`. */
  method?: 'max' | 'zscore';
  /** Stimuli the statistics come from (all when omitted or null). */
  stimIndices?: readonly number[] | null;
  /** Floor of the scale. Default 1e-8. */
  eps?: number;
}

/** What `normalizeResponses` returns and stores as `ds.responseNormalization`. */
export interface ResponseNormalization {
  method: 'max' | 'zscore';
  /** `(N)`: responses were mapped to `(r − offset) / scale`. */
  scale: Tensor<'float64'>;
  offset: Tensor<'float64'>;
  stimIndices: number[] | null;
}

/**
 * Standardises stimuli in place: statistics over the chosen stimuli concatenated along time,
 * per band (axis −2) or global, unbiased std floored at `eps`; every stimulus becomes
 * `(x − mean) / std`.
 * @example
 * ```ts
 * const norm = standardizeStims(ds.stims, { stimIndices: trainIdx });
 * norm.mean.shape; // [1, F, 1]
 * ```
 */
export function standardizeStims(stims: Tensor[], options: StandardizeStimsOptions = {}): StimNormalization {
  const { perBand = true, eps = 1e-8 } = options;
  const indices = options.stimIndices === undefined || options.stimIndices === null ? null : [...options.stimIndices];
  const chosen = indices ?? stims.map((_, i) => i);
  if (chosen.length === 0) throw new ValueError('standardizeStims: no stims to compute statistics from (stimIndices is empty)');
  for (const i of chosen) {
    if (!Number.isInteger(i) || i < 0 || i >= stims.length) throw new RangeError(`standardizeStims: stim index ${i} must be in [0, ${stims.length})`);
  }
  const ref = stims[chosen[0]].shape;
  // Band axis: −2 when the stimulus has ≥ 2 axes (for (1, T_audio) waveforms it is the channel axis).
  const bandAxis = perBand && ref.length >= 2 ? ref.length - 2 : -1;
  const bands = bandAxis >= 0 ? ref[bandAxis] : 1;
  const bandOf = (shape: readonly number[]) => {
    // band index of flat element i = floor(i / (product of axes after bandAxis)) % bands
    let inner = 1;
    for (let a = bandAxis + 1; a < shape.length; a++) inner *= shape[a];
    return inner;
  };
  for (const i of chosen) {
    const sh = stims[i].shape;
    if (sh.length !== ref.length || (bandAxis >= 0 && sh[bandAxis] !== bands)) {
      throw new ShapeError(`standardizeStims: stims[${i}] has shape [${sh.join(', ')}], incompatible with [${ref.join(', ')}] on the band axis`);
    }
  }
  const sum = new Float64Array(bands);
  const count = new Float64Array(bands);
  for (const i of chosen) {
    const d = stims[i].data;
    const inner = bandAxis >= 0 ? bandOf(stims[i].shape) : d.length;
    for (let j = 0; j < d.length; j++) {
      const b = bandAxis >= 0 ? Math.floor(j / inner) % bands : 0;
      sum[b] += d[j];
      count[b]++;
    }
  }
  const mean = sum.map((s, b) => s / count[b]);
  const ss = new Float64Array(bands);
  for (const i of chosen) {
    const d = stims[i].data;
    const inner = bandAxis >= 0 ? bandOf(stims[i].shape) : d.length;
    for (let j = 0; j < d.length; j++) {
      const b = bandAxis >= 0 ? Math.floor(j / inner) % bands : 0;
      const x = d[j] - mean[b];
      ss[b] += x * x;
    }
  }
  const std = ss.map((v, b) => Math.max(Math.sqrt(v / (count[b] - 1)), eps));
  for (const t of stims) {
    const d = t.data;
    const inner = bandAxis >= 0 ? bandOf(t.shape) : d.length;
    for (let j = 0; j < d.length; j++) {
      const b = bandAxis >= 0 ? Math.floor(j / inner) % bands : 0;
      d[j] = (d[j] - mean[b]) / std[b];
    }
  }
  const statShape = bandAxis >= 0 ? ref.map((n, a) => (a === bandAxis ? n : 1)) : [];
  return {
    mean: { dtype: 'float64', shape: statShape, data: mean },
    std: { dtype: 'float64', shape: [...statShape], data: std },
    perBand: bandAxis >= 0,
    stimIndices: indices,
  };
}

/**
 * Normalises responses per neuron in place. Statistics pool the chosen stimuli's real values
 * (sentinels skipped, NaN dropped); fewer than 2 values keep scale 1, offset 0.
 * @example
 * ```ts
 * const norm = normalizeResponses(ds.responses, ds.nNeurons, { method: 'zscore' });
 * ```
 */
export function normalizeResponses(
  responses: Tensor[][],
  nNeurons: number,
  options: NormalizeResponsesOptions = {},
): ResponseNormalization {
  const { method = 'max', eps = 1e-8 } = options;
  if (method !== 'max' && method !== 'zscore') {
    throw new ValueError(`normalizeResponses: method must be 'max' or 'zscore', got '${String(method)}'`);
  }
  const indices = options.stimIndices === undefined || options.stimIndices === null ? null : [...options.stimIndices];
  const chosen = indices ?? responses.map((_, i) => i);
  const scale = new Float64Array(nNeurons).fill(1);
  const offset = new Float64Array(nNeurons);
  const isMissing = (r: Tensor) => isSentinel(r) || allNaN(r);
  for (let n = 0; n < nNeurons; n++) {
    let cnt = 0, sum = 0, maxAbs = 0;
    for (const s of chosen) {
      const r = responses[s]?.[n];
      if (!r || isMissing(r)) continue;
      for (const v of r.data) {
        if (Number.isNaN(v)) continue;
        cnt++;
        sum += v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
    }
    if (cnt < 2) continue;
    if (method === 'max') {
      scale[n] = Math.max(maxAbs, eps);
    } else {
      const mean = sum / cnt;
      let ss = 0;
      for (const s of chosen) {
        const r = responses[s]?.[n];
        if (!r || isMissing(r)) continue;
        for (const v of r.data) if (!Number.isNaN(v)) ss += (v - mean) ** 2;
      }
      offset[n] = mean;
      scale[n] = Math.max(Math.sqrt(ss / (cnt - 1)), eps);
    }
  }
  const done = new Set<Tensor>(); // a tensor shared between cells is transformed once
  for (const row of responses) {
    for (let n = 0; n < nNeurons; n++) {
      const r = row[n];
      if (!r || done.has(r) || isMissing(r)) continue;
      done.add(r);
      const d = r.data;
      for (let j = 0; j < d.length; j++) d[j] = (d[j] - offset[n]) / scale[n];
    }
  }
  return {
    method,
    scale: { dtype: 'float64', shape: [nNeurons], data: scale },
    offset: { dtype: 'float64', shape: [nNeurons], data: offset },
    stimIndices: indices,
  };
}

/**
 * The Hanning kernel of `hanningSmooth`: K = floor(windowMs / dtMs) (at least 1, made odd),
 * w[k] = 0.5 − 0.5·cos(2πk/(K − 1)) (NumPy's symmetric Hanning, endpoints 0; K = 1 gives [1]).
 * @example
 * ```ts
 * hanningKernel(21, 5); // Float64Array [0, 0.5, 1, 0.5, 0]
 * ```
 */
export function hanningKernel(windowMs: number, dtMs: number, normalize = false): Float64Array {
  if (!(windowMs > 0)) throw new ValueError(`hanningSmooth: windowMs must be > 0, got ${windowMs}`);
  if (!(dtMs > 0)) throw new ValueError(`hanningSmooth: dtMs must be > 0, got ${dtMs}`);
  let K = Math.floor(windowMs / dtMs);
  if (K < 1) K = 1;
  if (K % 2 === 0) K += 1;
  const w = new Float64Array(K);
  if (K === 1) w[0] = 1;
  else for (let k = 0; k < K; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (K - 1));
  if (normalize) {
    const s = w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) w[k] /= s;
  }
  return w;
}

/**
 * Smooths every row of `t` along its last axis with the Hanning kernel (zero padding of
 * (K − 1)/2 bins each side, same length out). The kernel is NOT normalised unless
 * `{ normalize: true }`: the reference's un-normalised kernel scales responses by its sum
 * (×2 at 5 ms with the 21 ms default), which reproduces published numbers.
 * @example
 * ```ts
 * const smooth = hanningSmooth(resp, 21, 5); // kernel [0, .5, 1, .5, 0]
 * ```
 */
export function hanningSmooth(
  t: Tensor,
  windowMs: number,
  dtMs: number,
  options: { normalize?: boolean } = {},
): Tensor<'float32'> {
  const w = hanningKernel(windowMs, dtMs, options.normalize ?? false);
  return { dtype: 'float32', shape: [...t.shape], data: firSmooth(t, w, false) };
}

/**
 * Smooths every row of `t` along its last axis with the wasm `firRows` kernel (float32
 * accumulation, SIMD). Cells in the store are read and written in place; other tensors are
 * staged through scratch. Returns the result (`t.data` itself when `inPlace`).
 */
function firSmooth(t: Tensor, w: Float64Array, inPlace: boolean): Float32Array {
  const heap = defaultHeap();
  const n = t.data.length;
  const T = t.shape.length ? t.shape[t.shape.length - 1] : 1;
  const rows = T === 0 ? 0 : n / T;
  const direct = inHeap(t, heap);
  const a16 = (b: number) => Math.ceil(b / 16) * 16;
  const base = heap.scratch(a16(4 * w.length) + a16(4 * T) + (direct && inPlace ? 0 : a16(4 * n)) + 16);
  const taps = base;
  const tmp = base + a16(4 * w.length);
  heap.f32(taps, w.length).set(w);
  let src: number;
  if (direct) {
    src = t.ptr;
  } else {
    src = tmp + a16(4 * T);
    heap.f32(src, n).set(t.data as ArrayLike<number>);
  }
  const dst = direct && !inPlace ? tmp + a16(4 * T) : src;
  if (rows > 0) heap.kernels.firRows(src, dst, rows, T, taps, w.length, tmp);
  if (direct && inPlace) return t.data as Float32Array;
  const out = heap.f32(dst, n);
  if (inPlace) {
    (t.data as Float32Array).set(out);
    return t.data as Float32Array;
  }
  return out.slice();
}

/** True when the tensor holds a NaN (packed cells answer from their NaN flag without a scan). */
function holdsNaN(t: Tensor): boolean {
  if (t instanceof HeapTensor && t.nanState !== NaNState.Unknown) return t.nanState === NaNState.HasNaN;
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return true;
  return false;
}

/** True when every value is NaN (a sentinel, or a cell with no recorded value). */
function allNaN(t: Tensor): boolean {
  if (t instanceof HeapTensor && t.nanState === NaNState.Clean) return false;
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (d[i] === d[i]) return false;
  return true;
}

/**
 * Smooths in place every response that holds no NaN (sentinels and partially-NaN cells stay
 * untouched), with the un-normalised Hanning kernel of `hanningSmooth`.
 * @example
 * ```ts
 * smoothResponses(ds.responses, 21, ds.dtMs);
 * ```
 */
export function smoothResponses(responses: Tensor[][], windowMs: number, dtMs: number): void {
  const w = hanningKernel(windowMs, dtMs);
  const done = new Set<Tensor>();
  for (const row of responses) {
    for (const r of row) {
      if (!r || done.has(r)) continue;
      done.add(r);
      if (holdsNaN(r)) continue;
      firSmooth(r, w, true);
    }
  }
}
