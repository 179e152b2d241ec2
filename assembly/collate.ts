// Collate kernels: ragged cells in, one padded block out.
//
// Cell descriptor table (16 bytes per cell, little-endian u32):
//   +0  src    byte address of the cell's first float32 (row-major R × T)
//   +4  rows   R (repeats)
//   +8  cols   T (time bins)
//   +12 flags  bit 0 = CELL_CLEAN: the packer proved the cell holds no NaN, so its mask rows
//              are 1 over [0, T) without reading the data.
// Row descriptor table for stimuli (8 bytes per item): +0 src, +4 cols T (rows are fixed).

import { fillNaN } from './fill';
import { nanMask } from './masking';

export const CELL_CLEAN: u32 = 1;

/**
 * Places `count` response cells into a (count, rMax, tMax) float32 block at `out`, each at its
 * top-left corner, NaN elsewhere. When `mask` is non-zero, also writes the (count, rMax, tMax)
 * byte mask (1 where the output is not NaN).
 */
export function collateCells(desc: usize, count: i32, rMax: i32, tMax: i32, out: usize, mask: usize): void {
  const rowBytes = <usize>tMax << 2;
  for (let k = 0; k < count; k++) {
    const d = desc + (<usize>k << 4);
    const src = <usize>load<u32>(d);
    const rows = min(load<i32>(d, 4), rMax);
    const cols = min(load<i32>(d, 8), tMax);
    const srcRowBytes = <usize>load<i32>(d, 8) << 2;
    const clean = (load<u32>(d, 12) & CELL_CLEAN) != 0;
    const cellOut = out + <usize>k * <usize>rMax * rowBytes;
    const cellMask = mask + <usize>k * <usize>rMax * <usize>tMax;
    for (let r = 0; r < rows; r++) {
      const o = cellOut + <usize>r * rowBytes;
      const s = src + <usize>r * srcRowBytes;
      memory.copy(o, s, <usize>cols << 2);
      if (cols < tMax) fillNaN(o + (<usize>cols << 2), tMax - cols);
      if (mask) {
        const m = cellMask + <usize>r * <usize>tMax;
        if (clean) memory.fill(m, 1, <usize>cols);
        else nanMask(s, cols, m);
        if (cols < tMax) memory.fill(m + <usize>cols, 0, <usize>(tMax - cols));
      }
    }
    if (rows < rMax) {
      const padRows = rMax - rows;
      fillNaN(cellOut + <usize>rows * rowBytes, padRows * tMax);
      if (mask) memory.fill(cellMask + <usize>rows * <usize>tMax, 0, <usize>padRows * <usize>tMax);
    }
  }
}

/**
 * Zero-pads `count` items of `rows` rows each along their last axis into a
 * (count, rows, tMax) float32 block at `out`. Row r of item k starts at src + r·T·4.
 */
export function padRows(desc: usize, count: i32, rows: i32, tMax: i32, out: usize): void {
  const rowBytes = <usize>tMax << 2;
  for (let k = 0; k < count; k++) {
    const d = desc + (<usize>k << 3);
    const src = <usize>load<u32>(d);
    const cols = min(load<i32>(d, 4), tMax);
    const srcRowBytes = <usize>load<i32>(d, 4) << 2;
    const itemOut = out + <usize>k * <usize>rows * rowBytes;
    for (let r = 0; r < rows; r++) {
      const o = itemOut + <usize>r * rowBytes;
      memory.copy(o, src + <usize>r * srcRowBytes, <usize>cols << 2);
      if (cols < tMax) memory.fill(o + (<usize>cols << 2), 0, <usize>(tMax - cols) << 2);
    }
  }
}
