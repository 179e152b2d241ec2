/**
 * The missing-pair sentinel: one `(1, 1)` NaN tensor per heap, shared by every missing
 * (stimulus, neuron) pair of every dataset in that heap (the reference shares one object too).
 * @module
 */
import type { WasmHeap } from '../memory/heap.js';
import { HeapTensor, NaNState } from './heap-tensor.js';

const sentinels = new WeakMap<WasmHeap, HeapTensor>();

/**
 * The shared `(1, 1)` NaN sentinel of `heap`.
 * @example
 * ```ts
 * responses[s][n] = missingCell(defaultHeap());
 * ```
 */
export function missingCell(heap: WasmHeap): HeapTensor {
  let t = sentinels.get(heap);
  if (!t) {
    t = new HeapTensor(heap, heap.allocStatic(16), [1, 1]); // lives as long as the heap
    t.data[0] = Number.NaN;
    t.nanState = NaNState.HasNaN;
    sentinels.set(heap, t);
  }
  return t;
}

/**
 * True for a `(1, 1)` cell holding NaN: how loaders mark a structurally missing pair.
 * @example
 * ```ts
 * isSentinel({ dtype: 'float32', shape: [1, 1], data: new Float32Array([NaN]) }); // true
 * ```
 */
export function isSentinel(t: { shape: readonly number[]; data: ArrayLike<number> }): boolean {
  return t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] === 1 && Number.isNaN(t.data[0]);
}
