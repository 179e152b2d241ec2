// Plain-TypeScript reference of the ridge kernel (assembly/ridge.ts): same signature, byte
// addresses into `mem`, same summation order (see the layout notes there).

/** The kernel's row dot product, in its summation order. */
function rowDot(l: Float64Array, a: number, b: number, len: number): number {
  let e0 = 0, e1 = 0, f0 = 0, f1 = 0, k = 0;
  for (; k + 3 < len; k += 4) {
    e0 += l[a + k] * l[b + k];
    e1 += l[a + k + 1] * l[b + k + 1];
    f0 += l[a + k + 2] * l[b + k + 2];
    f1 += l[a + k + 3] * l[b + k + 3];
  }
  if (k + 1 < len) {
    e0 += l[a + k] * l[b + k];
    e1 += l[a + k + 1] * l[b + k + 1];
    k += 2;
  }
  let s = (e0 + f0) + (e1 + f1);
  if (k < len) s += l[a + k] * l[b + k];
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
      const s = av[ri + j] - rowDot(lv, ri, j * d, j);
      lv[ri + j] = s / lv[j * d + j];
    }
    const p = av[ri + i] - rowDot(lv, ri, ri, i) + shift;
    if (!(p > 0) || !Number.isFinite(p)) return i;
    lv[ri + i] = Math.sqrt(p);
  }
  return -1;
}
