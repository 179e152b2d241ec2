// Plain-TypeScript references of the ridge kernels (assembly/ridge.ts): same signature, byte
// addresses into `mem`, same summation order (see the layout notes there).

/** The kernel's row dot product of u[a …] and v[b …], in its summation order. */
function rowDot(u: Float64Array, a: number, v: Float64Array, b: number, len: number): number {
  let e0 = 0, e1 = 0, f0 = 0, f1 = 0, k = 0;
  for (; k + 3 < len; k += 4) {
    e0 += u[a + k] * v[b + k];
    e1 += u[a + k + 1] * v[b + k + 1];
    f0 += u[a + k + 2] * v[b + k + 2];
    f1 += u[a + k + 3] * v[b + k + 3];
  }
  if (k + 1 < len) {
    e0 += u[a + k] * v[b + k];
    e1 += u[a + k + 1] * v[b + k + 1];
    k += 2;
  }
  let s = (e0 + f0) + (e1 + f1);
  if (k < len) s += u[a + k] * v[b + k];
  return s;
}

/**
 * Reference of `choleskyF64`: lower Cholesky factor of a + shift·I into l; −1 on success, else
 * the index of the first pivot that is not > 0 or not finite.
 * @example
 * ```ts
 * choleskyF64Ref(heap.buffer, aPtr, d, 0.1, lPtr); // -1
 * ```
 */
export function choleskyF64Ref(mem: ArrayBufferLike, a: number, d: number, shift: number, l: number): number {
  const av = new Float64Array(mem, a, d * d);
  const lv = new Float64Array(mem, l, d * d);
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    for (let j = 0; j < i; j++) {
      const s = av[ri + j] - rowDot(lv, ri, lv, j * d, j);
      lv[ri + j] = s / lv[j * d + j];
    }
    const p = av[ri + i] - rowDot(lv, ri, lv, ri, i) + shift;
    if (!(p > 0) || !Number.isFinite(p)) return i;
    lv[ri + i] = Math.sqrt(p);
  }
  return -1;
}

/**
 * Reference of `choleskySolveF64`: solves L Lᵀ x = b in place for the m rows of b (m × d).
 * @example
 * ```ts
 * choleskySolveF64Ref(heap.buffer, lPtr, d, bPtr, m);
 * ```
 */
export function choleskySolveF64Ref(mem: ArrayBufferLike, l: number, d: number, b: number, m: number): void {
  const lv = new Float64Array(mem, l, d * d);
  const bv = new Float64Array(mem, b, m * d);
  for (let r = 0; r < m; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) bv[o + i] = (bv[o + i] - rowDot(lv, i * d, bv, o, i)) / lv[i * d + i];
    for (let i = d - 1; i >= 0; i--) {
      const x = bv[o + i] / lv[i * d + i];
      bv[o + i] = x;
      for (let k = 0; k < i; k++) bv[o + k] = bv[o + k] - lv[i * d + k] * x;
    }
  }
}
