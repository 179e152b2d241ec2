// Metrics kernels: the Gram matrix of the time-centred repeats of one dense response cell
// (src/metrics/cell.ts explains why every split-half / power statistic is a function of it).
//
// Layout: src = R × T float32, row-major; y = R × T float64 scratch (centred rows);
// gram = R × R float64, row-major, written in full (symmetric).
// Summation order (matched exactly by the reference cellGramRef): each dot product runs two
// f64 lanes, lane 0 over even t and lane 1 over odd t (up to the last even length), then
// lane 0 + lane 1, then the odd tail element. wasm SIMD has no fused multiply-add, so every
// product and sum rounds as in JavaScript and the reference matches bit for bit.

/** Dot product of two float64 rows with the lane order above. */
@inline function dot(a: usize, b: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  let t = 0;
  for (; t + 1 < len; t += 2) {
    const o = <usize>t << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (t < len) {
    const o = <usize>t << 3;
    s += load<f64>(a + o) * load<f64>(b + o);
  }
  return s;
}

@inline function put(g: usize, rows: i32, i: i32, j: i32, v: f64): void {
  store<f64>(g + ((<usize>i * <usize>rows + <usize>j) << 3), v);
  store<f64>(g + ((<usize>j * <usize>rows + <usize>i) << 3), v);
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Gram matrix of `rows` float64 rows of length `len` at `y` into `gram`: 4 × 2 row blocks
 * (8 accumulators, 6 loads per 16 multiply-adds), then 2 × 2 blocks and single rows for the rest.
 */
export function gramF64(y: usize, rows: i32, len: i32, gram: usize): void {
  const rowBytes = <usize>len << 3;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const a0 = y + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    const a3 = a2 + rowBytes;
    let j = i;
    for (; j + 1 < rows; j += 2) {
      const b0 = y + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      let c00 = f64x2.splat(0);
      let c01 = f64x2.splat(0);
      let c10 = f64x2.splat(0);
      let c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0);
      let c21 = f64x2.splat(0);
      let c30 = f64x2.splat(0);
      let c31 = f64x2.splat(0);
      let t = 0;
      for (; t + 1 < len; t += 2) {
        const o = <usize>t << 3;
        const z0 = v128.load(b0 + o);
        const z1 = v128.load(b1 + o);
        const x0 = v128.load(a0 + o);
        c00 = f64x2.add(c00, f64x2.mul(x0, z0));
        c01 = f64x2.add(c01, f64x2.mul(x0, z1));
        const x1 = v128.load(a1 + o);
        c10 = f64x2.add(c10, f64x2.mul(x1, z0));
        c11 = f64x2.add(c11, f64x2.mul(x1, z1));
        const x2 = v128.load(a2 + o);
        c20 = f64x2.add(c20, f64x2.mul(x2, z0));
        c21 = f64x2.add(c21, f64x2.mul(x2, z1));
        const x3 = v128.load(a3 + o);
        c30 = f64x2.add(c30, f64x2.mul(x3, z0));
        c31 = f64x2.add(c31, f64x2.mul(x3, z1));
      }
      let s00 = hsum(c00);
      let s01 = hsum(c01);
      let s10 = hsum(c10);
      let s11 = hsum(c11);
      let s20 = hsum(c20);
      let s21 = hsum(c21);
      let s30 = hsum(c30);
      let s31 = hsum(c31);
      if (t < len) {
        const o = <usize>t << 3;
        const z0 = load<f64>(b0 + o);
        const z1 = load<f64>(b1 + o);
        const x0 = load<f64>(a0 + o);
        const x1 = load<f64>(a1 + o);
        const x2 = load<f64>(a2 + o);
        const x3 = load<f64>(a3 + o);
        s00 += x0 * z0;
        s01 += x0 * z1;
        s10 += x1 * z0;
        s11 += x1 * z1;
        s20 += x2 * z0;
        s21 += x2 * z1;
        s30 += x3 * z0;
        s31 += x3 * z1;
      }
      put(gram, rows, i, j, s00);
      put(gram, rows, i, j + 1, s01);
      put(gram, rows, i + 1, j, s10);
      put(gram, rows, i + 1, j + 1, s11);
      put(gram, rows, i + 2, j, s20);
      put(gram, rows, i + 2, j + 1, s21);
      put(gram, rows, i + 3, j, s30);
      put(gram, rows, i + 3, j + 1, s31);
    }
    if (j < rows) {
      const b = y + <usize>j * rowBytes;
      put(gram, rows, i, j, dot(a0, b, len));
      put(gram, rows, i + 1, j, dot(a1, b, len));
      put(gram, rows, i + 2, j, dot(a2, b, len));
      put(gram, rows, i + 3, j, dot(a3, b, len));
    }
  }
  for (; i + 1 < rows; i += 2) {
    const a0 = y + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    let j = i;
    for (; j + 1 < rows; j += 2) {
      const b0 = y + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      let c00 = f64x2.splat(0);
      let c01 = f64x2.splat(0);
      let c10 = f64x2.splat(0);
      let c11 = f64x2.splat(0);
      let t = 0;
      for (; t + 1 < len; t += 2) {
        const o = <usize>t << 3;
        const x0 = v128.load(a0 + o);
        const x1 = v128.load(a1 + o);
        const z0 = v128.load(b0 + o);
        const z1 = v128.load(b1 + o);
        c00 = f64x2.add(c00, f64x2.mul(x0, z0));
        c01 = f64x2.add(c01, f64x2.mul(x0, z1));
        c10 = f64x2.add(c10, f64x2.mul(x1, z0));
        c11 = f64x2.add(c11, f64x2.mul(x1, z1));
      }
      let s00 = f64x2.extract_lane(c00, 0) + f64x2.extract_lane(c00, 1);
      let s01 = f64x2.extract_lane(c01, 0) + f64x2.extract_lane(c01, 1);
      let s10 = f64x2.extract_lane(c10, 0) + f64x2.extract_lane(c10, 1);
      let s11 = f64x2.extract_lane(c11, 0) + f64x2.extract_lane(c11, 1);
      if (t < len) {
        const o = <usize>t << 3;
        const x0 = load<f64>(a0 + o);
        const x1 = load<f64>(a1 + o);
        const z0 = load<f64>(b0 + o);
        const z1 = load<f64>(b1 + o);
        s00 += x0 * z0;
        s01 += x0 * z1;
        s10 += x1 * z0;
        s11 += x1 * z1;
      }
      put(gram, rows, i, j, s00);
      put(gram, rows, i, j + 1, s01);
      put(gram, rows, i + 1, j, s10);
      put(gram, rows, i + 1, j + 1, s11);
    }
    if (j < rows) {
      const b = y + <usize>j * rowBytes;
      put(gram, rows, i, j, dot(a0, b, len));
      put(gram, rows, i + 1, j, dot(a1, b, len));
    }
  }
  if (i < rows) {
    const a = y + <usize>i * rowBytes;
    put(gram, rows, i, i, dot(a, a, len));
  }
}

