// Small builders shared by the metrics tests.
import { tensor, type Tensor } from '../../src/tensor.js';
import { Rng } from '../../src/util/random.js';

/** float32 tensor from nested or flat values. */
export function f32(shape: number[], values: ArrayLike<number> | number[]): Tensor<'float32'> {
  return tensor('float32', shape, values);
}

/** float64 tensor (exact values for hand-computed cases). */
export function f64(shape: number[], values: ArrayLike<number> | number[]): Tensor<'float64'> {
  return tensor('float64', shape, values);
}

/** bool tensor from 0/1 or booleans. */
export function bool(shape: number[], values: ArrayLike<number> | boolean[]): Tensor<'bool'> {
  return tensor('bool', shape, Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0)));
}

/** Random normal float32 tensor. */
export function randn(rng: Rng, shape: number[], scale = 1, offset = 0): Tensor<'float32'> {
  const t = tensor('float32', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = offset + scale * rng.normal();
  return t;
}

/** Unbiased variance of a series. */
export function varUnbiased(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}

/**
 * A `(B, N, R, T)` block where cell (b, n) repeats `signal(b, n)` R times plus `noise` · N(0, 1).
 */
export function repeatedSignal(
  rng: Rng, B: number, N: number, R: number, T: number, noise: number, signals?: Float64Array[][],
): { responses: Tensor<'float32'>; signals: Float64Array[][] } {
  const sig = signals ?? Array.from({ length: B }, () => Array.from({ length: N }, () => Float64Array.from({ length: T }, () => rng.normal())));
  const out = tensor('float32', [B, N, R, T]);
  for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) {
    out.data[((b * N + n) * R + r) * T + t] = sig[b][n][t] + noise * rng.normal();
  }
  return { responses: out, signals: sig };
}

/** Compare allowing NaN == NaN, relative+absolute tolerance. */
export function close(a: number, b: number, tol = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * (1 + Math.abs(b));
}
