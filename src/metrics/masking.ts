/**
 * Shared plumbing of the metrics (docs/metrics.md): argument checks, the valid mask, the
 * auto-PSTH collapse, the per-neuron mean and the reduction over neurons.
 * Internally every metric works on flat row-major arrays of a `(B, N, R, T)` block.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, shapeSize, type Tensor } from '../tensor.js';

/** How a per-neuron metric is reduced over the neuron axis. */
export type Reduction = 'none' | 'mean' | 'sum';

/** Options shared by every masked metric. */
export interface MaskedMetricOptions {
  /**
   * A bool mask broadcastable (NumPy rules) to the target's shape (after the PSTH collapse where
   * that applies). It REPLACES the NaN mask; a mask that admits a NaN makes that neuron NaN.
   */
  mask?: Tensor<'bool'>;
  /** `'none'` → `(N)` float64 tensor; `'mean'` → NaN-mean over neurons; `'sum'` → NaN-sum. Default `'mean'`. */
  reduction?: Reduction;
}

const REDUCTIONS: readonly string[] = ['none', 'mean', 'sum'];

/** Dimensions of a 4-D `(B, N, R, T)` block. */
export interface Dims4 {
  B: number;
  N: number;
  R: number;
  T: number;
}

/** Checks the `reduction` option (default `'mean'`). */
export function checkReduction(reduction: unknown): Reduction {
  if (reduction === undefined) return 'mean';
  if (typeof reduction !== 'string' || !REDUCTIONS.includes(reduction)) {
    throw new ValueError(`reduction must be one of 'none', 'mean', 'sum'; got ${JSON.stringify(reduction)}`);
  }
  return reduction as Reduction;
}

/** Throws unless `t` is a tensor of rank 4; returns its dims. */
export function check4D(t: unknown, name: string, layout = '(B, N, R, T)'): Dims4 {
  if (!isTensor(t)) throw new TypeError(`${name} must be a Tensor ({ dtype, shape, data })`);
  if (t.dtype === 'bool') throw new TypeError(`${name} must be a numeric tensor, got dtype bool`);
  if (t.shape.length !== 4) {
    throw new ShapeError(`${name} expected 4-D ${layout}, got shape [${t.shape.join(', ')}]`);
  }
  const [B, N, R, T] = t.shape;
  return { B, N, R, T };
}

/** `[a, b, c]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Materialises `mask` broadcast to `shape` (NumPy rules: align right, each axis equal or 1).
 * Throws `TypeError` ("bool") for a non-bool tensor and `ShapeError` when not broadcastable.
 */
