// FIR smoothing of rows along their last axis with zero padding (responses' Hanning smoothing,
// docs/contract.md): out[t] = Σ_k w[k] · x[t + k − half], half = (K − 1) / 2, x = 0 outside [0, T).
// Accumulates in float32 in ascending k, one multiply then one add per tap (wasm has no fused
// multiply-add), in the SIMD interior and the scalar edges alike, so both are bit-identical to
// the reference in src/reference/smooth.ts.
//
// Layout: `rows` rows of `cols` float32 at `src`, written to `dst` (may equal `src`: each row is
// first copied to `tmp`, which needs `cols` floats); `nTaps` float32 weights at `taps`.

export function firRows(src: usize, dst: usize, rows: i32, cols: i32, taps: usize, nTaps: i32, tmp: usize): void {
  const half = (nTaps - 1) >> 1;
  const rowBytes = <usize>cols << 2;
  // Interior outputs [half, cols − half) never read outside the row.
  const lo = min(half, cols);
  const hi = max(lo, cols - half);
  for (let r = 0; r < rows; r++) {
    const d = dst + <usize>r * rowBytes;
    memory.copy(tmp, src + <usize>r * rowBytes, rowBytes);
    for (let t = 0; t < lo; t++) store<f32>(d + (<usize>t << 2), edge(tmp, cols, taps, nTaps, half, t));
    let t = lo;
    for (; t + 4 <= hi; t += 4) {
      let acc = f32x4.splat(0);
      const base = tmp + (<usize>(t - half) << 2);
      for (let k = 0; k < nTaps; k++) {
        const w = f32x4.splat(load<f32>(taps + (<usize>k << 2)));
        acc = f32x4.add(acc, f32x4.mul(w, v128.load(base + (<usize>k << 2))));
      }
      v128.store(d + (<usize>t << 2), acc);
    }
    for (; t < cols; t++) store<f32>(d + (<usize>t << 2), edge(tmp, cols, taps, nTaps, half, t));
  }
}

// @ts-ignore: decorator
@inline
function edge(x: usize, cols: i32, taps: usize, nTaps: i32, half: i32, t: i32): f32 {
  let acc: f32 = 0;
  for (let k = 0; k < nTaps; k++) {
    const i = t + k - half;
    if (i >= 0 && i < cols) acc = acc + load<f32>(taps + (<usize>k << 2)) * load<f32>(x + (<usize>i << 2));
  }
  return acc;
}
