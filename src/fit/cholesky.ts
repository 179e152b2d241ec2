/**
 * Dense symmetric positive-definite solves for the ridge path (docs/fit.md): a row-oriented
 * Cholesky–Crout factorisation `A + λI = L Lᵀ` and forward/back substitution for many
 * right-hand sides (row-major `Float64Array`s).
 * @module
 */
import { ValueError } from '../errors.js';
import { defaultHeap } from '../memory/heap.js';

/**
 * Factorises `a + shift · I` for each shift in turn (`a`: `d × d`, row-major, only its lower
 * triangle read) with the wasm kernel `choleskyF64` (assembly/ridge.ts; its reference is
 * src/reference/ridge.ts), `a` copied into wasm memory once. `use` receives the shift's index
 * and a view of the factor (lower triangle of a `d × d` row-major matrix; valid only during the
 * call), or `null` when `a + shift · I` is not positive definite.
 * @example
 * ```ts
 * choleskyPath(new Float64Array([4, 2, 2, 3]), 2, [0], (i, l) => l); // l = [2, ·, 1, √2]
 * ```
 */
export function choleskyPath(a: Float64Array, d: number, shifts: readonly number[], use: (index: number, l: Float64Array | null) => void): void {
  const heap = defaultHeap();
  const bytes = 8 * d * d;
  const ptr = heap.scratch(2 * bytes);
  new Float64Array(heap.buffer, ptr, d * d).set(a.subarray(0, d * d));
  shifts.forEach((shift, i) => {
    const bad = heap.kernels.choleskyF64(ptr, d, shift, ptr + bytes);
    use(i, bad >= 0 ? null : new Float64Array(heap.buffer, ptr + bytes, d * d));
  });
}

/**
 * {@link choleskyPath} for one shift, the factor copied into `l`.
 * @throws ValueError when the matrix is not positive definite.
 * @example
 * ```ts
 * const l = new Float64Array(4);
 * choleskyShifted(new Float64Array([4, 2, 2, 3]), 2, 0, l); // l = [2, ·, 1, √2]
 * ```
 */
export function choleskyShifted(a: Float64Array, d: number, shift: number, l: Float64Array): void {
  choleskyPath(a, d, [shift], (_, f) => {
    if (!f) throw new ValueError(`cholesky: the ${d} × ${d} matrix + ${shift}·I is not positive definite; use a larger λ`);
    l.set(f);
  });
}

/**
 * Solves `L Lᵀ x = b` in place for `m` right-hand sides stored as rows of `b` (`m × d`).
 * @example
 * ```ts
 * choleskyShifted(a, d, lambda, l);
 * choleskySolveRows(l, d, rhs, m); // rhs rows now hold (A + λI)⁻¹ b
 * ```
 */
export function choleskySolveRows(l: Float64Array, d: number, b: Float64Array, m: number): void {
  for (let r = 0; r < m; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const ri = i * d;
      let s = b[o + i];
      for (let k = 0; k < i; k++) s -= l[ri + k] * b[o + k];
      b[o + i] = s / l[ri + i];
    }
    // Lᵀ x = z by columns of Lᵀ (rows of L): contiguous reads.
    for (let i = d - 1; i >= 0; i--) {
      const ri = i * d;
      const x = b[o + i] / l[ri + i];
      b[o + i] = x;
      for (let k = 0; k < i; k++) b[o + k] -= l[ri + k] * x;
    }
  }
}
