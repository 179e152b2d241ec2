// Ridge kernels (src/fit/cholesky.ts): Cholesky–Crout factorisation of a + shift·I, and the
// solve L Lᵀ x = b for many right-hand sides.
//
// Layout: a = d × d float64, row-major (only the lower triangle is read); l = d × d float64,
// row-major, its lower triangle written (the strict upper triangle is left untouched).
// Summation order (matched exactly by the reference choleskyF64Ref in src/reference/ridge.ts):
// each row dot product Σ_{k<len} l[i,k] l[j,k] runs two f64x2 accumulators, acc0 over k ≡ 0, 1
// and acc1 over k ≡ 2, 3 (mod 4) in steps of 4, then one more pair into acc0 if two remain,
// then (acc0[0] + acc1[0]) + (acc0[1] + acc1[1]), then the last odd element.
// Returns −1 on success, else the index of the first pivot that is not > 0 (or not finite).

@inline function rowDot(a: usize, b: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 3 < len; k += 4) {
    const o = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  if (k + 1 < len) {
    const o = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    k += 2;
  }
  let s = (f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc1, 0)) + (f64x2.extract_lane(acc0, 1) + f64x2.extract_lane(acc1, 1));
  if (k < len) {
    const o = <usize>k << 3;
    s += load<f64>(a + o) * load<f64>(b + o);
  }
  return s;
}

/** Lower Cholesky factor of a + shift·I into l; −1 on success, else the failing pivot. */
export function choleskyF64(a: usize, d: i32, shift: f64, l: usize): i32 {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < d; i++) {
    const ri = l + <usize>i * rowBytes;
    const ai = a + <usize>i * rowBytes;
    for (let j = 0; j < i; j++) {
      const rj = l + <usize>j * rowBytes;
      const s = load<f64>(ai + (<usize>j << 3)) - rowDot(ri, rj, j);
      store<f64>(ri + (<usize>j << 3), s / load<f64>(rj + (<usize>j << 3)));
    }
    const p = load<f64>(ai + (<usize>i << 3)) - rowDot(ri, ri, i) + shift;
    if (!(p > 0) || !isFinite(p)) return i;
    store<f64>(ri + (<usize>i << 3), Math.sqrt(p));
  }
  return -1;
}

/**
 * Solves L Lᵀ x = b in place for m right-hand sides, the rows of b (m × d float64, row-major).
 * Forward: b[i] = (b[i] − rowDot(L row i, b, i)) / L[i,i]. Backward by rows of L:
 * x_i = b[i] / L[i,i], then b[k] −= L[i,k] · x_i for k < i (element-wise, f64x2 over pairs).
 */
export function choleskySolveF64(l: usize, d: i32, b: usize, m: i32): void {
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < m; r++) {
    const o = b + <usize>r * rowBytes;
    for (let i = 0; i < d; i++) {
      const li = l + <usize>i * rowBytes;
      const p = o + (<usize>i << 3);
      store<f64>(p, (load<f64>(p) - rowDot(li, o, i)) / load<f64>(li + (<usize>i << 3)));
    }
    for (let i = d - 1; i >= 0; i--) {
      const li = l + <usize>i * rowBytes;
      const p = o + (<usize>i << 3);
      const x = load<f64>(p) / load<f64>(li + (<usize>i << 3));
      store<f64>(p, x);
      const xv = f64x2.splat(x);
      let k = 0;
      for (; k + 1 < i; k += 2) {
        const q = <usize>k << 3;
        v128.store(o + q, f64x2.sub(v128.load(o + q), f64x2.mul(v128.load(li + q), xv)));
      }
      if (k < i) {
        const q = <usize>k << 3;
        store<f64>(o + q, load<f64>(o + q) - load<f64>(li + q) * x);
      }
    }
  }
}
