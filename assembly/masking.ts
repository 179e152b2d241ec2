// Masking kernels: the per-element valid mask (!isNaN), any-NaN tests behind nrnMasks, and the
// coarse any-over-(R, T) mask. Masks are bytes: 1 = valid, 0 = missing.

import { CellDesc } from './layouts';

/**
 * dst[i] = 1 if src[i] is not NaN else 0, for `count` float32 values at `src`.
 * SIMD: four f32x4 compares (x == x is false only for NaN) narrow to 16 bytes per step.
 */
export function nanMask(src: usize, count: i32, dst: usize): void {
  const one = i8x16.splat(1);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = src + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    const c = v128.load(p, 32);
    const d = v128.load(p, 48);
    const ab = i16x8.narrow_i32x4_s(f32x4.eq(a, a), f32x4.eq(b, b));
    const cd = i16x8.narrow_i32x4_s(f32x4.eq(c, c), f32x4.eq(d, d));
    v128.store(dst + <usize>i, v128.and(i8x16.narrow_i16x8_s(ab, cd), one));
  }
  for (; i < count; i++) {
    const x = load<f32>(src + (<usize>i << 2));
    store<u8>(dst + <usize>i, x == x ? 1 : 0);
  }
}

/** Returns 1 if any of the `count` float32 values at `src` is NaN, else 0. */
export function anyNaN(src: usize, count: i32): i32 {
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = src + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    const c = v128.load(p, 32);
    const d = v128.load(p, 48);
    // f32x4.ne(x, x) is all-ones exactly in NaN lanes.
    const m = v128.or(v128.or(f32x4.ne(a, a), f32x4.ne(b, b)), v128.or(f32x4.ne(c, c), f32x4.ne(d, d)));
    if (v128.any_true(m)) return 1;
  }
  for (; i < count; i++) {
    const x = load<f32>(src + (<usize>i << 2));
    if (x != x) return 1;
  }
  return 0;
}

/**
 * Per-cell NaN test over a table of CellDesc (assembly/layouts.ts): dst[k] = 1 when
 * cell k holds no NaN (real data), 0 otherwise. This is the rule behind nrnMasks.
 */
export function cellsValid(desc: usize, count: i32, dst: usize): void {
  for (let k = 0; k < count; k++) {
    const d = changetype<CellDesc>(desc + <usize>k * offsetof<CellDesc>());
    const src = <usize>d.src;
    const n = d.rows * d.cols;
    store<u8>(dst + <usize>k, anyNaN(src, n) ? 0 : 1);
  }
}

/**
 * Coarse mask: dst[c] = 1 if any byte of the `cellLen`-byte block c of `mask` is non-zero.
 * Turns a (B, N, R, T) valid mask into the (B, N) any-over-(R, T) mask.
 */
export function anyPerBlock(mask: usize, blocks: i32, cellLen: i32, dst: usize): void {
  for (let c = 0; c < blocks; c++) {
    const base = mask + <usize>c * <usize>cellLen;
    let found: u8 = 0;
    let i = 0;
    for (; i + 16 <= cellLen; i += 16) {
      if (v128.any_true(v128.load(base + <usize>i))) { found = 1; break; }
    }
    if (!found) {
      for (; i < cellLen; i++) {
        if (load<u8>(base + <usize>i) != 0) { found = 1; break; }
      }
    }
    store<u8>(dst + <usize>c, found);
  }
}