export function broadcastMask(mask: Tensor<'bool'>, shape: readonly number[]): Uint8Array {
  if (!isTensor(mask) || mask.dtype !== 'bool') {
    const dt = isTensor(mask) ? mask.dtype : typeof mask;
    throw new TypeError(`mask must be a bool tensor, got ${dt}`);
  }
  const ms = mask.shape;
  const bad = () =>
    new ShapeError(`mask of shape ${fmtShape(ms)} cannot be broadcast to shape ${fmtShape(shape)}`);
  if (ms.length > shape.length) throw bad();
  const lead = shape.length - ms.length;
  // Strides of the mask seen with the target's rank; 0 on broadcast axes.
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = ms.length - 1; i >= 0; i--) {
    const d = ms[i];
    const target = shape[lead + i];
    if (d !== target && d !== 1) throw bad();
    strides[lead + i] = d === 1 ? 0 : s;
    s *= d;
  }
  const out = new Uint8Array(shapeSize(shape));
  const src = mask.data;
  if (ms.length === shape.length && ms.every((d, i) => d === shape[i])) {
    for (let i = 0; i < out.length; i++) out[i] = src[i] ? 1 : 0;
    return out;
  }
  const idx = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = src[off] ? 1 : 0;
    // Odometer increment over the target shape, tracking the mask offset.
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      idx[ax]++;
      off += strides[ax];
      if (idx[ax] < shape[ax]) break;
      off -= strides[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

/**
 * `resolve_mask(gt, mask)`: no mask → not-NaN(gt); otherwise the user mask broadcast to gt.
 */
export function resolveMask(gt: ArrayLike<number>, shape: readonly number[], mask?: Tensor<'bool'>): Uint8Array {
  if (mask !== undefined && mask !== null) return broadcastMask(mask, shape);
  const out = new Uint8Array(gt.length);
  for (let i = 0; i < gt.length; i++) out[i] = gt[i] === gt[i] ? 1 : 0;
  return out;
}

/**
 * `collapse_to_psth_if_needed`: NaN-mean over the R axis (keepdim) when R > 1, else the data as is.
 * Returns the flat data of the `(B, N, 1, T)` (or unchanged) block.
 */
export function collapseToPsth(data: ArrayLike<number>, d: Dims4): ArrayLike<number> {
  if (d.R <= 1) return data;
  const { B, N, R, T } = d;
  const out = new Float64Array(B * N * T);
  const sum = new Float64Array(T);
  const cnt = new Int32Array(T);
  for (let bn = 0; bn < B * N; bn++) {
    sum.fill(0);
    cnt.fill(0);
    const base = bn * R * T;
    for (let r = 0; r < R; r++) {
      const o = base + r * T;
      for (let t = 0; t < T; t++) {
        const v = data[o + t];
        if (v === v) {
          sum[t] += v;
          cnt[t]++;
        }
      }
    }
    const ob = bn * T;
    for (let t = 0; t < T; t++) out[ob + t] = cnt[t] > 0 ? sum[t] / cnt[t] : NaN;
  }
  return out;
}

/**
 * `per_neuron_mean(values, valid)`: per neuron, the sum of `values` at valid positions over
 * (B, R, T) divided by the valid count; count 0 → NaN. A NaN at a valid position propagates.
 */
export function perNeuronMean(values: ArrayLike<number>, valid: Uint8Array, d: Dims4): Float64Array {
  const { B, N, R, T } = d;
  const RT = R * T;
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    let c = 0;
    for (let b = 0; b < B; b++) {
      const o = (b * N + n) * RT;
      for (let i = o; i < o + RT; i++) {
        if (valid[i]) {
          s += values[i];
          c++;
        }
      }
    }
    out[n] = c === 0 ? NaN : s / c;
  }
  return out;
}

/** `reduce_over_neurons`: `'none'` → `(N)` float64 tensor; `'mean'` → NaN-mean; `'sum'` → NaN-sum. */
export function reduceOverNeurons(values: Float64Array, reduction: Reduction): Tensor<'float64'> | number {
  if (reduction === 'none') return { dtype: 'float64', shape: [values.length], data: values };
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      s += v;
      c++;
    }
  }
  if (reduction === 'sum') return s;
  return c === 0 ? NaN : s / c;
}

/** Prediction / target data ready for a per-neuron formula (shared by 7.1–7.4). */
export interface PreparedPair {
  /** Prediction values, `(B, N, 1, T)` flat. */
  p: ArrayLike<number>;
  /** Target after the auto-PSTH collapse, same layout as `p`. */
  g: ArrayLike<number>;
  /** Valid positions (user mask broadcast, or not-NaN(g)). */
  valid: Uint8Array;
  /** Dims of `p`/`g` (R is 1 after the collapse, or the target's R when it is 1). */
  d: Dims4;
  reduction: Reduction;
}

/**
 * Checks ranks, collapses a multi-repeat target to its PSTH, checks that the prediction matches
 * the (collapsed) target and resolves the valid mask.
 */
export function preparePair(pred: Tensor, target: Tensor, options: MaskedMetricOptions | undefined): PreparedPair {
  const dp = check4D(pred, 'pred', '(B, N, 1, T)');
  const dg = check4D(target, 'target');
  const reduction = checkReduction(options?.reduction);
  const g = collapseToPsth(target.data, dg);
  const d: Dims4 = { B: dg.B, N: dg.N, R: dg.R > 1 ? 1 : dg.R, T: dg.T };
  if (dp.B !== d.B || dp.N !== d.N || dp.R !== d.R || dp.T !== d.T) {
    throw new ShapeError(
      `pred shape ${fmtShape(pred.shape)} does not match target shape ${fmtShape(target.shape)}` +
        (dg.R > 1 ? ` (collapsed to its PSTH ${fmtShape([d.B, d.N, d.R, d.T])})` : ''),
    );
  }
  const valid = resolveMask(g, [d.B, d.N, d.R, d.T], options?.mask);
  return { p: pred.data, g, valid, d, reduction };
}
