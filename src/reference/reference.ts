/**
 * Plain-TypeScript reference implementations of the wasm kernels in `assembly/`, with the same
 * signatures and the same memory layout (byte addresses into `mem`). Property tests run both on
 * the same inputs and compare the bytes. These are the specification; the wasm is the fast path.
 * @module
 */

import { CELL_DESC, STIM_DESC, readCellDesc, readStimDesc } from '../memory/layouts.generated.js';

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

/** Reference of `cellsValid` (a CellDesc table, assembly/layouts.ts). */
export function cellsValidRef(mem: ArrayBufferLike, desc: number, count: number, dst: number): void {
  const view = new DataView(mem, desc, count * CELL_DESC.size);
  const out = new Uint8Array(mem, dst, count);
  for (let k = 0; k < count; k++) {
    const d = readCellDesc(view, k * CELL_DESC.size);
    out[k] = anyNaNRef(mem, d.src, d.rows * d.cols) ? 0 : 1;
  }
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
  const view = new DataView(mem, desc, count * CELL_DESC.size);
  // Bits are copied through Uint32 views so NaN payloads survive, as memory.copy keeps them.
  const o = new Uint32Array(mem, out, count * rMax * tMax);
  const of = new Float32Array(mem, out, count * rMax * tMax);
  const m = mask ? new Uint8Array(mem, mask, count * rMax * tMax) : undefined;
  for (let k = 0; k < count; k++) {
    const d = readCellDesc(view, k * CELL_DESC.size);
    const R = d.rows;
    const T = d.cols;
    const src = new Uint32Array(mem, d.src, R * T);
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
  const view = new DataView(mem, desc, count * STIM_DESC.size);
  const o = new Uint32Array(mem, out, count * rows * tMax);
  for (let k = 0; k < count; k++) {
    const d = readStimDesc(view, k * STIM_DESC.size);
    const T = d.cols;
    const src = new Uint32Array(mem, d.src, rows * T);
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < tMax; t++) o[(k * rows + r) * tMax + t] = t < T ? src[r * T + t] : 0;
    }
  }
}
