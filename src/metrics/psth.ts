/**
 * User-facing helpers around the metrics: the canonical PSTH target and the coarse mask
 * (docs/contract.md).
 * @module
 */
import { ShapeError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { fmtShape } from './masking.js';

/**
 * NaN-mean over the repeat axis (the second-to-last axis), kept as a size-1 axis: `(B, N, R, T)` →
 * `(B, N, 1, T)` (also `(R, T)` → `(1, T)`, `(B, R, T)` → `(B, 1, T)`). A bin with no valid repeat
 * stays NaN. float64 input gives float64, anything else float32.
 * @example
 * ```ts
 * const target = psth(batch.responses); // (B, N, 1, T)
 * ```
 */
export function psth(responses: Tensor): Tensor<'float32'> | Tensor<'float64'> {
  if (!isTensor(responses)) throw new TypeError('psth: responses must be a Tensor ({ dtype, shape, data })');
  const shape = responses.shape;
  if (shape.length < 2) throw new ShapeError(`psth needs a repeat axis (…, R, T), got shape ${fmtShape(shape)}`);
  const R = shape[shape.length - 2];
  const T = shape[shape.length - 1];
  const outer = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const outShape = [...shape.slice(0, -2), 1, T];
  const out = responses.dtype === 'float64' ? new Float64Array(outer * T) : new Float32Array(outer * T);
  const x = responses.data;
  const sum = new Float64Array(T);
  const cnt = new Int32Array(T);
  for (let o = 0; o < outer; o++) {
    sum.fill(0);
    cnt.fill(0);
    for (let r = 0; r < R; r++) {
      const base = (o * R + r) * T;
      for (let t = 0; t < T; t++) {
        const v = x[base + t];
        if (v === v) {
          sum[t] += v;
          cnt[t]++;
        }
      }
    }
    for (let t = 0; t < T; t++) out[o * T + t] = cnt[t] > 0 ? sum[t] / cnt[t] : NaN;
  }
  return out instanceof Float64Array
    ? { dtype: 'float64', shape: outShape, data: out }
    : { dtype: 'float32', shape: outShape, data: out };
}

/**
 * The coarse (stimulus, neuron) mask of a batch: `validMask.any over (R, T)`, `(B, N, R, T)` →
 * `(B, N)` bool. True where the neuron has at least one valid bin for that stimulus.
 * @example
 * ```ts
 * const has = coarseMask(batch.validMask); // Tensor<'bool'> (B, N)
 * ```
 */
export function coarseMask(validMask: Tensor<'bool'>): Tensor<'bool'> {
  if (!isTensor(validMask) || validMask.dtype !== 'bool') {
    throw new TypeError(`coarseMask: validMask must be a bool tensor, got ${isTensor(validMask) ? validMask.dtype : typeof validMask}`);
  }
  const s = validMask.shape;
  if (s.length !== 4) throw new ShapeError(`coarseMask expected 4-D (B, N, R, T), got shape ${fmtShape(s)}`);
  const [B, N, R, T] = s;
  const RT = R * T;
  const out = new Uint8Array(B * N);
  const m = validMask.data;
  for (let c = 0; c < B * N; c++) {
    const o = c * RT;
    for (let i = o; i < o + RT; i++) {
      if (m[i]) {
        out[c] = 1;
        break;
      }
    }
  }
  return { dtype: 'bool', shape: [B, N], data: out };
}
