// Ridge kernel (src/fit/cholesky.ts): Cholesky–Crout factorisation of a + shift·I.
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
