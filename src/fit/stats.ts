/**
 * Sufficient statistics of one stimulus for the ridge fit (docs/fit.md): the Gram matrix of its
 * lagged features and their cross-products with every neuron's PSTH, computed in one call of the
 * wasm kernel `gramF64` (assembly/metrics.ts) over the stacked rows `[features; targets]`.
 * Sums over any set of stimuli give that set's centred normal equations exactly.
 * @module
 */
import { defaultHeap } from '../memory/heap.js';
import { laggedRows } from './design.js';

/**
 * One stimulus's statistics (D features, N neurons; a missing pair's entries are zero and its
 * neuron never sums this stimulus).
 * @example
 * ```ts
 * const st: StimStats = stimStats(stim.data, F, T, 20, offset, targets);
 * st.xtx[0]; // Σ_t x₀(t)²
 * ```
 */
export interface StimStats {
  /** Bins T. */
  readonly n: number;
  /** `D` feature sums Σ_t x_i(t). */
  readonly sx: Float64Array;
  /** `D × D` Σ_t x_i(t) x_j(t), row-major. */
  readonly xtx: Float64Array;
  /** `N × D` Σ_t y_n(t) x_i(t), one row per neuron. */
  readonly xty: Float64Array;
  /** `N` Σ_t y_n(t). */
  readonly sy: Float64Array;
  /** `N` Σ_t y_n(t)². */
  readonly syy: Float64Array;
}

/**
 * Statistics of one `(F, T)` stimulus (float32 data) and its `N` targets (`null` = missing pair).
 * @example
 * ```ts
 * const st = stimStats(ds.stims[s].data, F, T, lags, bandMeans, targets[s]);
 * ```
 */
export function stimStats(
  x: ArrayLike<number>, F: number, T: number, lags: number, offset: Float64Array, targets: readonly (Float64Array | null)[],
): StimStats {
  const D = F * lags, N = targets.length, rows = D + N;
  const heap = defaultHeap();
  const rowBytes = 8 * rows * T;
  const ptr = heap.scratch(rowBytes + 8 * rows * rows);
  const y = new Float64Array(heap.buffer, ptr, rows * T);
  laggedRows(x, F, T, lags, offset, y);
  const sy = new Float64Array(N), syy = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const tgt = targets[n];
    const row = y.subarray((D + n) * T, (D + n + 1) * T);
    if (tgt === null) {
      row.fill(0);
      continue;
    }
    row.set(tgt);
    let s = 0, q = 0;
    for (let t = 0; t < T; t++) {
      s += tgt[t];
      q += tgt[t] * tgt[t];
    }
    sy[n] = s;
    syy[n] = q;
  }
  const sx = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let s = 0;
    for (let t = i * T, end = t + T; t < end; t++) s += y[t];
    sx[i] = s;
  }
  heap.kernels.gramF64(ptr, rows, T, ptr + rowBytes);
  const g = new Float64Array(heap.buffer, ptr + rowBytes, rows * rows);
  const xtx = new Float64Array(D * D);
  for (let i = 0; i < D; i++) xtx.set(g.subarray(i * rows, i * rows + D), i * D);
  const xty = new Float64Array(N * D);
  for (let n = 0; n < N; n++) xty.set(g.subarray((D + n) * rows, (D + n) * rows + D), n * D);
  return { n: T, sx, xtx, xty, sy, syy };
}
