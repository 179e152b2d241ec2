// Bulk fills that memory.fill cannot express: memory.fill writes one byte value, and the
// float32 quiet NaN (0x7FC00000) is not a repeated byte. Both loops are SIMD with a scalar tail.

/** Writes `value` into `count` float32 slots starting at byte address `dst`. */
export function fillF32(dst: usize, count: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  // 16 floats (64 bytes) per iteration keeps the store port busy.
  for (; i + 16 <= count; i += 16) {
    const p = dst + (<usize>i << 2);
    v128.store(p, v);
    v128.store(p, v, 16);
    v128.store(p, v, 32);
    v128.store(p, v, 48);
  }
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), value);
}

/** Writes the canonical float32 NaN (0x7FC00000) into `count` slots at `dst`. */
// @ts-ignore: decorator
@inline
export function fillNaN(dst: usize, count: i32): void {
  fillF32(dst, count, <f32>NaN);
}
