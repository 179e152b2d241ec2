// Collate kernels: ragged cells in, one padded block out.
//
// Descriptor tables: CellDesc per response cell, StimDesc per stimulus (assembly/layouts.ts).

import { fillNaN } from './fill';
import { nanMask } from './masking';
import { CELL_CLEAN, CellDesc, StimDesc } from './layouts';

/**
 * Places `count` response cells into a (count, rMax, tMax) float32 block at `out`, each at its
 * top-left corner, NaN elsewhere. When `mask` is non-zero, also writes the (count, rMax, tMax)
 * byte mask (1 where the output is not NaN).
 */
export function collateCells(desc: usize, count: i32, rMax: i32, tMax: i32, out: usize, mask: usize): void {
  const rowBytes = <usize>tMax << 2;
  for (let k = 0; k < count; k++) {
    const d = changetype<CellDesc>(desc + <usize>k * offsetof<CellDesc>());
    const src = <usize>d.src;
    const rows = min(d.rows, rMax);
    const cols = min(d.cols, tMax);
    const srcRowBytes = <usize>d.cols << 2;
    const clean = (d.flags & CELL_CLEAN) != 0;
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
    const d = changetype<StimDesc>(desc + <usize>k * offsetof<StimDesc>());
    const src = <usize>d.src;
    const cols = min(d.cols, tMax);
    const srcRowBytes = <usize>d.cols << 2;
    const itemOut = out + <usize>k * <usize>rows * rowBytes;
    for (let r = 0; r < rows; r++) {
      const o = itemOut + <usize>r * rowBytes;
      memory.copy(o, src + <usize>r * srcRowBytes, <usize>cols << 2);
      if (cols < tMax) memory.fill(o + (<usize>cols << 2), 0, <usize>(tMax - cols) << 2);
    }
  }
}
