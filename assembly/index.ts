// The one WebAssembly module of deepstrf. Every kernel takes byte addresses into the imported
// memory; no managed objects are used, so the stub runtime never allocates.
//
// Memory layout (set up by src/memory/heap.ts, not by this module):
//   [0, heapBase)             static data of this module
//   [heapStart, heapStart+64) heap header: +0 u32 bump pointer (atomic when memory is shared)
//   [heapStart+64, …)         blocks handed out by the JS-side bump allocator

export { fillF32 } from './fill';
export { nanMask, anyNaN, cellsValid, anyPerBlock } from './masking';
export { collateCells, padRows } from './collate';
export { stftFrames, filterbankFrames, resamplePoly } from './fft';
export { cellGram, gramF64, splitHalfRho } from './metrics';
export { firRows } from './smooth';
export { choleskyF64, choleskySolveF64 } from './ridge';

/** End of this module's static data: the allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
