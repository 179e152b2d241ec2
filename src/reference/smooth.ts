/**
 * Plain-TypeScript reference of the `firRows` kernel (assembly/smooth.ts): same arguments, same
 * float32 arithmetic (Math.fround after every multiply and add, taps in ascending order).
 * @module
 */

/** Reference of `firRows`. */
export function firRowsRef(
  mem: ArrayBufferLike, src: number, dst: number, rows: number, cols: number, taps: number, nTaps: number, tmp: number,
): void {
  const half = (nTaps - 1) >> 1;
  const w = new Float32Array(mem, taps, nTaps);
  const row = new Float32Array(mem, tmp, cols);
  for (let r = 0; r < rows; r++) {
    row.set(new Float32Array(mem, src + 4 * r * cols, cols));
    const out = new Float32Array(mem, dst + 4 * r * cols, cols);
    for (let t = 0; t < cols; t++) {
      let acc = 0;
      for (let k = 0; k < nTaps; k++) {
        const i = t + k - half;
        if (i >= 0 && i < cols) acc = Math.fround(acc + Math.fround(w[k] * row[i]));
      }
      out[t] = acc;
    }
  }
}
