/**
 * The collate inside one wasm heap: when every response cell and stimulus is a `HeapTensor` of
 * a shared heap and the batch's arrays lie in that same memory (a loader's released batch slot,
 * src/loader/batch-memory.ts `HeapSlot`), the wasm kernels `collateCells` and `padRows`
 * (assembly/collate.ts) write the batch with `memory.copy`/`memory.fill`, each byte once.
 * JavaScript cannot copy as fast out of shared memory: V8 reads a `SharedArrayBuffer` in
 * `TypedArray.prototype.set` with relaxed atomic loads, byte by byte when source and target
 * are not equally aligned (docs/loader.md, "Batch memory"). Batches outside the heap are
 * written through a small staging block instead (src/collate/staged-collate.ts).
 * @module
 */
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import type { WasmHeap } from '../memory/heap.js';
import { CELL_CLEAN, CELL_DESC, STIM_DESC, writeCellDesc, writeStimDesc } from '../memory/layouts.generated.js';
import type { DatasetItem } from '../contract/types.js';
import type { BatchArrays } from './neural-collate.js';

/** The batch's geometry: stimulus rows per item and their padded length, responses' R and T maxima. */
export interface BatchDims {
  rows: number;
  tStim: number;
  rMax: number;
  tMax: number;
}

/**
 * Writes the batch of `items` into `out` with the wasm kernels and returns true, or returns
 * false (writing nothing) when the items or `out` are not all in one shared heap.
 * @example
 * ```ts
 * if (!collateInHeap(items, { rows, tStim, rMax, tMax }, arrays)) writeInTypeScript(items, arrays);
 * ```
 */
export function collateInHeap(items: readonly DatasetItem[], d: BatchDims, out: BatchArrays): boolean {
  const first = items[0].stims;
  if (!(first instanceof HeapTensor) || !first.heap.shared) return false;
  const heap = first.heap;
  const buffer = heap.buffer;
  if (out.responses.buffer !== buffer || out.validMask.buffer !== buffer || out.stims.buffer !== buffer) return false;
  let cells = 0;
  for (const it of items) {
    if (!inHeap(it.stims, heap)) return false;
    for (const r of it.responses) if (!inHeap(r, heap)) return false;
    cells += it.responses.length;
  }
  const table = heap.scratch(Math.max(CELL_DESC.size * cells, STIM_DESC.size * items.length));
  const view = new DataView(heap.buffer, table);
  let k = 0;
  for (const it of items) {
    for (const r of it.responses as HeapTensor[]) {
      writeCellDesc(view, k++ * CELL_DESC.size, { src: r.ptr, rows: r.shape[0], cols: r.shape[1], flags: r.nanState === NaNState.Clean ? CELL_CLEAN : 0 });
    }
  }
  heap.kernels.collateCells(table, cells, d.rMax, d.tMax, out.responses.byteOffset, out.validMask.byteOffset);
  items.forEach((it, b) => {
    const s = it.stims as HeapTensor;
    writeStimDesc(view, b * STIM_DESC.size, { src: s.ptr, cols: s.shape[s.shape.length - 1] });
  });
  heap.kernels.padRows(table, items.length, d.rows, d.tStim, out.stims.byteOffset);
  return true;
}

const inHeap = (t: unknown, heap: WasmHeap): t is HeapTensor => t instanceof HeapTensor && t.heap === heap && !t.freed;
