/**
 * Dense symmetric positive-definite solves for the ridge path (docs/fit.md): `(A + λI) X = B`
 * by a Cholesky–Crout factorisation and forward/back substitution for many right-hand sides,
 * both in the wasm kernels `choleskyF64` / `choleskySolveF64` (assembly/ridge.ts; references in
 * src/reference/ridge.ts). Row-major `Float64Array`s; right-hand sides are rows.
 * @module
 */
import { ValueError } from '../errors.js';
import { defaultHeap } from '../memory/heap.js';

/**
 * Solves `(a + shift · I) x_r = b_r` for the `m` rows of `rhs` (`m × d`) and each shift in turn,
 * `a` (`d × d`, row-major, only its lower triangle read) copied into wasm memory once. `use`
 * receives the shift's index and the solutions (`m × d`, a view valid only during the call), or
 * `null` when `a + shift · I` is not positive definite.
 * @example
 * ```ts
 * choleskyPath(new Float64Array([4, 2, 2, 3]), 2, [1], new Float64Array([9, 10]), 1, (i, x) => x); // x = [1, 2]
 * ```
 */
export function choleskyPath(
  a: Float64Array, d: number, shifts: readonly number[], rhs: Float64Array, m: number, use: (index: number, x: Float64Array | null) => void,
): void {
  const heap = defaultHeap();
  const bytes = 8 * d * d;
  const ptr = heap.scratch(2 * bytes + 8 * m * d);
  const lPtr = ptr + bytes, bPtr = ptr + 2 * bytes;
  new Float64Array(heap.buffer, ptr, d * d).set(a.subarray(0, d * d));
  shifts.forEach((shift, i) => {
    if (heap.kernels.choleskyF64(ptr, d, shift, lPtr) >= 0) return use(i, null);
    const x = new Float64Array(heap.buffer, bPtr, m * d);
    x.set(rhs.subarray(0, m * d));
    heap.kernels.choleskySolveF64(lPtr, d, bPtr, m);
    use(i, x);
  });
}

/**
 * {@link choleskyPath} for one shift: the solutions as a new array.
 * @throws ValueError when `a + shift · I` is not positive definite.
 * @example
 * ```ts
 * ridgeSolve(new Float64Array([4, 2, 2, 3]), 2, 1, new Float64Array([9, 10, 5, 2]), 2); // [1, 2, 1, 0]
 * ```
 */
export function ridgeSolve(a: Float64Array, d: number, shift: number, rhs: Float64Array, m: number): Float64Array {
  let out: Float64Array | null = null;
  choleskyPath(a, d, [shift], rhs, m, (_, x) => {
    out = x && x.slice();
  });
  if (!out) throw new ValueError(`cholesky: the ${d} × ${d} matrix + ${shift}·I is not positive definite; use a larger λ`);
  return out;
}