/**
 * Centres each float32 row of the dense cell at `src` (R × T) into float64 rows at `y`
 * (sequential sum, then y = x − sum / T), then writes their Gram matrix at `gram`.
 * Returns 0 without finishing when a row sum is NaN (the cell holds a NaN, or +∞ and −∞):
 * such cells take the NaN-aware path in TypeScript. Returns 1 otherwise.
 */
export function cellGram(src: usize, rows: i32, len: i32, y: usize, gram: usize): i32 {
  for (let r = 0; r < rows; r++) {
    const s = src + ((<usize>r * <usize>len) << 2);
    const d = y + ((<usize>r * <usize>len) << 3);
    let sum: f64 = 0;
    for (let t = 0; t < len; t++) {
      const v = <f64>load<f32>(s + (<usize>t << 2));
      store<f64>(d + (<usize>t << 3), v);
      sum += v;
    }
    if (sum != sum) return 0;
    const mean = sum / <f64>len;
    for (let t = 0; t < len; t++) {
      const a = d + (<usize>t << 3);
      store<f64>(a, load<f64>(a) - mean);
    }
  }
  gramF64(y, rows, len, gram);
  return 1;
}

/**
 * Mean split-half correlation ρ_half from the Gram matrix (docs/metrics.md), the
 * operation-for-operation twin of `CellWorkspace.splitHalfRho` in src/metrics/cell.ts.
 *   gram       rv × rv float64 (the first rc rows / columns are used; rc even)
 *   subsets    pairs × (rc / 2) int32: first halves in lexicographic order (second = complement)
 *   changeFrom pairs int32: first position that differs from the previous subset
 *   work       float64 scratch: rc + 2 (k + 1) + k · rc values
 */
export function splitHalfRho(gram: usize, rv: i32, rc: i32, pairs: i32, subsets: usize, changeFrom: usize, work: usize): f64 {
  const k = rc >> 1;
  const rs = work;
  const prefAA = rs + (<usize>rc << 3);
  const prefAS = prefAA + (<usize>(k + 1) << 3);
  const cross = prefAS + (<usize>(k + 1) << 3);
  const rowBytes = <usize>rv << 3;
  let ss: f64 = 0;
  for (let i = 0; i < rc; i++) {
    const o = gram + <usize>i * rowBytes;
    let s: f64 = 0;
    for (let j = 0; j < rc; j++) s += load<f64>(o + (<usize>j << 3));
    store<f64>(rs + (<usize>i << 3), s);
    ss += s;
  }
  store<f64>(prefAA, 0);
  store<f64>(prefAS, 0);
  memory.fill(cross, 0, <usize>rc << 3);
  const k2 = <f64>k * <f64>k;
  let acc: f64 = 0;
  for (let p = 0; p < pairs; p++) {
    const o = subsets + ((<usize>p * <usize>k) << 2);
    for (let u = load<i32>(changeFrom + (<usize>p << 2)); u < k; u++) {
      const c = load<i32>(o + (<usize>u << 2));
      const cu = cross + ((<usize>u * <usize>rc) << 3);
      const gc = gram + <usize>c * rowBytes;
      const aaPrev = load<f64>(prefAA + (<usize>u << 3));
      store<f64>(prefAA + (<usize>(u + 1) << 3), aaPrev + load<f64>(gc + (<usize>c << 3)) + 2 * load<f64>(cu + (<usize>c << 3)));
      store<f64>(prefAS + (<usize>(u + 1) << 3), load<f64>(prefAS + (<usize>u << 3)) + load<f64>(rs + (<usize>c << 3)));
      if (u + 1 < k) {
        const cn = cu + (<usize>rc << 3);
        for (let j = 0; j < rc; j++) {
          const jo = <usize>j << 3;
          store<f64>(cn + jo, load<f64>(cu + jo) + load<f64>(gc + jo));
        }
      }
    }
    const aa = load<f64>(prefAA + (<usize>k << 3));
    const as = load<f64>(prefAS + (<usize>k << 3));
    const ab = as - aa;
    let bb = ss - 2 * as + aa;
    if (bb < 0) bb = 0;
    const den = Math.sqrt(aa * bb);
    acc += den / k2 < 1e-12 ? NaN : ab / den;
  }
  return acc / <f64>pairs;
}
