/**
 * Plain-TypeScript reference implementations of the wasm kernels in `assembly/`, with the same
 * signatures and the same memory layout (byte addresses into `mem`). Property tests run both on
 * the same inputs and compare the bytes. These are the specification; the wasm is the fast path.
 * @module
 */

/** Bits of the canonical float32 quiet NaN, the value the kernels write for padding. */
const NAN_BITS = 0x7fc00000;

/** Reference of `fillF32`. */
export function fillF32Ref(mem: ArrayBufferLike, dst: number, count: number, value: number): void {
  new Float32Array(mem, dst, count).fill(value);
}

/** Reference of `nanMask`. */
export function nanMaskRef(mem: ArrayBufferLike, src: number, count: number, dst: number): void {
  const x = new Float32Array(mem, src, count);
  const m = new Uint8Array(mem, dst, count);
  for (let i = 0; i < count; i++) m[i] = Number.isNaN(x[i]) ? 0 : 1;
}

/** Reference of `anyNaN`. */
export function anyNaNRef(mem: ArrayBufferLike, src: number, count: number): number {
  const x = new Float32Array(mem, src, count);
  for (let i = 0; i < count; i++) if (Number.isNaN(x[i])) return 1;
  return 0;
}

/** Reference of `cellsValid` (descriptor layout in assembly/collate.ts). */
export function cellsValidRef(mem: ArrayBufferLike, desc: number, count: number, dst: number): void {
  const d = new Uint32Array(mem, desc, count * 4);
  const out = new Uint8Array(mem, dst, count);
  for (let k = 0; k < count; k++) out[k] = anyNaNRef(mem, d[4 * k], d[4 * k + 1] * d[4 * k + 2]) ? 0 : 1;
}

/** Reference of `anyPerBlock`. */
export function anyPerBlockRef(mem: ArrayBufferLike, mask: number, blocks: number, cellLen: number, dst: number): void {
  const m = new Uint8Array(mem, mask, blocks * cellLen);
  const out = new Uint8Array(mem, dst, blocks);
  for (let c = 0; c < blocks; c++) {
    let found = 0;
    for (let i = 0; i < cellLen; i++) if (m[c * cellLen + i] !== 0) { found = 1; break; }
    out[c] = found;
  }
}

/** Reference of `collateCells`: element by element, no bulk moves, no use of the clean flag. */
export function collateCellsRef(
  mem: ArrayBufferLike, desc: number, count: number, rMax: number, tMax: number, out: number, mask: number,
): void {
  const d = new Uint32Array(mem, desc, count * 4);
  // Bits are copied through Uint32 views so NaN payloads survive, as memory.copy keeps them.
  const o = new Uint32Array(mem, out, count * rMax * tMax);
  const of = new Float32Array(mem, out, count * rMax * tMax);
  const m = mask ? new Uint8Array(mem, mask, count * rMax * tMax) : undefined;
  for (let k = 0; k < count; k++) {
    const R = d[4 * k + 1];
    const T = d[4 * k + 2];
    const src = new Uint32Array(mem, d[4 * k], R * T);
    for (let r = 0; r < rMax; r++) {
      for (let t = 0; t < tMax; t++) {
        const i = (k * rMax + r) * tMax + t;
        o[i] = r < R && t < T ? src[r * T + t] : NAN_BITS;
        if (m) m[i] = Number.isNaN(of[i]) ? 0 : 1;
      }
    }
  }
}

/** Reference of `padRows`. */
export function padRowsRef(mem: ArrayBufferLike, desc: number, count: number, rows: number, tMax: number, out: number): void {
  const d = new Uint32Array(mem, desc, count * 2);
  const o = new Uint32Array(mem, out, count * rows * tMax);
  for (let k = 0; k < count; k++) {
    const T = d[2 * k + 1];
    const src = new Uint32Array(mem, d[2 * k], rows * T);
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < tMax; t++) o[(k * rows + r) * tMax + t] = t < T ? src[r * T + t] : 0;
    }
  }
}
